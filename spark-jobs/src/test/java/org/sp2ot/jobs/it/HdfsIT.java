package org.sp2ot.jobs.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.RunCommand;
import org.sp2ot.jobs.SparkTestSession;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.io.RunDirectory;
import org.sp2ot.jobs.io.RunLock;

/**
 * The pipeline on HDFS: a MiniDFSCluster (one NameNode, one DataNode, in this JVM) holds the run directory; the
 * manifest, features, graph, models and assignments are written to and read back from {@code hdfs://} paths, and the
 * run lock is taken atomically at the NameNode.
 */
class HdfsIT {

    @TempDir
    static Path base;

    private static MiniDFSCluster hdfs;
    private static String root;

    @BeforeAll
    static void startHdfs() throws Exception {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("dfs").toString());
        hdfs = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        hdfs.waitActive();
        root = "hdfs://127.0.0.1:" + hdfs.getNameNodePort();
        SparkSession spark = SparkTestSession.get();
        spark.sparkContext().hadoopConfiguration().set("dfs.client.use.datanode.hostname", "false");
    }

    @AfterAll
    static void stopHdfs() {
        if (hdfs != null) {
            hdfs.shutdown();
        }
    }

    private static String run(String... argv) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        int status = new RunCommand(console).run(Args.parse(argv));
        assertEquals(0, status);
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void demoPipelineReadsAndWritesEveryTableOnHdfs() throws Exception {
        SparkTestSession.get();
        String out = root + "/runs";
        String console = run("--config", ChildJvm.projectRoot().resolve("conf/demo.conf").toString(),
                "--run-id", "hdfs", "--set", "out=" + out, "--set", "train.methods=sp2ot",
                "--set", "train.epochs=1", "--set", "evaluate.kmeans=false", "--set", "train.mm-max-iter=3",
                "--set", "knn.k=10");
        assertTrue(console.contains(out + "/hdfs/metrics.json"), console);

        FileSystem fs = FileSystem.get(java.net.URI.create(root), SparkTestSession.get().sparkContext()
                .hadoopConfiguration());
        for (String table : new String[] {"manifest", "features", "knn", "model/sp2ot", "assignments/method=sp2ot"}) {
            assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out + "/hdfs/" + table + "/_SUCCESS")), table);
        }
        assertTrue(fs.exists(new org.apache.hadoop.fs.Path(out + "/hdfs/metrics.json")));
        assertFalse(fs.exists(new org.apache.hadoop.fs.Path(out + "/hdfs/_lock")));
        long features = SparkTestSession.get().read().parquet(out + "/hdfs/features").count();
        assertEquals(features, SparkTestSession.get().read().parquet(out + "/hdfs/assignments/method=sp2ot").count());
        long training = SparkTestSession.get().read().parquet(out + "/hdfs/manifest")
                .where("split = 'train'").count();
        assertEquals(training, SparkTestSession.get().read().parquet(out + "/hdfs/knn").count(),
                "the graph covers the training rows");

        String again = run("--config", ChildJvm.projectRoot().resolve("conf/demo.conf").toString(),
                "--run-id", "hdfs", "--set", "out=" + out, "--set", "train.methods=sp2ot",
                "--set", "train.epochs=1", "--set", "evaluate.kmeans=false", "--set", "train.mm-max-iter=3",
                "--set", "knn.k=10");
        assertTrue(again.contains("skipped"), "a finished run's stages are skipped on HDFS too:\n" + again);
    }

    @Test
    void lockOnHdfsKeepsASecondRunOut() throws Exception {
        Configuration conf = SparkTestSession.get().sparkContext().hadoopConfiguration();
        try (RunDirectory first = RunDirectory.open(conf, root + "/locks", "r")) {
            RunLock.RunLockedException e = assertThrows(RunLock.RunLockedException.class,
                    () -> RunDirectory.open(conf, root + "/locks", "r"));
            assertTrue(e.getMessage().contains(first.lockFile().toString()), e.getMessage());
        }
    }
}
