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
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.RunCommand;
import org.sp2ot.jobs.SparkTestSession;
import org.sp2ot.jobs.cli.Args;

/**
 * Failure drills (issue 6): what happens when things break mid-run.
 * <ul>
 *   <li>a task that fails once is retried by Spark and the result is identical ({@link FlakyTaskDrill});</li>
 *   <li>a driver killed during training leaves no complete-looking model, and the rerun takes over the stale lock,
 *       resumes from the newest epoch checkpoint and ends with the same assignments as an uninterrupted run.</li>
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
}
