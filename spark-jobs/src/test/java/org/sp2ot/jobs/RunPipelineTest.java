package org.sp2ot.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.cli.Args;

/**
 * The {@code run} pipeline on a tiny feature table (three separated, imbalanced blobs: 40/15/5 rows in 4 dims):
 * every stage's output in place and to contract, one assignments partition per method, metrics for every method,
 * stages skipped on a rerun, and a table with a NaN row rejected naming it before anything is written.
 */
class RunPipelineTest {
    private static final StructType FEATURES = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("label", DataTypes.IntegerType, true);
    private static final int[] SIZES = {40, 15, 5};

    @TempDir
    static Path dir;
    private static Path table;
    private static Path conf;

    @BeforeAll
    static void tinyFeatureTable() throws IOException {
        table = dir.resolve("blobs.parquet");
        write(table, blobs(-1));
        conf = dir.resolve("blobs.conf");
        Files.writeString(conf, String.join("\n",
                "out = \"" + dir.resolve("runs") + "\"",
                "input { type = features, path = \"" + table + "\" }",
                "knn { k = 5 }",
                // lam0 scaled to the 32-row bank: the graph term grows as lam0 / N (Q entries are O(1/N), ALGORITHM.md §2),
                // and the paper's 1000 is meant for 5120 rows.
                "train { k = 3, methods = [sp2ot, p2ot, ot], epochs = 2, batch = 16, bank-factor = 2, lam0 = 10 }",
                "evaluate.kmeans = true",
                "spark.conf { \"spark.sql.shuffle.partitions\" = 2 }", ""));
    }

    /** The blobs; when {@code nanRow >= 0}, that row's first value is NaN. */
    private static List<Row> blobs(int nanRow) {
        Random random = new Random(5);
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < SIZES.length; c++) {
            for (int i = 0; i < SIZES[c]; i++) {
                float[] x = new float[4];
                for (int j = 0; j < x.length; j++) {
                    x[j] = (j == c ? 5f : 0f) + (float) (0.3 * random.nextGaussian());
                }
                if (rows.size() == nanRow) {
                    x[0] = Float.NaN;
                }
                rows.add(RowFactory.create((long) rows.size(), x, c));
            }
        }
        return rows;
    }

    private static void write(Path path, List<Row> rows) {
        SparkSession spark = SparkTestSession.get();
        spark.createDataFrame(rows, FEATURES).coalesce(1).write().parquet(path.toString());
    }

    private static String run(String... argv) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int status = new RunCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)).run(Args.parse(argv));
        assertEquals(0, status);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void runWritesEveryStageToContractAndSkipsThemOnARerun() throws Exception {
        String console = run("--config", conf.toString(), "--run-id", "blobs");
        Path runDir = dir.resolve("runs/blobs");
        for (String stage : List.of("manifest", "features", "knn", "model/sp2ot", "model/p2ot", "model/ot",
                "assignments/method=sp2ot", "assignments/method=p2ot", "assignments/method=ot",
                "assignments/method=kmeans")) {
            assertTrue(Files.exists(runDir.resolve(stage).resolve("_SUCCESS")), stage + " committed");
        }
        assertTrue(Files.exists(runDir.resolve("config.conf")));
        assertFalse(Files.exists(runDir.resolve("_staging")));
        assertFalse(Files.exists(runDir.resolve("_lock")));

        Dataset<Row> assignments = SparkTestSession.get().read().parquet(runDir.resolve("assignments").toString());
        assertArrayEquals(new String[] {"id", "path", "cluster", "confidence", "weight", "run_id", "method"},
                assignments.columns());
        for (String method : List.of("sp2ot", "p2ot", "ot", "kmeans")) {
            assertEquals(60, assignments.where("method = '" + method + "'").count(), method);
        }
        assertEquals(0, assignments.where("run_id <> 'blobs'").count());

        JsonNode metrics = new ObjectMapper().readTree(runDir.resolve("metrics.json").toFile());
        for (String method : List.of("sp2ot", "p2ot", "ot", "kmeans")) {
            JsonNode train = metrics.path("methods").path(method).path("train");
            assertTrue(train.path("acc").isNumber() && train.path("nmi").isNumber() && train.path("tail").isNumber(),
                    method + ": " + train);
        }
        assertTrue(Files.exists(runDir.resolve("report.html")));
        assertTrue(console.matches("(?s).*metrics: +file:\\S*/runs/blobs/metrics.json.*"), console);
        assertTrue(console.matches("(?s).*kmeans\\s+train\\s+\\d.*"), "the metrics table is printed:\n" + console);

        String again = run("--config", conf.toString(), "--run-id", "blobs");
        for (String stage : List.of("extract", "knn", "train sp2ot", "train ot", "assign p2ot", "kmeans")) {
            assertTrue(again.matches("(?s).*" + stage + "\\s+skipped.*"), stage + " skipped on a rerun:\n" + again);
        }
    }

    @Test
    void featureTableWithANanRowIsRejectedNamingTheRow() throws IOException {
        Path bad = dir.resolve("nan.parquet");
        write(bad, blobs(7));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> run("--config",
                conf.toString(), "--run-id", "nan", "--set", "input.path=" + bad));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("7"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("runs/nan/features")), "no features table after the rejection");
        assertFalse(Files.exists(dir.resolve("runs/nan/_lock")));
    }

    @Test
    void knnWithAConfigRunsTheKnnStageOfTheRun() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new org.sp2ot.jobs.knn.KnnCommand()
                .run(Args.parse(new String[] {"--config", conf.toString(), "--run-id", "no-features"})));
        assertTrue(e.getMessage().contains("run the 'extract' stage first"), e.getMessage());
    }

    @Test
    void oneStageBeforeItsInputsSaysWhichStageToRunFirst() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new StageCommand("train",
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(Args.parse(new String[] {"--config", conf.toString(), "--run-id", "empty"})));
        assertTrue(e.getMessage().contains("run the 'extract' stage first"), e.getMessage());
    }
}
