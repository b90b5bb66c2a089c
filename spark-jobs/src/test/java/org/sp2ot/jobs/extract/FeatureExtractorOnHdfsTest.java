package org.sp2ot.jobs.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureExtractorOnHdfsTest {
    private static final int SIDE = 16;

    @Test
    void readsTheModelAndTheImagesFromHdfs(@TempDir Path base) throws Exception {
        float[] w = {1f, 0f, -1f, 0.5f, 2f, 0.25f};
        float[] b = {0.5f, -0.5f};
        Path torchScript = PooledLinearModel.writeTorchScript(base.resolve("backbone.pt"), w, b);
        List<String> localImages = ExtractFixtures.writeImages(base, 3);
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.resolve("dfs").toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf).numDataNodes(1).build();
        try {
            cluster.waitActive();
            FileSystem fs = cluster.getFileSystem();
            String root = fs.getUri() + "/data";
            String model = root + "/backbone.pt";
            fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(torchScript.toUri()),
                    new org.apache.hadoop.fs.Path(model));
            List<String> hdfsImages = new ArrayList<>();
            for (String local : localImages) {
                String remote = root + "/" + new File(local).getName();
                fs.copyFromLocalFile(new org.apache.hadoop.fs.Path(new File(local).toURI()),
                        new org.apache.hadoop.fs.Path(remote));
                hdfsImages.add(remote);
            }
            ExtractOptions options = ExtractOptions.defaults(model).withSizes(20, SIDE);

            ExtractionResult result = FeatureExtractor.extract(ExtractFixtures.manifest(hdfsImages, 2), options);
            List<Row> rows = result.features().orderBy("id").collectAsList();
            result.unpersist();

            assertTrue(model.startsWith("hdfs://"), model);
            assertEquals(3, rows.size());
            ImagePreprocessor preprocessor = options.preprocessor();
            for (Row row : rows) {
                int i = (int) row.getLong(0);
                float[] input = new float[preprocessor.inputLength()];
                preprocessor.toInput(ImageIO.read(new File(localImages.get(i))), input, 0);
                List<Float> values = row.getList(1);
                float[] features = new float[values.size()];
                for (int j = 0; j < features.length; j++) {
                    features[j] = values.get(j);
                }
                assertArrayEquals(PooledLinearModel.forward(input, SIDE, w, b), features, 1e-5f);
            }
        } finally {
            cluster.shutdown();
        }
    }
}
