package org.sp2ot.datasets;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * One IDX file (the MNIST / Fashion-MNIST format: a big-endian magic {@code 0x00000803} for unsigned-byte images of
 * rank 3 or {@code 0x00000801} for unsigned-byte labels of rank 1, the dimension sizes, then the bytes), read whole
 * from any Hadoop file system; a name ending in {@code .gz} is gunzipped.
 *
 * @param path where it was read from (for messages)
 * @param dims the dimension sizes: {@code [count]} for labels, {@code [count, rows, cols]} for images
 * @param data the unsigned bytes, row-major
 */
public record IdxFile(String path, int[] dims, byte[] data) {

    /** Items (the first dimension). */
    public int count() {
        return dims[0];
    }

    /** Bytes per item (the product of the other dimensions). */
    public int itemSize() {
        int size = 1;
        for (int i = 1; i < dims.length; i++) {
            size *= dims[i];
        }
        return size;
    }

    /** Item {@code i}'s byte {@code j}, as 0..255. */
    public int unsigned(int i, int j) {
        return data[i * itemSize() + j] & 0xff;
    }

    /**
     * Reads an unsigned-byte IDX file of the given rank.
     *
     * @throws IOException naming the file when it is missing, not IDX, of another rank or type, or truncated
     */
    public static IdxFile read(Configuration conf, String path, int rank) throws IOException {
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
            throw new IOException(path + " does not exist (an IDX file of the MNIST format is expected)");
        }
        try (InputStream raw = new BufferedInputStream(fs.open(p), 1 << 16);
                DataInputStream in = new DataInputStream(path.endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16)
                        : raw)) {
            int magic = in.readInt();
            if ((magic >>> 8) != 0x08 || (magic & 0xff) != rank) {
                throw new IOException(String.format(java.util.Locale.ROOT,
                        "%s is not an unsigned-byte IDX file of rank %d (magic 0x%08x, expected 0x%08x)", path, rank,
                        magic, 0x0800 | rank));
            }
            int[] dims = new int[rank];
            long total = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = in.readInt();
                if (dims[i] < 0) {
                    throw new IOException(path + " has a negative dimension " + dims[i]);
                }
                total *= dims[i];
            }
            if (total > Integer.MAX_VALUE - 16) {
                throw new IOException(path + " is too large to read into memory (" + total + " bytes)");
            }
            byte[] data = new byte[(int) total];
            in.readFully(data);
            return new IdxFile(path, dims, data);
        } catch (EOFException e) {
            throw new IOException(path + " is truncated (fewer bytes than its header declares)", e);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(path + " is not a valid gzip file: " + e.getMessage(), e);
        }
    }
}
