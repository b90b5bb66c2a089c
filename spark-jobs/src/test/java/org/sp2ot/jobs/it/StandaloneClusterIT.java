package org.sp2ot.jobs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.SparkTestSession;

/**
 * The shaded application jar on a real Spark standalone cluster (issue 6): a Master and two Workers of one core each,
 * separate JVMs on loopback, and {@code SparkSubmit} in client mode sending the jar with the demo pipeline (small:
 * SP2OT for one epoch with few MM steps, and k-means). The cluster's class path is Spark's alone: this project's
 * classes, DJL, Aparapi and typesafe config reach the driver and the executors only through the shaded jar.
 */
class StandaloneClusterIT {

    @TempDir
    Path dir;

    @Test
    void shadedJarRunsTheDemoPipelineOnTwoExecutors() throws Exception {
        Path jar = Path.of(System.getProperty("sp2ot.shaded.jar", "target/sp2ot-spark-jobs-all.jar"));
        assertTrue(Files.isRegularFile(jar), "the shaded jar " + jar + " is missing: run mvn package first");
        Path out = dir.resolve("runs");
        try (StandaloneCluster cluster = StandaloneCluster.start(dir, 2, 1, "1g", Duration.ofSeconds(90))) {
            List<String> submit = new ArrayList<>(List.of(
                    "--master", cluster.masterUrl(),
                    "--deploy-mode", "client",
                    "--class", "org.sp2ot.jobs.Main",
                    "--conf", "spark.executor.cores=1",
                    "--conf", "spark.cores.max=2",
                    "--conf", "spark.executor.memory=640m",
                    "--conf", "spark.driver.host=127.0.0.1",
                    "--conf", "spark.ui.enabled=false",
                    "--conf", "spark.sql.shuffle.partitions=4",
                    "--conf", "spark.executor.extraJavaOptions=" + String.join(" ", ChildJvm.SPARK_JAVA17_OPTIONS),
                    jar.toAbsolutePath().toString(),
                    "run",
                    "--config", ChildJvm.projectRoot().resolve("conf/demo.conf").toString(),
                    "--run-id", "cluster",
                    "--set", "out=" + out.toUri(),
                    "--set", "train.methods=sp2ot",
                    "--set", "train.epochs=1",
                    "--set", "train.mm-max-iter=3",
                    "--set", "knn.k=10",
                    "--set", "evaluate.kmeans-max-iter=5"));
            try (ChildJvm driver = ChildJvm.start(ChildJvm.sparkProvidedClassPath(), List.of("-Xmx2g"),
                    "org.apache.spark.deploy.SparkSubmit", submit,
                    Map.of("SPARK_HOME", cluster.sparkHome().toString(), "SPARK_SCALA_VERSION", "2.13"),
                    dir.resolve("logs/driver.log"))) {
                int exit = driver.waitFor(8, TimeUnit.MINUTES);
                assertEquals(0, exit, "spark-submit failed (exit " + exit + "):\n" + driver.tail(60) + "\n"
                        + cluster.logs());
                String log = Files.readString(driver.log());
                assertTrue(log.contains("run cluster finished"), driver.tail(40));
                System.out.println(log.lines().filter(line -> line.contains(" done in ") || line.contains("finished"))
                        .reduce("", (a, b) -> a + b + "\n"));
            }
            List<Path> executors = cluster.executorDirectories();
            assertEquals(2, executors.size(), "one executor per worker: " + executors);
        }

        Path run = out.resolve("cluster");
        Dataset<Row> assignments = SparkTestSession.get().read().parquet(run.resolve("assignments").toString());
        Dataset<Row> features = SparkTestSession.get().read().parquet(run.resolve("features").toString());
        long n = features.count();
        long training = SparkTestSession.get().read().parquet(run.resolve("manifest").toString())
                .where(functions.col("split").equalTo("train")).count();
        for (String method : List.of("sp2ot", "kmeans")) {
            Dataset<Row> rows = assignments.where(functions.col("method").equalTo(method));
            long expected = method.equals("kmeans") ? training : n;
            assertEquals(expected, rows.count(), method + ": one assignment per row (k-means: per training row)");
            assertEquals(expected, rows.select("id").distinct().count(), method + ": ids unique");
            assertEquals(0, rows.where(functions.col("cluster").lt(0).or(functions.col("cluster").geq(100))).count(),
                    method + ": clusters in [0, K)");
        }
        JsonNode metrics = new ObjectMapper().readTree(run.resolve("metrics.json").toFile());
        for (String method : List.of("sp2ot", "kmeans")) {
            JsonNode train = metrics.path("methods").path(method).path("train");
            double acc = train.path("acc").asDouble(Double.NaN);
            // The same command in local[*] (2026-12-01) gave SP2OT 0.379 and k-means 0.370 on these 8,668 rows, whose
            // largest class is 4.6% (the ACC of putting every row in one cluster); 0.30 leaves room for the cluster's
            // other partitioning and still fails a run that learnt nothing.
            assertTrue(acc >= 0.30 && acc <= 1.0, method + " train ACC " + acc + " in " + metrics);
            assertTrue(train.has("nmi") && train.has("f1") && train.has("ari") && train.has("head")
                    && train.has("medium") && train.has("tail"), method + ": " + train);
        }
        assertTrue(Files.isRegularFile(run.resolve("report.html")));
        assertTrue(Files.notExists(run.resolve("_lock")), "the run released its lock");
    }
}
