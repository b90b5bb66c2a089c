package org.sp2ot.datasets.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * An output folder filled through staging: each piece is written under a hidden staging path next to its final
 * place and only renamed into place by {@link #commit()}, after everything was written, the manifest last (it is
 * what later stages look for). A failure before the commit leaves no complete-looking output; {@link #abort()}
 * removes the staging paths. Works on any Hadoop file system ({@code hdfs://}, {@code file:}). The one home of the
 * stage-then-rename step ({@link #moveIntoPlace}): the manifest, the {@code knn} command and the run directory's stage
 * outputs all publish through it.
 */
public final class StagedOutput {
    private final FileSystem fs;
    private final Path out;
    private final boolean overwrite;
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final List<Path[]> pending = new ArrayList<>();

    public StagedOutput(Configuration conf, String out, boolean overwrite) throws IOException {
        Path outPath = new Path(out);
        this.fs = outPath.getFileSystem(conf);
        this.out = fs.makeQualified(outPath);
        this.overwrite = overwrite;
    }

    /** The final place of the piece {@code name}. */
    public Path target(String name) {
        return new Path(out, name);
    }

    /**
     * The staging path for the piece {@code name}, registered for {@link #commit()}; pieces are committed in the
     * order they were staged, so stage the piece readers look for (the manifest) last.
     *
     * @throws IOException when the final place exists and overwriting was not asked for
     */
    public Path stage(String name) throws IOException {
        Path target = target(name);
        if (fs.exists(target) && !overwrite) {
            throw new IOException(target + " already exists; remove it, choose another --out or pass --overwrite");
        }
        Path staging = new Path(out, "_staging-" + tag + "-" + name);
        fs.delete(staging, true);
        pending.add(new Path[] {staging, target});
        return staging;
    }

    /** Writes a small UTF-8 text file (e.g. JSON statistics) to a staging path from {@link #stage}. */
    public void writeText(Path staging, String text) throws IOException {
        try (OutputStream os = fs.create(staging, true)) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Renames every staged piece into place, in the order staged; an existing target is replaced. */
    public void commit() throws IOException {
        for (Path[] p : pending) {
            moveIntoPlace(fs, p[0], p[1]);
        }
        pending.clear();
    }

    /**
     * Replaces {@code target} by {@code source} with one rename, deleting an old {@code target} first and creating
     * the parent folder if needed; readers see the old output, nothing, or the complete new one.
     */
    public static void moveIntoPlace(FileSystem fs, Path source, Path target) throws IOException {
        if (fs.exists(target) && !fs.delete(target, true)) {
            throw new IOException("could not remove the old " + target + " to replace it");
        }
        fs.mkdirs(target.getParent());
        if (!fs.rename(source, target)) {
            throw new IOException("could not rename " + source + " to " + target);
        }
    }

    /** Deletes whatever was staged and not committed. */
    public void abort() {
        for (Path[] p : pending) {
            try {
                fs.delete(p[0], true);
            } catch (IOException ignored) {
                // best effort: the staging name is hidden from readers either way
            }
        }
        pending.clear();
    }
}
