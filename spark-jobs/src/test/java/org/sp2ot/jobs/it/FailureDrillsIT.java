package org.sp2ot.jobs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.RunCommand;
import org.sp2ot.jobs.RunConsistency;
import org.sp2ot.jobs.SparkTestSession;
import org.sp2ot.jobs.cli.Args;

/**
 * Failure drills (issue 6): what happens when things break mid-run.
 * <ul>
 *   <li>a task that fails once is retried by Spark and the result is identical ({@link FlakyTaskDrill});</li>
 *   <li>a driver killed during training leaves no complete-looking model, and the rerun takes over the stale lock,
 *       resumes from the newest epoch checkpoint and ends with the same assignments as an uninterrupted run;</li>
 *   <li>an {@code --overwrite} rerun with other settings killed at a random point (5 times, on a 60-row table) never
 *       leaves a mixed run: the next plain run ends with every output carrying the fingerprint of its config
 *       (issue 14).</li>
 * </ul>
 */
class FailureDrillsIT {
    private static final int EPOCHS = 8;
    private static final Pattern EPOCH_LINE = Pattern.compile("epoch (\\d+)/" + EPOCHS + " ");

    @TempDir
    Path dir;

    @Test
    void taskFailingOnceIsRetriedWithAnIdenticalResult() throws Exception {
        try (ChildJvm drill = ChildJvm.start(ChildJvm.testClassPath(), List.of("-Xmx1g"),
                FlakyTaskDrill.class.getName(), List.of(), Map.of(), dir.resolve("flaky.log"))) {
            int exit = drill.waitFor(4, TimeUnit.MINUTES);
            String log = drill.tail(40);
            assertEquals(0, exit, log);
            assertTrue(log.matches("(?s).*failed-tasks=[1-9]\\d* identical=true.*"), log);
        }
    }

    private List<String> runArgs(String runId) {
        return new ArrayList<>(List.of("run", "--config", ChildJvm.projectRoot().resolve("conf/demo.conf").toString(),
                "--run-id", runId, "--set", "out=" + dir.resolve("runs").toUri(), "--set", "train.methods=p2ot",
                "--set", "train.epochs=" + EPOCHS, "--set", "evaluate.kmeans=false"));
    }

    private static int firstEpochLogged(String log) {
        Matcher m = EPOCH_LINE.matcher(log);
        return m.find() ? Integer.parseInt(m.group(1)) : -1;
    }

    @Test
    void driverKilledDuringTrainingResumesFromTheLastCheckpoint() throws Exception {
        Path run = dir.resolve("runs/killed");
        Path checkpoints = run.resolve("checkpoints/p2ot");
        try (ChildJvm first = ChildJvm.start(ChildJvm.testClassPath(), List.of("-Xmx2g"), "org.sp2ot.jobs.Main",
                runArgs("killed"), Map.of(), dir.resolve("first.log"))) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(4);
            while (!Files.exists(checkpoints.resolve("epoch-2")) && first.process().isAlive()
                    && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertTrue(first.process().isAlive(), "the run ended before it could be killed:\n" + first.tail(40));
            assertTrue(Files.exists(checkpoints.resolve("epoch-2")), "no checkpoint within 4 minutes:\n"
                    + first.tail(40));
        }
        assertFalse(Files.exists(run.resolve("model/p2ot/_SUCCESS")),
                "training finished before the kill; raise EPOCHS so the drill kills it mid-training");
        assertFalse(Files.exists(run.resolve("model/p2ot")), "no complete-looking model after the kill");
        assertTrue(Files.exists(run.resolve("_lock")), "the killed run left its lock");

        try (ChildJvm second = ChildJvm.start(ChildJvm.testClassPath(), List.of("-Xmx2g"), "org.sp2ot.jobs.Main",
                runArgs("killed"), Map.of(), dir.resolve("second.log"))) {
            int exit = second.waitFor(6, TimeUnit.MINUTES);
            String log = Files.readString(second.log());
            assertEquals(0, exit, second.tail(60));
            assertTrue(log.contains("stale lock"), "the rerun took over the dead run's lock:\n" + second.tail(60));
            assertTrue(log.contains("extract") && log.contains("skipped"), "finished stages are skipped:\n" + log);
            int resumedAt = firstEpochLogged(log);
            assertTrue(resumedAt >= 3, "the rerun's first epoch is " + resumedAt + ", not after the checkpoint:\n"
                    + second.tail(60));
        }

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<String> straight = runArgs("straight");
        straight.remove(0);
        assertEquals(0, new RunCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .run(Args.parse(straight.toArray(String[]::new))));
        Dataset<Row> resumed = SparkTestSession.get().read().parquet(run.resolve("assignments/method=p2ot").toString())
                .select("id", "cluster").withColumnRenamed("cluster", "resumed");
        Dataset<Row> uninterrupted = SparkTestSession.get().read()
                .parquet(dir.resolve("runs/straight/assignments/method=p2ot").toString()).select("id", "cluster");
        long n = uninterrupted.count();
        long same = resumed.join(uninterrupted, "id").where("resumed = cluster").count();
        assertEquals(n, same, "killed-and-resumed training ends with the uninterrupted run's clusters");
    }

    /** 60 rows in 4 dims, three imbalanced blobs (40/15/5), labelled. */
    private Path blobs() {
        Random random = new Random(5);
        List<Row> rows = new ArrayList<>();
        int[] sizes = {40, 15, 5};
        for (int c = 0; c < sizes.length; c++) {
            for (int i = 0; i < sizes[c]; i++) {
                float[] x = new float[4];
                for (int j = 0; j < x.length; j++) {
                    x[j] = (j == c ? 5f : 0f) + (float) (0.3 * random.nextGaussian());
                }
                rows.add(RowFactory.create((long) rows.size(), x, c));
            }
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("label", DataTypes.IntegerType, true);
        Path table = dir.resolve("blobs.parquet");
        SparkTestSession.get().createDataFrame(rows, schema).coalesce(1).write().parquet(table.toString());
        return table;
    }

    private List<String> leanRun(Path table, String... sets) {
        List<String> args = new ArrayList<>(List.of("run", "--config",
                ChildJvm.projectRoot().resolve("conf/demo.conf").toString(), "--run-id", "drill",
                "--set", "out=" + dir.resolve("runs").toUri(), "--set", "input.type=features",
                "--set", "input.path=" + table, "--set", "knn.k=5", "--set", "train.k=3",
                "--set", "train.methods=sp2ot,p2ot", "--set", "train.epochs=3", "--set", "train.batch=16",
                "--set", "train.bank-factor=2", "--set", "train.lam0=10", "--set", "evaluate.kmeans=false",
                "--set", "spark.master=local[2]", "--set", "spark.conf.\"spark.ui.enabled\"=false",
                "--set", "spark.conf.\"spark.sql.shuffle.partitions\"=2"));
        for (String set : sets) {
            args.add("--set");
            args.add(set);
        }
        return args;
    }

    private static int runToEnd(List<String> args, Path log) throws Exception {
        try (ChildJvm child = ChildJvm.start(ChildJvm.testClassPath(), List.of("-Xmx1g"), "org.sp2ot.jobs.Main", args,
                Map.of(), log)) {
            // generous: a 60-row run took 230 s on a 2-core machine at load average 29 (other builds beside it)
            int exit = child.waitFor(10, TimeUnit.MINUTES);
            assertEquals(0, exit, (exit == -1 ? "no exit within 10 minutes (killed):\n" : "") + child.tail(40));
            return exit;
        }
    }

    @Test
    void overwriteRerunKilledAtARandomPointNeverLeavesAMixedRun() throws Exception {
        Path table = blobs();
        Path runDir = dir.resolve("runs/drill");
        long seed = Long.getLong("sp2ot.drill.seed", System.nanoTime());
        Random random = new Random(seed);
        List<String> base = leanRun(table);
        long start = System.nanoTime();
        runToEnd(base, dir.resolve("base.log"));
        long fullMillis = (System.nanoTime() - start) / 1_000_000;
        String previous = RunConsistency.assertOneRun(runDir, RunConsistency.configOf(base.subList(1, base.size())),
                SparkTestSession.get());
        for (int drill = 1; drill <= 5; drill++) {
            // each overwrite changes settings of every stage in turn: the training seed, then the graph, then both
            List<String> other = leanRun(table, "train.seed=" + drill, "knn.k=" + (drill % 2 == 0 ? 4 : 5));
            other.add("--overwrite");
            long killAfter = 2000 + (long) (random.nextDouble() * Math.max(1, fullMillis - 2000));
            try (ChildJvm overwrite = ChildJvm.start(ChildJvm.testClassPath(), List.of("-Xmx1g"),
                    "org.sp2ot.jobs.Main", other, Map.of(), dir.resolve("overwrite-" + drill + ".log"))) {
                overwrite.process().waitFor(killAfter, TimeUnit.MILLISECONDS);
            }
            // the next plain run: with the killed run's settings on odd drills, with the original ones on even drills
            List<String> plain = drill % 2 == 1 ? other.subList(0, other.size() - 1) : base;
            runToEnd(plain, dir.resolve("plain-" + drill + ".log"));
            String print = RunConsistency.assertOneRun(runDir, RunConsistency.configOf(plain.subList(1, plain.size())),
                    SparkTestSession.get());
            System.out.printf("drill %d (seed %d): killed after %d of ~%d ms, then a plain run: one run, fingerprint %s"
                    + " (previous %s)%n", drill, seed, killAfter, fullMillis, print, previous);
            previous = print;
        }
    }
}
