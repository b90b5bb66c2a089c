package org.sp2ot.datasets;

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
 * removes the staging paths. Works on any Hadoop file system ({@code hdfs://}, {@code file:}).
 */
final class StagedOutput {
    private final FileSystem fs;
    private final Path out;
    private final boolean overwrite;
    private final String tag = UUID.randomUUID().toString().substring(0, 8);
    private final List<Path[]> pending = new ArrayList<>();

    StagedOutput(Configuration conf, String out, boolean overwrite) throws IOException {
        Path outPath = new Path(out);
        this.fs = outPath.getFileSystem(conf);
        this.out = fs.makeQualified(outPath);
        this.overwrite = overwrite;
    }

    /** The final place of the piece {@code name}. */
    Path target(String name) {
        return new Path(out, name);
    }

    /**
     * The staging path for the piece {@code name}, registered for {@link #commit()}; pieces are committed in the
     * order they were staged, so stage the piece readers look for (the manifest) last.
     *
     * @throws IOException when the final place exists and overwriting was not asked for
     */
    Path stage(String name) throws IOException {
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
    void writeText(Path staging, String text) throws IOException {
        try (OutputStream os = fs.create(staging, true)) {
            os.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Renames every staged piece into place, in the order staged; an existing target is replaced. */
    void commit() throws IOException {
        fs.mkdirs(out);
        for (Path[] p : pending) {
            if (fs.exists(p[1]) && !fs.delete(p[1], true)) {
                throw new IOException("could not remove the old " + p[1] + " to replace it");
            }
            if (!fs.rename(p[0], p[1])) {
                throw new IOException("could not rename " + p[0] + " to " + p[1]);
            }
        }
        pending.clear();
    }

    /** Deletes whatever was staged and not committed. */
    void abort() {
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
