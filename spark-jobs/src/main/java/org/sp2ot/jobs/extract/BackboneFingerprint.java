package org.sp2ot.jobs.extract;

import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The content hash (SHA-256) of the backbone an extract stage ran: of the model file, or of every file of a model
 * directory (relative names and contents, in name order). The extract stage records it in the run directory
 * ({@value #FILE}); {@code predict} recomputes it before extracting new images, so that new images are embedded by
 * exactly the network whose features the head was trained on.
 */
public final class BackboneFingerprint {
    /** The record in the run directory: the hash, two spaces, the model path. */
    public static final String FILE = "backbone.sha256";

    private BackboneFingerprint() {
    }

    /** The SHA-256 of the model at {@code location} (hex). */
    public static String of(Configuration conf, String location) throws IOException {
        Path root = new Path(location);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) {
            throw new IOException("backbone " + location + " does not exist");
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
        List<Path> files = new ArrayList<>();
        collect(fs, root, files);
        files.sort(null);
        String prefix = fs.makeQualified(root).toString();
        byte[] buffer = new byte[1 << 20];
        for (Path file : files) {
            if (fs.getFileStatus(root).isDirectory()) {
                digest.update(fs.makeQualified(file).toString().substring(prefix.length())
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            try (InputStream in = fs.open(file)) {
                int n;
                while ((n = in.read(buffer)) > 0) {
                    digest.update(buffer, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /** The line {@value #FILE} holds for {@code location}. */
    public static String record(Configuration conf, String location) throws IOException {
        return of(conf, location) + "  " + location + "\n";
    }

    /** The hash in a {@value #FILE} line. */
    public static String hashOf(String recordLine) {
        String line = recordLine.strip();
        int space = line.indexOf(' ');
        return space < 0 ? line : line.substring(0, space);
    }

    private static void collect(FileSystem fs, Path path, List<Path> files) throws IOException {
        FileStatus status = fs.getFileStatus(path);
        if (!status.isDirectory()) {
            files.add(status.getPath());
            return;
        }
        for (FileStatus child : fs.listStatus(path)) {
            collect(fs, child.getPath(), files);
        }
    }
}
