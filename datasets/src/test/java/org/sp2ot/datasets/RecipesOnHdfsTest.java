package org.sp2ot.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The recipes read their input from and write their output to {@code hdfs://} paths (a MiniDFSCluster). */
class RecipesOnHdfsTest {

    @TempDir
    static Path base;

    private static MiniDFSCluster cluster;
    private static FileSystem fs;
    private static String root;

    @BeforeAll
    static void startHdfs() throws IOException {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.toString());
        cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        cluster.waitActive();
        fs = cluster.getFileSystem();
        root = fs.getUri().toString();
    }

    @AfterAll
    static void stopHdfs() {
        if (cluster != null) {
            cluster.shutdown();
        }
    }

    private static void write(String path, byte[] bytes) throws IOException {
        try (OutputStream os = fs.create(new org.apache.hadoop.fs.Path(path), true)) {
            os.write(bytes);
        }
    }

    private static byte[] records(int... labels) {
        byte[] all = new byte[labels.length * Cifar100Lt.RECORD_BYTES];
        for (int i = 0; i < labels.length; i++) {
            all[i * Cifar100Lt.RECORD_BYTES + 1] = (byte) labels[i];
        }
        return all;
    }

    @Test
    void cifarRecordsOnHdfsBecomePngsAndAManifestOnHdfs() throws IOException {
        String in = root + "/raw/cifar";
        write(in + "/train.bin", records(99, 99, 99, 99, 99, 99, 0));
        write(in + "/test.bin", records(0, 99));
        String out = root + "/runs/cifar";
        SparkSession spark = SparkTestSession.get();
        ManifestStats stats = ManifestBuilder.build(spark, "cifar100-lt", in, out, Map.of());
        assertEquals(6, stats.numTrain());
        List<Row> rows = spark.read().parquet(out + "/manifest").collectAsList();
        assertEquals(8, rows.size());
        for (Row r : rows) {
            String path = r.getString(1);
            assertTrue(path.startsWith(root + "/runs/cifar/images/"), path);
            assertTrue(fs.isFile(new org.apache.hadoop.fs.Path(path)), path);
        }
        assertTrue(fs.isFile(new org.apache.hadoop.fs.Path(out + "/manifest-stats.json")));
    }

    @Test
    void inaturalistListsOnHdfsResolveToHdfsImagePaths() throws IOException {
        String in = root + "/raw/inat";
        write(in + "/" + INaturalist2018.TRAIN_LIST, "a/1.jpg 3\na/2.jpg 3\nb/1.jpg 5\n".getBytes());
        write(in + "/" + INaturalist2018.VAL_LIST, "a/v.jpg 3\nb/v.jpg 5\n".getBytes());
        String out = root + "/runs/inat";
        SparkSession spark = SparkTestSession.get();
        ManifestBuilder.build(spark, "inat2018", in, out, Map.of());
        Row first = spark.read().parquet(out + "/manifest").orderBy("id").first();
        assertEquals(root + "/raw/inat/a/1.jpg", first.getString(1));
        assertEquals(0, first.getInt(2));
        assertEquals("3", first.getString(3));
    }
}
