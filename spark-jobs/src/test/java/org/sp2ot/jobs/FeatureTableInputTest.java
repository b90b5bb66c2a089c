package org.sp2ot.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.datasets.FeatureTable;
import org.sp2ot.datasets.io.Npy;
import org.sp2ot.jobs.io.RunDirectory;
import scala.jdk.javaapi.CollectionConverters;

/**
 * A {@code .npy} feature table becomes the run's {@code features/} and {@code manifest/} in one pass over the file:
 * a SparkListener counts the stages and tasks that read it (the RDD named {@link FeatureTable#NPY_RDD_NAME}).
 */
class FeatureTableInputTest {
    private static final int N = 3001;
    private static final int D = 12;

    @TempDir
    Path dir;

    /** Counts the completed stages (and their tasks) whose lineage includes the .npy reader. */
    private static final class NpyStages extends SparkListener {
        final AtomicInteger stages = new AtomicInteger();
        final AtomicInteger tasks = new AtomicInteger();

        @Override
        public void onStageCompleted(SparkListenerStageCompleted event) {
            StageInfo info = event.stageInfo();
            boolean readsNpy = CollectionConverters.asJava(info.rddInfos()).stream()
                    .anyMatch(rdd -> rdd.name() != null && rdd.name().startsWith(FeatureTable.NPY_RDD_NAME));
            if (readsNpy) {
                stages.incrementAndGet();
                tasks.addAndGet(info.numTasks());
            }
        }
    }

    private static float value(int row, int col) {
        return (float) Math.sin(row * 0.37 + col * 1.3) + row % 7;
    }

    private Path writeNpy() throws IOException {
        float[] data = new float[N * D];
        int[] labels = new int[N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < D; j++) {
                data[i * D + j] = value(i, j);
            }
            labels[i] = i % 5;
        }
        Path features = dir.resolve("x.npy");
        Npy.write(features, data, N, D);
        Npy.write(dir.resolve("y.npy"), labels, N);
        return features;
    }

    @Test
    void npyIsReadInOnePassIntoFeaturesAndManifest() throws Exception {
        SparkSession spark = SparkTestSession.get();
        Path npy = writeNpy();
        NpyStages listener = new NpyStages();
        spark.sparkContext().listenerBus().waitUntilEmpty();
        spark.sparkContext().addSparkListener(listener);
        try (RunDirectory run = RunDirectory.open(new Configuration(), dir.resolve("runs").toString(), "one-pass")) {
            InputStage.writeFeatureTable(spark, run, npy.toString(), "auto",
                    Map.of("labels", dir.resolve("y.npy").toString()));
            spark.sparkContext().listenerBus().waitUntilEmpty();
            assertEquals(1, listener.stages.get(), "stages that read the .npy");
            assertEquals(spark.sparkContext().defaultParallelism(), listener.tasks.get(),
                    "tasks that read the .npy: one per row range");

            assertTrue(run.isComplete(RunPipeline.FEATURES));
            assertTrue(run.isComplete(RunPipeline.MANIFEST));
            List<Row> rows = spark.read().parquet(run.path(RunPipeline.FEATURES).toString()).orderBy("id")
                    .collectAsList();
            assertEquals(N, rows.size());
            for (int i = 0; i < N; i += 250) {
                Row row = rows.get(i);
                assertEquals(i, row.getLong(0));
                float[] expected = new float[D];
                float[] actual = new float[D];
                List<Float> got = row.getList(1);
                for (int j = 0; j < D; j++) {
                    expected[j] = value(i, j);
                    actual[j] = got.get(j);
                }
                assertArrayEquals(expected, actual, "row " + i);
                assertEquals(i % 5, row.getInt(2));
            }
            assertEquals(N, spark.read().parquet(run.path(RunPipeline.MANIFEST).toString())
                    .where("split = 'train' AND label IS NOT NULL").count());
        } finally {
            spark.sparkContext().removeSparkListener(listener);
        }
    }

    @Test
    void truncatedNpyIsRejectedOnTheDriverNamingBothLengths() throws IOException {
        Path npy = writeNpy();
        try (RandomAccessFile file = new RandomAccessFile(npy.toFile(), "rw")) {
            file.setLength(file.length() - 100);
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FeatureTable.load(SparkTestSession.get(), npy.toString(), "auto", Map.of()));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("[" + N + ", " + D + "]"),
                e.getMessage());
    }

    @Test
    void invalidTableIsNotCommitted() throws IOException {
        SparkSession spark = SparkTestSession.get();
        float[] data = new float[40 * 3];
        data[17 * 3 + 1] = Float.NaN;
        Path npy = dir.resolve("nan.npy");
        Npy.write(npy, data, 40, 3);
        try (RunDirectory run = RunDirectory.open(new Configuration(), dir.resolve("runs").toString(), "nan")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> InputStage.writeFeatureTable(spark, run, npy.toString(), "auto", Map.of()));
            assertTrue(e.getMessage().contains("id 17 (NaN or infinite value)"), e.getMessage());
            assertFalse(run.isComplete(RunPipeline.FEATURES));
            assertFalse(run.isComplete(RunPipeline.MANIFEST));
        }
    }
}
