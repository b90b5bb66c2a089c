package org.sp2ot.datasets.io;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes numpy's {@code .npy} format (versions 1.0, 2.0 and 3.0) for the element types of
 * {@link NpyDtype}, little-endian, C order. Anything else (Fortran order, big-endian, other dtypes, object arrays,
 * truncated data) is refused with an {@link NpyFormatException} that names the file and says how to fix it.
 * Writing produces version 1.0 headers (2.0 when a shape is too long for 1.0), padded to 64 bytes as numpy does.
 *
 * <p>The stream methods let callers read or write through any file system (e.g. Hadoop's {@code FileSystem} for
 * {@code hdfs://} paths); they neither buffer beyond what they need nor close the stream.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final int ALIGNMENT = 64;
    private static final int CHUNK = 1 << 16;
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** Reads the file at {@code path}; errors name it. */
    public static NpyArray read(Path path) throws IOException {
        if (!Files.isRegularFile(path)) {
            throw new NoSuchFileException(path.toString(), null, "no such .npy file");
        }
        try (InputStream in = new BufferedInputStream(Files.newInputStream(path), CHUNK)) {
            return read(in, path.toString());
        }
    }

    /** Reads one array from {@code in} (left open, positioned after the array). */
    public static NpyArray read(InputStream in) throws IOException {
        return read(in, "npy stream");
    }

    /**
     * Reads one array from {@code in} (left open, positioned after the array); {@code source} names the input in
     * error messages.
     */
    public static NpyArray read(InputStream in, String source) throws IOException {
        DataInputStream data = new DataInputStream(in);
        Header header = readHeader(data, source);
        return new NpyArray(header.shape(), header.dtype(),
                readData(data, header.dtype(), header.elementCount(), source));
    }

    /**
     * What a {@code .npy} header says: the shape, the dtype and where the data starts, so that a reader can seek to
     * any row ({@code dataOffset + row * rowBytes()}) without reading what lies before it.
     *
     * @param dataOffset bytes from the start of the file to the first element
     */
    public record Header(int[] shape, NpyDtype dtype, long dataOffset) implements java.io.Serializable {
        /** Elements in the whole array. */
        public int elementCount() {
            return NpyArray.elementCount(shape);
        }

        /** Bytes of one row (the product of the dimensions after the first, times the element size). */
        public long rowBytes() {
            long row = dtype.bytes();
            for (int i = 1; i < shape.length; i++) {
                row *= shape[i];
            }
            return row;
        }

        /** The file length the header promises: offset plus all the data. */
        public long expectedFileLength() {
            return dataOffset + (shape.length == 0 ? dtype.bytes() : shape[0] * rowBytes());
        }
    }

    /** Reads only the header of a {@code .npy} from the start of {@code in}, leaving it at the first element. */
    public static Header readHeader(InputStream in, String source) throws IOException {
        DataInputStream data = in instanceof DataInputStream d ? d : new DataInputStream(in);
        byte[] magic = new byte[MAGIC.length];
        readFully(data, magic, source, "the magic string");
        if (!Arrays.equals(magic, MAGIC)) {
            throw new NpyFormatException(source + ": not a .npy file (it does not start with \\x93NUMPY); save "
                    + "arrays with numpy.save");
        }
        byte[] version = new byte[2];
        readFully(data, version, source, "the format version");
        int major = version[0];
        int headerLength;
        if (major == 1) {
            byte[] len = new byte[2];
            readFully(data, len, source, "the header length");
            headerLength = (len[0] & 0xff) | (len[1] & 0xff) << 8;
        } else if (major == 2 || major == 3) {
            byte[] len = new byte[4];
            readFully(data, len, source, "the header length");
            long l = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
            if (l > 1 << 24) {
                throw new NpyFormatException(source + ": header length " + l + " is implausible; the file is damaged");
            }
            headerLength = (int) l;
        } else {
            throw new NpyFormatException(source + ": .npy format version " + major + "." + version[1]
                    + " is not supported (1.0, 2.0 and 3.0 are)");
        }
        byte[] headerBytes = new byte[headerLength];
        readFully(data, headerBytes, source, "the header");
        String header = new String(headerBytes, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyDtype dtype = NpyDtype.fromDescr(find(DESCR, header, "descr", source), source);
        if (find(FORTRAN, header, "fortran_order", source).equals("True")) {
            throw new NpyFormatException(source + ": the array is stored in Fortran (column-major) order; save it "
                    + "in C order, e.g. numpy.save(path, numpy.ascontiguousarray(arr))");
        }
        int[] shape = parseShape(find(SHAPE, header, "shape", source), source);
        try {
            NpyArray.elementCount(shape);
        } catch (IllegalArgumentException e) {
            throw new NpyFormatException(source + ": " + e.getMessage());
        }
        long offset = MAGIC.length + 2L + (major == 1 ? 2 : 4) + headerLength;
        return new Header(shape, dtype, offset);
    }

    /**
     * Reads {@code count} elements of {@code dtype} from the current position of {@code in} (a row range of a
     * file positioned with {@link Header#dataOffset}) as floats.
     */
    public static float[] readFloats(InputStream in, NpyDtype dtype, int count, String source) throws IOException {
        return new NpyArray(new int[] {count}, dtype, readData(new DataInputStream(in), dtype, count, source))
                .toFloatArray();
    }

    /** As {@link #readFloats}, for integer labels. */
    public static int[] readInts(InputStream in, NpyDtype dtype, int count, String source) throws IOException {
        return new NpyArray(new int[] {count}, dtype, readData(new DataInputStream(in), dtype, count, source))
                .toIntArray();
    }

    private static String find(Pattern pattern, String header, String key, String source) throws NpyFormatException {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new NpyFormatException(source + ": the header has no readable '" + key + "' entry: " + header.trim());
        }
        return m.group(1);
    }

    private static int[] parseShape(String text, String source) throws NpyFormatException {
        List<Integer> dims = new ArrayList<>();
        for (String part : text.split(",")) {
            String t = part.trim();
            if (t.endsWith("L")) {
                t = t.substring(0, t.length() - 1);
            }
            if (t.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(t);
                if (d < 0 || d > Integer.MAX_VALUE) {
                    throw new NumberFormatException();
                }
                dims.add((int) d);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(source + ": bad dimension '" + t + "' in shape (" + text + ")");
            }
        }
        return dims.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Object readData(DataInputStream in, NpyDtype dtype, int count, String source) throws IOException {
        int perChunk = CHUNK / dtype.bytes();
        byte[] buffer = new byte[perChunk * dtype.bytes()];
        Object out;
        switch (dtype) {
            case FLOAT32:
                out = new float[count];
                break;
            case FLOAT64:
                out = new double[count];
                break;
            case INT32:
                out = new int[count];
                break;
            default:
                out = new long[count];
                break;
        }
        for (int start = 0; start < count; start += perChunk) {
            int n = Math.min(perChunk, count - start);
            int bytes = n * dtype.bytes();
            int got = in.readNBytes(buffer, 0, bytes);
            if (got < bytes) {
                long have = (long) start * dtype.bytes() + got;
                throw new NpyFormatException(source + ": truncated: the header promises " + count + " elements ("
                        + (long) count * dtype.bytes() + " bytes of data) but the file holds only " + have
                        + " bytes of data");
            }
            ByteBuffer bb = ByteBuffer.wrap(buffer, 0, bytes).order(ByteOrder.LITTLE_ENDIAN);
            switch (dtype) {
                case FLOAT32:
                    bb.asFloatBuffer().get((float[]) out, start, n);
                    break;
                case FLOAT64:
                    bb.asDoubleBuffer().get((double[]) out, start, n);
                    break;
                case INT32:
                    bb.asIntBuffer().get((int[]) out, start, n);
                    break;
                default:
                    bb.asLongBuffer().get((long[]) out, start, n);
                    break;
            }
        }
        return out;
    }

    private static void readFully(DataInputStream in, byte[] into, String source, String what) throws IOException {
        try {
            in.readFully(into);
        } catch (EOFException e) {
            throw new NpyFormatException(source + ": truncated: the file ends inside " + what);
        }
    }

    /** Writes {@code data} as a float32 array of {@code shape} (1-d when no shape is given). */
    public static void write(Path path, float[] data, int... shape) throws IOException {
        writeFile(path, NpyDtype.FLOAT32, data, data.length, shape);
    }

    /** Writes {@code data} as a float64 array of {@code shape} (1-d when no shape is given). */
    public static void write(Path path, double[] data, int... shape) throws IOException {
        writeFile(path, NpyDtype.FLOAT64, data, data.length, shape);
    }

    /** Writes {@code data} as an int32 array of {@code shape} (1-d when no shape is given). */
    public static void write(Path path, int[] data, int... shape) throws IOException {
        writeFile(path, NpyDtype.INT32, data, data.length, shape);
    }

    /** Writes {@code data} as an int64 array of {@code shape} (1-d when no shape is given). */
    public static void write(Path path, long[] data, int... shape) throws IOException {
        writeFile(path, NpyDtype.INT64, data, data.length, shape);
    }

    /** Writes a float32 array to {@code out} (not closed). */
    public static void write(OutputStream out, float[] data, int... shape) throws IOException {
        writeStream(out, NpyDtype.FLOAT32, data, data.length, shape);
    }

    /** Writes a float64 array to {@code out} (not closed). */
    public static void write(OutputStream out, double[] data, int... shape) throws IOException {
        writeStream(out, NpyDtype.FLOAT64, data, data.length, shape);
    }

    /** Writes an int32 array to {@code out} (not closed). */
    public static void write(OutputStream out, int[] data, int... shape) throws IOException {
        writeStream(out, NpyDtype.INT32, data, data.length, shape);
    }

    /** Writes an int64 array to {@code out} (not closed). */
    public static void write(OutputStream out, long[] data, int... shape) throws IOException {
        writeStream(out, NpyDtype.INT64, data, data.length, shape);
    }

    private static void writeFile(Path path, NpyDtype dtype, Object data, int length, int[] shape) throws IOException {
        int[] resolved = resolveShape(length, shape);
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path), CHUNK)) {
            writeStream(out, dtype, data, length, resolved);
        }
    }

    private static void writeStream(OutputStream out, NpyDtype dtype, Object data, int length, int[] shape)
            throws IOException {
        int[] resolved = resolveShape(length, shape);
        out.write(header(dtype, resolved));
        int perChunk = CHUNK / dtype.bytes();
        byte[] buffer = new byte[perChunk * dtype.bytes()];
        for (int start = 0; start < length; start += perChunk) {
            int n = Math.min(perChunk, length - start);
            ByteBuffer bb = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
            switch (dtype) {
                case FLOAT32:
                    bb.asFloatBuffer().put((float[]) data, start, n);
                    break;
                case FLOAT64:
                    bb.asDoubleBuffer().put((double[]) data, start, n);
                    break;
                case INT32:
                    bb.asIntBuffer().put((int[]) data, start, n);
                    break;
                default:
                    bb.asLongBuffer().put((long[]) data, start, n);
                    break;
            }
            out.write(buffer, 0, n * dtype.bytes());
        }
        out.flush();
    }

    private static int[] resolveShape(int length, int[] shape) {
        if (shape.length == 0) {
            return new int[] {length};
        }
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative dimension in shape " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != length) {
            throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but the data has " + length);
        }
        return shape;
    }

    /** The magic, version, length and dict header, padded with spaces and a newline to a multiple of 64 bytes. */
    private static byte[] header(NpyDtype dtype, int[] shape) {
        StringBuilder dims = new StringBuilder();
        for (int d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? shape[0] + "," : dims.length() == 0 ? ""
                : dims.substring(0, dims.length() - 2);
        String dict = "{'descr': '" + dtype.descr() + "', 'fortran_order': False, 'shape': (" + shapeText + "), }";
        int prefixV1 = MAGIC.length + 2 + 2;
        boolean v1 = dict.length() + 1 + prefixV1 + ALIGNMENT <= 0xffff;
        int prefix = v1 ? prefixV1 : MAGIC.length + 2 + 4;
        int unpadded = prefix + dict.length() + 1;
        int padding = (ALIGNMENT - unpadded % ALIGNMENT) % ALIGNMENT;
        String text = dict + " ".repeat(padding) + "\n";
        byte[] textBytes = text.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer bb = ByteBuffer.allocate(prefix + textBytes.length).order(ByteOrder.LITTLE_ENDIAN);
        bb.put(MAGIC);
        bb.put((byte) (v1 ? 1 : 2)).put((byte) 0);
        if (v1) {
            bb.putShort((short) textBytes.length);
        } else {
            bb.putInt(textBytes.length);
        }
        bb.put(textBytes);
        return bb.array();
    }
}
