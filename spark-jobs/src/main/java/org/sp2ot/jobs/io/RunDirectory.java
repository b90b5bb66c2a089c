package org.sp2ot.jobs.io;

import java.io.IOException;
import java.io.OutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sp2ot.datasets.io.StagedOutput;
import org.sp2ot.jobs.cli.UsageException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's directory {@code <out>/<run-id>/} (DESIGN.md, "Stage contracts"), on any Hadoop file system.
 * Opening it takes the run's lock ({@link RunLock}, file {@value #LOCK}) and removes what killed runs left in
 * {@value #STAGING} (and the {@code _staging-*} pieces a killed manifest build left in the run root); closing
 * releases the lock. Stages write through {@link #begin} and become visible only by {@link StageOutput#commit()},
 * so a complete-looking output is always a complete one; a committed output also holds the {@link Fingerprint} of
 * what produced it, and {@link #isCurrent} compares it with the expected one.
 */
public final class RunDirectory implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunDirectory.class);

    /** The lock file's name inside the run directory. */
    public static final String LOCK = "_lock";
    /** Where stages write before they commit (ignored by Spark's readers: leading underscore). */
    public static final String STAGING = "_staging";
    /** The marker a committed directory output holds. */
    public static final String SUCCESS = "_SUCCESS";

    private final FileSystem fs;
    private final Path root;
    private final RunLock lock;

    private RunDirectory(FileSystem fs, Path root, RunLock lock) {
        this.fs = fs;
        this.root = root;
        this.lock = lock;
    }

    /**
     * Opens (creating it when needed) and locks {@code <out>/<runId>}.
     *
     * @throws RunLock.RunLockedException when another live run holds it
     */
    public static RunDirectory open(Configuration hadoop, String out, String runId) throws IOException {
        Path root = new Path(out, runId);
        FileSystem fs = root.getFileSystem(hadoop);
        root = fs.makeQualified(root);
        boolean made;
        try {
            made = fs.mkdirs(root) && fs.getFileStatus(root).isDirectory();
        } catch (IOException e) {
            throw unwritable(out, root, e.getClass().getSimpleName() + ": " + e.getMessage());
        }
        if (!made) {
            throw unwritable(out, root, "mkdirs failed (permission denied, or a file is in the way)");
        }
        RunLock lock;
        try {
            lock = RunLock.acquire(fs, new Path(root, LOCK));
        } catch (AccessDeniedException | org.apache.hadoop.security.AccessControlException e) {
            throw unwritable(out, root, "permission denied: " + e.getMessage());
        }
        try {
            removeOrphans(fs, root);
            return new RunDirectory(fs, root, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    private static UsageException unwritable(String out, Path root, String why) {
        return new UsageException("out = " + out + ": the run directory " + root + " cannot be created or written ("
                + why + "); choose a writable location with --set out=PATH");
    }

    /**
     * Removes what killed runs left: {@value #STAGING} and the {@code _staging-*} pieces of an interrupted manifest
     * build or stand-alone write in the run root. Called with the lock held, so no live run owns them.
     */
    private static void removeOrphans(FileSystem fs, Path root) throws IOException {
        for (FileStatus entry : fs.listStatus(root)) {
            String name = entry.getPath().getName();
            if (name.equals(STAGING) || name.startsWith(STAGING + "-")) {
                LOG.info("Removing unfinished output of an earlier run: {}", entry.getPath());
                fs.delete(entry.getPath(), true);
            }
        }
    }

    public FileSystem fs() {
        return fs;
    }

    /** The run directory, fully qualified (e.g. {@code file:/...} or {@code hdfs://host:port/...}). */
    public Path root() {
        return root;
    }

    /** {@code relative} inside the run directory. */
    public Path path(String relative) {
        return new Path(root, relative);
    }

    /** The run directory's lock file. */
    public Path lockFile() {
        return lock.file();
    }

    /** Whether the directory output {@code relative} was committed ({@value #SUCCESS} inside it). */
    public boolean isComplete(String relative) throws IOException {
        return fs.exists(new Path(path(relative), SUCCESS));
    }

    /** The fingerprint recorded in the directory output {@code relative}; null when it has none (or is missing). */
    public Fingerprint fingerprint(String relative) throws IOException {
        Path file = new Path(path(relative), Fingerprint.FILE_NAME);
        if (!fs.exists(file)) {
            return null;
        }
        return Fingerprint.parse(readFile(relative + "/" + Fingerprint.FILE_NAME));
    }

    /** Whether {@code relative} is committed and was produced by exactly {@code expected}. */
    public boolean isCurrent(String relative, Fingerprint expected) throws IOException {
        return isComplete(relative) && expected.equals(fingerprint(relative));
    }

    /** The UTF-8 text of the file {@code relative}. */
    public String readFile(String relative) throws IOException {
        try (InputStream in = fs.open(path(relative))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Deletes the output {@code relative} (file or directory) when it exists; true when something was deleted. */
    public boolean delete(String relative) throws IOException {
        Path target = path(relative);
        return fs.exists(target) && fs.delete(target, true);
    }

    /** Whether the file output {@code relative} exists (file outputs appear only by an atomic rename). */
    public boolean fileExists(String relative) throws IOException {
        return fs.exists(path(relative));
    }

    /**
     * Starts the directory output {@code relative} (e.g. {@code "knn"} or {@code "assignments/method=sp2ot"}):
     * the stage writes under {@link StageOutput#staging()}, a fresh {@code _staging/<name>-<uuid>}.
     *
     * @param overwrite whether a committed output may be replaced; without it, beginning a committed stage fails
     */
    public StageOutput begin(String relative, boolean overwrite) throws IOException {
        if (!overwrite && isComplete(relative)) {
            throw new IllegalStateException("stage output " + path(relative) + " is already complete;"
                    + " use --overwrite to recompute it");
        }
        return begin(relative, (Fingerprint) null);
    }

    /**
     * Starts the directory output {@code relative}, replacing a committed one on {@link StageOutput#commit()};
     * the commit records {@code fingerprint} (when not null) inside the output, in the same rename.
     */
    public StageOutput begin(String relative, Fingerprint fingerprint) throws IOException {
        String name = relative.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + UUID.randomUUID();
        Path staging = new Path(path(STAGING), name);
        fs.mkdirs(staging);
        return new StageOutput(this, relative, staging, fingerprint);
    }

    /**
     * Puts a staged file or directory ({@code staged}, inside this run's {@value #STAGING}) in place as the output
     * {@code relative} with one rename; a directory gets {@value #SUCCESS} and, when not null, {@code fingerprint}
     * first, so that it appears complete and fingerprinted at once.
     */
    public void publish(Path staged, String relative, Fingerprint fingerprint) throws IOException {
        if (fs.getFileStatus(staged).isDirectory()) {
            if (fingerprint != null) {
                try (OutputStream out = fs.create(new Path(staged, Fingerprint.FILE_NAME), true)) {
                    out.write(fingerprint.render().getBytes(StandardCharsets.UTF_8));
                }
            }
            Path marker = new Path(staged, SUCCESS);
            if (!fs.exists(marker)) {
                fs.create(marker, true).close();
            }
        }
        moveIntoPlace(staged, path(relative));
    }

    /** Writes {@code text} to the file {@code relative} atomically: a staged file renamed into place. */
    public void writeFileAtomically(String relative, String text) throws IOException {
        Path staged = new Path(path(STAGING), relative.replace('/', '_') + "-" + UUID.randomUUID());
        try (OutputStream out = fs.create(staged, true)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        moveIntoPlace(staged, path(relative));
    }

    /** Replaces {@code target} by {@code source} with one rename (deleting an old {@code target} first). */
    void moveIntoPlace(Path source, Path target) throws IOException {
        StagedOutput.moveIntoPlace(fs, source, target);
    }

    /** Removes what is left in {@value #STAGING} (outputs of stages that failed) and releases the lock. */
    @Override
    public void close() throws IOException {
        try {
            fs.delete(path(STAGING), true);
        } finally {
            lock.close();
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
