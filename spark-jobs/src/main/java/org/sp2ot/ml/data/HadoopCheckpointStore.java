package org.sp2ot.ml.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sp2ot.datasets.io.StagedOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sp2ot.train.CheckpointCodec;
import org.sp2ot.train.CheckpointStore;
import org.sp2ot.train.TrainingState;

/**
 * Checkpoints as files {@code <dir>/epoch-N} on any Hadoop file system (local, hdfs://, ...). Each is written to a
 * hidden temporary file in the same directory and renamed into place, so a listed {@code epoch-N} is complete; the
 * newest readable one is resumed from (a damaged newest one is reported and the one before it used). Only the
 * newest {@code keep} checkpoints are kept.
 */
public final class HadoopCheckpointStore implements CheckpointStore {
    private static final Logger LOG = LoggerFactory.getLogger(HadoopCheckpointStore.class);
    private static final Pattern NAME = Pattern.compile("epoch-(\\d+)");

    private final Path directory;
    private final FileSystem fs;
    private final int keep;

    public HadoopCheckpointStore(Configuration conf, String directory, int keep) throws IOException {
        if (keep < 1) {
            throw new IllegalArgumentException("keepCheckpoints must be >= 1, got " + keep);
        }
        this.directory = new Path(directory);
        this.fs = this.directory.getFileSystem(conf);
        this.keep = keep;
    }

    @Override
    public Optional<TrainingState> latest() throws IOException {
        for (Checkpoint checkpoint : listNewestFirst()) {
            try (InputStream in = fs.open(checkpoint.path())) {
                return Optional.of(CheckpointCodec.read(in, checkpoint.path().toString()));
            } catch (IOException e) {
                LOG.warn("Skipping unreadable checkpoint {}: {}", checkpoint.path(), e.getMessage());
            }
        }
        return Optional.empty();
    }

    @Override
    public void save(TrainingState state) throws IOException {
        fs.mkdirs(directory);
        Path target = new Path(directory, "epoch-" + state.epochsDone());
        Path temporary = new Path(directory, "_tmp-epoch-" + state.epochsDone() + "-" + UUID.randomUUID());
        try (OutputStream out = fs.create(temporary, true)) {
            CheckpointCodec.write(state, out);
        }
        try {
            StagedOutput.moveIntoPlace(fs, temporary, target);
        } catch (IOException e) {
            fs.delete(temporary, false);
            throw new IOException("could not write checkpoint " + target + ": " + e.getMessage(), e);
        }
        List<Checkpoint> all = listNewestFirst();
        for (int i = keep; i < all.size(); i++) {
            fs.delete(all.get(i).path(), false);
        }
    }

    /** The directory the checkpoints are in. */
    public Path directory() {
        return directory;
    }

    private List<Checkpoint> listNewestFirst() throws IOException {
        List<Checkpoint> found = new ArrayList<>();
        if (!fs.exists(directory)) {
            return found;
        }
        for (FileStatus status : fs.listStatus(directory)) {
            Matcher matcher = NAME.matcher(status.getPath().getName());
            if (status.isFile() && matcher.matches()) {
                found.add(new Checkpoint(Integer.parseInt(matcher.group(1)), status.getPath()));
            }
        }
        found.sort(Comparator.comparingInt(Checkpoint::epoch).reversed());
        return found;
    }

    private record Checkpoint(int epoch, Path path) {
    }
}
