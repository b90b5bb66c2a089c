package org.sp2ot.jobs.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A marker file that keeps two runs out of one run directory. It is created atomically: with
 * {@code create(overwrite = false)} on distributed file systems (HDFS decides at the NameNode), and with
 * {@link Files#createFile} (O_EXCL) on the local file system, whose Hadoop {@code create(overwrite=false)} checks and
 * creates in two steps. The file says who holds it ({@code host}, {@code pid}, {@code started}); a lock left by a
 * process of this host that is no longer alive (a killed run) is stale and taken over with a warning. Any other
 * held lock is refused with a message naming the file and how to clear it.
 */
public final class RunLock implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunLock.class);

    private final FileSystem fs;
    private final Path file;
    private final String content;
    private boolean held = true;

    private RunLock(FileSystem fs, Path file, String content) {
        this.fs = fs;
        this.file = file;
        this.content = content;
    }

    /**
     * Takes the lock {@code file}.
     *
     * @throws RunLockedException when another live run holds it
     */
    public static RunLock acquire(FileSystem fs, Path file) throws IOException {
        String content = describeThisProcess();
        if (tryCreate(fs, file, content)) {
            return new RunLock(fs, file, content);
        }
        String holder = read(fs, file);
        if (isStale(holder)) {
            LOG.warn("Taking over stale lock {} of a process that is no longer running ({})", file, oneLine(holder));
            fs.delete(file, false);
            if (tryCreate(fs, file, content)) {
                return new RunLock(fs, file, content);
            }
            holder = read(fs, file);
        }
        throw new RunLockedException("run directory " + file.getParent() + " is in use by another run ("
                + oneLine(holder) + "): lock file " + file + ". If no run is using it any more (e.g. it was killed on"
                + " another machine), delete the lock file (hadoop fs -rm " + file + ", or rm for a local path) and"
                + " start again.");
    }

    private static boolean tryCreate(FileSystem fs, Path file, String content) throws IOException {
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
            java.nio.file.Path local = java.nio.file.Path.of(fs.makeQualified(file).toUri());
            try {
                Files.createFile(local);
            } catch (FileAlreadyExistsException e) {
                return false;
            }
            Files.write(local, bytes);
            return true;
        }
        try (OutputStream out = fs.create(file, false)) {
            out.write(bytes);
            return true;
        } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
            return false;
        } catch (IOException e) {
            if (fs.exists(file)) {
                return false;
            }
            throw e;
        }
    }

    private static String read(FileSystem fs, Path file) throws IOException {
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.FileNotFoundException e) {
            return "";
        }
    }

    /** The lock file's content for this process: {@code host=... pid=... started=...}, one per line. */
    static String describeThisProcess() {
        return "host=" + hostName() + "\npid=" + ProcessHandle.current().pid() + "\nstarted=" + Instant.now() + "\n";
    }

    /** A lock is stale when it names this host and a process id that is not alive. */
    static boolean isStale(String holder) {
        Map<String, String> fields = fields(holder);
        if (!hostName().equals(fields.get("host")) || fields.get("pid") == null) {
            return false;
        }
        try {
            long pid = Long.parseLong(fields.get("pid"));
            return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static Map<String, String> fields(String holder) {
        Map<String, String> fields = new TreeMap<>();
        for (String line : holder.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                fields.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
            }
        }
        return fields;
    }

    private static String oneLine(String holder) {
        return holder.isBlank() ? "holder unknown" : holder.strip().replace('\n', ' ');
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "unknown-host";
        }
    }

    public Path file() {
        return file;
    }

    /** Deletes the lock file if it is still this process's. */
    @Override
    public void close() throws IOException {
        if (!held) {
            return;
        }
        held = false;
        if (fs.exists(file) && read(fs, file).equals(content)) {
            fs.delete(file, false);
        }
    }

    /** Another live run holds the run directory. */
    public static final class RunLockedException extends org.sp2ot.jobs.cli.BusyException {
        private static final long serialVersionUID = 1L;

        RunLockedException(String message) {
            super(message);
        }
    }
}
