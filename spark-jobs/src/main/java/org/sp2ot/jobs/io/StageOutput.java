package org.sp2ot.jobs.io;

import java.io.IOException;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * The output of one stage while it is being written: a staging directory {@code <run>/_staging/<name>-<uuid>}
 * that becomes the final output only by {@link #commit()} (one rename). A run killed before the commit leaves
 * only the staging directory, which the next {@link RunDirectory#open} removes; the final path never holds a
 * partial result.
 */
public final class StageOutput {
    private final RunDirectory run;
    private final String relative;
    private final Path staging;
    private final Fingerprint fingerprint;
    private boolean done;

    StageOutput(RunDirectory run, String relative, Path staging, Fingerprint fingerprint) {
        this.run = run;
        this.relative = relative;
        this.staging = staging;
        this.fingerprint = fingerprint;
    }

    /** Where the stage writes (a directory that exists, fully qualified). */
    public Path staging() {
        return staging;
    }

    /** {@link #staging()} as a string, for Spark's writers. */
    public String stagingUri() {
        return staging.toString();
    }

    /** Where the output lies once committed. */
    public Path finalPath() {
        return run.path(relative);
    }

    /**
     * Marks the staged output complete ({@value RunDirectory#SUCCESS}, unless a Spark writer already wrote it),
     * writes its {@link Fingerprint} ({@value Fingerprint#FILE_NAME}) when it has one, and renames it into place,
     * replacing an older output of the same name.
     */
    public Path commit() throws IOException {
        checkOpen();
        run.publish(staging, relative, fingerprint);
        done = true;
        return finalPath();
    }

    /**
     * Publishes the staged files {@code names} as files of the run directory ({@code <run>/<name>}), one rename
     * each in the order given: the last one is the stage's completion mark (e.g. {@code metrics.json}).
     */
    public void commitFiles(String... names) throws IOException {
        checkOpen();
        for (String name : names) {
            Path file = new Path(staging, name);
            if (!run.fs().exists(file)) {
                throw new IOException("stage " + relative + " did not write " + file);
            }
        }
        for (String name : names) {
            run.moveIntoPlace(new Path(staging, name), run.path(name));
        }
        run.fs().delete(staging, true);
        done = true;
    }

    /** Deletes the staged output (a failed stage). */
    public void abort() throws IOException {
        if (!done) {
            done = true;
            run.fs().delete(staging, true);
        }
    }

    private void checkOpen() {
        if (done) {
            throw new IllegalStateException("stage output " + relative + " was already committed or aborted");
        }
    }
}
