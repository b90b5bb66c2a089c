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
import org.sp2ot.jobs.cli.UsageException;

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

    /** The table without labels (label null), for an unlabelled run. */
    private static List<Row> unlabelled() {
        List<Row> rows = new ArrayList<>();
        for (Row row : blobs(-1)) {
            rows.add(RowFactory.create(row.get(0), row.get(1), null));
        }
        return rows;
    }

    private static final String[] LEAN = {"--set", "train.methods=sp2ot,p2ot", "--set", "evaluate.kmeans=false"};

    /** {@code --config conf --run-id id} plus the lean settings and {@code extra}. */
    private static String[] lean(String id, String... extra) {
        List<String> argv = new ArrayList<>(List.of("--config", conf.toString(), "--run-id", id));
        argv.addAll(List.of(LEAN));
        argv.addAll(List.of(extra));
        return argv.toArray(String[]::new);
    }

    private static RunConfig configOf(String... argv) {
        List<String> withoutFlags = new ArrayList<>(List.of(argv));
        withoutFlags.remove("--overwrite");
        return RunCommand.loadConfig(Args.parse(withoutFlags.toArray(String[]::new)));
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
            // The blobs are 5 sigma apart per axis: every method, balanced OT and k-means included, separates them.
            assertTrue(train.path("acc").asDouble() >= 0.95, method + " ACC on separated blobs: " + train);
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
        UsageException e = assertThrows(UsageException.class, () -> run("--config",
                conf.toString(), "--run-id", "nan", "--set", "input.path=" + bad));
        assertTrue(e.getMessage().contains("NaN") && e.getMessage().contains("7"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("runs/nan/features")), "no features table after the rejection");
        assertFalse(Files.exists(dir.resolve("runs/nan/_lock")));
    }

    @Test
    void knnWithAConfigRunsTheKnnStageOfTheRun() {
        UsageException e = assertThrows(UsageException.class, () -> new org.sp2ot.jobs.KnnCommand()
                .run(Args.parse(new String[] {"--config", conf.toString(), "--run-id", "no-features"})));
        assertTrue(e.getMessage().contains("run the 'extract' stage first"), e.getMessage());
    }

    @Test
    void oneStageBeforeItsInputsSaysWhichStageToRunFirst() {
        UsageException e = assertThrows(UsageException.class, () -> new StageCommand("train",
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(Args.parse(new String[] {"--config", conf.toString(), "--run-id", "empty"})));
        assertTrue(e.getMessage().contains("run the 'extract' stage first"), e.getMessage());
    }

    @Test
    void failedOverwriteRerunLeavesNoMixedRunAndTheRetryRecomputesIt() throws Exception {
        String[] first = lean("failed-overwrite");
        run(first);
        Path runDir = dir.resolve("runs/failed-overwrite");
        Path small = dir.resolve("ten-rows.parquet");
        write(small, blobs(-1).subList(0, 10));
        // issue 14, sequence 1: --overwrite replaces the features by 10 rows, then training rejects batch 16 > 10
        UsageException e = assertThrows(UsageException.class, () -> run(lean("failed-overwrite", "--overwrite",
                "--set", "input.path=" + small)));
        assertTrue(e.getMessage().contains("train.batch = 16 exceeds the 10 training samples"), e.getMessage());
        for (String gone : List.of("_RUN_SUCCESS", "metrics.json", "report.html", "config.conf", "model",
                "assignments")) {
            assertFalse(Files.exists(runDir.resolve(gone)), gone + " of the old run was removed before rewriting");
        }
        // the retry with the original config is a consistent run again, not a skip over mixed outputs
        String retry = run(first);
        assertTrue(retry.matches("(?s).*extract\\s+recomputing \\(stale: input.path .*"), retry);
        RunConsistency.assertOneRun(runDir, configOf(first), SparkTestSession.get());
        JsonNode metrics = new ObjectMapper().readTree(runDir.resolve("metrics.json").toFile());
        assertEquals(60, metrics.path("methods").path("sp2ot").path("train").path("samples").asInt());
    }

    @Test
    void overwriteRerunStoppedDuringTheSecondHeadLeavesNoMixedRun() throws Exception {
        String[] first = lean("stopped-overwrite");
        run(first);
        Path runDir = dir.resolve("runs/stopped-overwrite");
        // issue 14, sequence 2: an --overwrite rerun with other settings stops while training the second head
        String[] second = lean("stopped-overwrite", "--set", "train.seed=7", "--set", "train.epochs=3");
        RunConfig other = configOf(second);
        SparkSession spark = SparkTestSession.get();
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        try (org.sp2ot.jobs.io.RunDirectory directory = org.sp2ot.jobs.io.RunDirectory.open(
                spark.sparkContext().hadoopConfiguration(), other.out(), other.runId())) {
            RunPipeline pipeline = new RunPipeline(other, spark, directory, true, quiet);
            pipeline.extract();
            pipeline.knn();
            pipeline.train("sp2ot");
        }
        assertFalse(Files.exists(runDir.resolve("model/p2ot")), "the old p2ot head does not outlive the overwrite");
        assertFalse(Files.exists(runDir.resolve("metrics.json")));
        assertFalse(Files.exists(runDir.resolve("_RUN_SUCCESS")));
        // the plain rerun with the first config recomputes what the stopped run changed, and only that
        String rerun = run(first);
        assertTrue(rerun.matches("(?s).*extract\\s+skipped.*"), rerun);
        assertTrue(rerun.matches("(?s).*train sp2ot\\s+recomputing \\(stale: train.epochs 3 -> 2, train.seed 7 -> 0\\).*"),
                rerun);
        RunConsistency.assertOneRun(runDir, configOf(first), spark);
        String log = Files.readString(runDir.resolve("train-log/sp2ot.jsonl"));
        assertEquals(2, log.lines().count(), "the training log is the rerun's, not the stopped run's:\n" + log);
    }

    @Test
    void changedSettingUnderAnExistingIdIsAppliedAndSaid() throws Exception {
        run(lean("changed"));
        String console = run(lean("changed", "--set", "train.lam0=100"));
        assertTrue(console.matches("(?s).*train sp2ot\\s+recomputing \\(stale: train.lam0 10 -> 100\\).*"), console);
        assertTrue(console.matches("(?s).*train p2ot\\s+skipped.*"), "p2ot does not read lam0:\n" + console);
        assertTrue(console.matches("(?s).*assign sp2ot\\s+done.*"), console);
        assertTrue(console.matches("(?s).*assign p2ot\\s+skipped.*"), console);
        RunConsistency.assertOneRun(dir.resolve("runs/changed"), configOf(lean("changed", "--set", "train.lam0=100")),
                SparkTestSession.get());
    }

    @Test
    void unlabelledRunWritesTheCompletionMarkerALabelFreeReportAndNoDanglingPaths() throws Exception {
        Path table = dir.resolve("unlabelled.parquet");
        write(table, unlabelled());
        String[] argv = lean("unlabelled", "--set", "input.path=" + table, "--set", "train.methods=p2ot");
        String console = run(argv);
        Path runDir = dir.resolve("runs/unlabelled");
        assertTrue(Files.exists(runDir.resolve("_RUN_SUCCESS")), console);
        assertFalse(Files.exists(runDir.resolve("metrics.json")));
        RunConsistency.assertOneRun(runDir, configOf(argv), SparkTestSession.get());
        java.util.regex.Matcher paths = java.util.regex.Pattern.compile("(file:\\S+)").matcher(
                console.substring(console.indexOf("finished in")));
        int listed = 0;
        while (paths.find()) {
            listed++;
            assertTrue(Files.exists(Path.of(java.net.URI.create(paths.group(1).replace("file:/", "file:///")))),
                    "the summary lists only outputs that exist: " + paths.group(1) + "\n" + console);
        }
        assertTrue(listed >= 2, console);
        String summary = console.substring(console.indexOf("finished in"));
        assertFalse(summary.contains("metrics.json"), summary);
        // without labels report.html holds the label-free sections (issue 12), and the summary lists it
        assertTrue(summary.contains("report.html"), summary);
        String report = Files.readString(runDir.resolve("report.html"));
        assertTrue(report.contains("id=\"sizes\"") && report.contains("id=\"training\"")
                && !report.contains("id=\"heatmaps\""), "label-free report sections");
        assertTrue(summary.contains("_RUN_SUCCESS"), summary);
    }

    @Test
    void lockHeldByAnotherRunExits3() throws IOException {
        Path runDir = Files.createDirectories(dir.resolve("runs/locked"));
        Files.writeString(runDir.resolve("_lock"), "host=elsewhere.example\npid=1\nstarted=x\n");
        assertEquals(org.sp2ot.jobs.cli.ExitCodes.BUSY,
                Main.run(new String[] {"run", "--config", conf.toString(), "--run-id", "locked"}));
        assertEquals(org.sp2ot.jobs.cli.ExitCodes.BUSY,
                Main.run(new String[] {"train", "--config", conf.toString(), "--run-id", "locked"}));
    }

    @Test
    void knnKLargerThanTheDataIsAConfigErrorNamingKnnK() throws Exception {
        UsageException e = assertThrows(UsageException.class, () -> run(lean("knn-k", "--set", "knn.k=59")));
        assertTrue(e.getMessage().contains("knn.k = 59") && e.getMessage().contains("set knn.k to at most 58"),
                e.getMessage());
        assertEquals(org.sp2ot.jobs.cli.ExitCodes.USAGE, Main.run(new String[] {"knn", "--config", conf.toString(),
                "--run-id", "knn-k", "--set", "knn.k=59"}));
    }

    @Test
    void csvWithAHeaderRowIsReadWithInputHeader() throws Exception {
        Path csv = dir.resolve("blobs.csv");
        StringBuilder text = new StringBuilder("id,a,b,c,d,label\n");
        for (Row row : blobs(-1)) {
            float[] x = (float[]) row.get(1);
            text.append(row.getLong(0)).append(',').append(x[0]).append(',').append(x[1]).append(',').append(x[2])
                    .append(',').append(x[3]).append(',').append(row.getInt(2)).append('\n');
        }
        Files.writeString(csv, text);
        new StageCommand("extract", new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8))
                .run(Args.parse(lean("csv", "--set", "input.path=" + csv, "--set", "input.header=true")));
        Dataset<Row> features = SparkTestSession.get().read().parquet(dir.resolve("runs/csv/features").toString());
        assertEquals(60, features.count());
        assertEquals(4, features.first().getList(1).size());
        assertEquals(5, features.where("label = 2").count());
    }
}
