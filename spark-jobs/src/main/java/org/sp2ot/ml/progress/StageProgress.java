package org.sp2ot.ml.progress;

import java.util.Locale;
import java.util.function.Consumer;

import org.apache.spark.SparkContext;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sp2ot.ml.data.TrainLog;

/**
 * Progress of long executor work, as training reports it per epoch: "extract: 1200/8668 images (35.1/s) ETA 3m32s".
 * The executors add to a Spark {@link LongAccumulator} ({@link #counter()}) as they finish items; a daemon thread on
 * the driver reads it every interval and writes a line when it has moved, and {@link #close()} writes the final
 * line with the total time. Spark merges a task's additions when the task ends, so the count moves task by task.
 */
public final class StageProgress implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StageProgress.class);

    /** Default interval between two lines, milliseconds. */
    public static final long DEFAULT_INTERVAL_MS = 10_000;

    /** Where the lines go by default: INFO of this class's logger. */
    public static final Consumer<String> LOG_SINK = LOG::info;

    private final String stage;
    private final String unit;
    private final long total;
    private final Consumer<String> sink;
    private final LongAccumulator counter;
    private final long startNanos = System.nanoTime();
    private final Thread poller;
    private long lastReported = -1;

    private StageProgress(SparkContext sc, String stage, String unit, long total, Consumer<String> sink,
            long intervalMillis) {
        this.stage = stage;
        this.unit = unit;
        this.total = total;
        this.sink = sink;
        this.counter = sc.longAccumulator(stage + " progress");
        this.poller = new Thread(() -> poll(intervalMillis), "sp2ot-progress-" + stage);
        poller.setDaemon(true);
    }

    /**
     * Starts reporting.
     *
     * @param stage the line's prefix, e.g. {@code "extract"}
     * @param unit  what is counted, plural, e.g. {@code "images"}
     * @param total how many there are (the denominator, for the share and the ETA)
     */
    public static StageProgress start(SparkContext sc, String stage, String unit, long total, Consumer<String> sink,
            long intervalMillis) {
        if (intervalMillis < 1) {
            throw new IllegalArgumentException("the progress interval must be at least 1 ms, got " + intervalMillis);
        }
        StageProgress progress = new StageProgress(sc, stage, unit, total, sink, intervalMillis);
        progress.poller.start();
        return progress;
    }

    /** The accumulator the executors add finished items to (serialisable into task closures). */
    public LongAccumulator counter() {
        return counter;
    }

    private void poll(long intervalMillis) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                Thread.sleep(intervalMillis);
                report();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void report() {
        long done = counter.value();
        if (done != lastReported) {
            lastReported = done;
            sink.accept(line(stage, unit, done, total, (System.nanoTime() - startNanos) / 1e9));
        }
    }

    /** Stops the thread and writes the final line: how many were done, in how long, at what rate. */
    @Override
    public void close() {
        poller.interrupt();
        try {
            poller.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        long done = counter.value();
        synchronized (this) {
            sink.accept(String.format(Locale.ROOT, "%s: %d/%d %s done in %.1f s (%s/s)", stage, done, total, unit,
                    seconds, rate(done, seconds)));
        }
    }

    /**
     * One progress line: done out of total, the share, the mean rate since the start and the ETA at that rate
     * ("ETA ?" before anything is done).
     */
    public static String line(String stage, String unit, long done, long total, double elapsedSeconds) {
        double share = total > 0 ? 100.0 * done / total : 100;
        String eta = done > 0 && elapsedSeconds > 0
                ? TrainLog.duration(Math.max(0, total - done) * elapsedSeconds / done) : "?";
        return String.format(Locale.ROOT, "%s: %d/%d %s (%.1f%%, %s/s) ETA %s", stage, done, total, unit, share,
                rate(done, elapsedSeconds), eta);
    }

    private static String rate(long done, double seconds) {
        double perSecond = seconds > 0 ? done / seconds : 0;
        return perSecond >= 100 ? String.format(Locale.ROOT, "%.0f", perSecond)
                : String.format(Locale.ROOT, "%.2f", perSecond);
    }
}
