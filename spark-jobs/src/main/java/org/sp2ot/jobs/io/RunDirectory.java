package org.sp2ot.jobs.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run's directory {@code <out>/<run-id>/} (DESIGN.md, "Stage contracts"), on any Hadoop file system.
 * Opening it takes the run's lock ({@link RunLock}, file {@value #LOCK}) and removes what killed runs left in
 * {@value #STAGING}; closing releases the lock. Stages write through {@link #begin} and become visible only by
 * {@link StageOutput#commit()}, so a complete-looking output is always a complete one.
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
        fs.mkdirs(root);
        RunLock lock = RunLock.acquire(fs, new Path(root, LOCK));
        try {
            Path staging = new Path(root, STAGING);
            if (fs.exists(staging)) {
                LOG.info("Removing unfinished stage outputs of an earlier run in {}", staging);
                fs.delete(staging, true);
            }
            return new RunDirectory(fs, root, lock);
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
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
        String name = relative.replaceAll("[^A-Za-z0-9._-]", "_") + "-" + UUID.randomUUID();
        Path staging = new Path(path(STAGING), name);
        fs.mkdirs(staging);
        return new StageOutput(this, relative, staging);
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
        if (fs.exists(target)) {
            fs.delete(target, true);
        }
        fs.mkdirs(target.getParent());
        if (!fs.rename(source, target)) {
            throw new IOException("could not rename " + source + " to " + target);
        }
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
