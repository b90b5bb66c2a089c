package org.sp2ot.ml.data;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.sp2ot.datasets.io.StagedOutput;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sp2ot.train.EpochStats;
import org.sp2ot.train.TrainingListener;

/**
 * Training progress for people and tools: one INFO line per epoch (epoch, loss, rho, lam, mean OT iterations, mean
 * OT weight, clusters used, largest cluster's share, seconds, ETA) and, when a path is given, {@code train-log.jsonl} with one JSON object per epoch. The file is rewritten whole
 * (temporary file + rename, any Hadoop file system) after each epoch from the full history, so after a resume it
 * still lists every epoch once.
 */
public final class TrainLog implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger(TrainLog.class);

    private final Configuration conf;
    private final String jsonlPath;

    /** @param jsonlPath where train-log.jsonl goes; null or empty for console only */
    public TrainLog(Configuration conf, String jsonlPath) {
        this.conf = conf;
        this.jsonlPath = jsonlPath == null || jsonlPath.isEmpty() ? null : jsonlPath;
    }

    @Override
    public void onEpoch(EpochStats stats, int totalEpochs, List<EpochStats> history) {
        double meanSeconds = history.stream().mapToDouble(EpochStats::seconds).skip(Math.max(0, history.size() - 5))
                .average().orElse(stats.seconds());
        double eta = meanSeconds * (totalEpochs - stats.epoch());
        LOG.info(String.format(Locale.ROOT,
                "epoch %d/%d loss %.5f rho %.4f lam %.2f mean OT iterations %.1f (MM steps %.1f) lr %.2e "
                        + "mean weight %.3f clusters used %d largest %.1f%% %.1fs ETA %s",
                stats.epoch(), totalEpochs, stats.loss(), stats.rho(), stats.lam(), stats.meanIterations(),
                stats.meanMmSteps(), stats.learningRate(), stats.meanWeight(), stats.clustersUsed(),
                100 * stats.largestShare(), stats.seconds(), duration(eta)));
        if (jsonlPath != null) {
            writeJsonl(history);
        }
    }

    private void writeJsonl(List<EpochStats> history) {
        StringBuilder text = new StringBuilder();
        for (EpochStats entry : history) {
            text.append(entry.toJson()).append('\n');
        }
        Path target = new Path(jsonlPath);
        try {
            FileSystem fs = target.getFileSystem(conf);
            Path parent = target.getParent();
            if (parent != null) {
                fs.mkdirs(parent);
            }
            Path temporary = new Path(parent, "_tmp-" + target.getName() + "-" + UUID.randomUUID());
            try (OutputStream out = fs.create(temporary, true)) {
                out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            }
            try {
                StagedOutput.moveIntoPlace(fs, temporary, target);
            } catch (IOException e) {
                fs.delete(temporary, false);
                throw e;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the training log " + jsonlPath, e);
        }
    }

    /** {@code 3m07s}, or {@code 2h05m} from an hour on. */
    public static String duration(double seconds) {
        long total = Math.round(seconds);
        return total >= 3600
                ? String.format(Locale.ROOT, "%dh%02dm", total / 3600, (total % 3600) / 60)
                : String.format(Locale.ROOT, "%dm%02ds", total / 60, total % 60);
    }
}
