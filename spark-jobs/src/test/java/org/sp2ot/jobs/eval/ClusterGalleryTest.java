package org.sp2ot.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import javax.imageio.ImageIO;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.SparkTestSession;

class ClusterGalleryTest {
    @TempDir
    static Path dir;
    private static List<ClusterGallery.Cluster> gallery;

    /** 30 images of 200 x 120 in clusters 0 (15), 1 (10) and 2 (5); member m of a cluster has confidence 1 - m/100. */
    @BeforeAll
    static void build() throws Exception {
        SparkSession spark = SparkTestSession.get();
        List<Row> rows = new ArrayList<>();
        long id = 0;
        int[] sizes = {15, 10, 5};
        for (int cluster = 0; cluster < sizes.length; cluster++) {
            for (int m = 0; m < sizes[cluster]; m++) {
                BufferedImage image = new BufferedImage(200, 120, BufferedImage.TYPE_INT_RGB);
                image.setRGB(m, cluster, 0xffffff);
                Path file = dir.resolve("img-" + id + ".png");
                ImageIO.write(image, "png", file.toFile());
                String path = id == 14 ? dir.resolve("missing.png").toString() : file.toString();
                rows.add(RowFactory.create(id++, path, cluster, 1f - m / 100f));
            }
        }
        StructType schema = new StructType().add("id", DataTypes.LongType).add("path", DataTypes.StringType)
                .add("cluster", DataTypes.IntegerType).add("confidence", DataTypes.FloatType);
        Dataset<Row> assignments = spark.createDataFrame(rows, schema).repartition(3);
        gallery = ClusterGallery.build(assignments, 2, spark.sparkContext().hadoopConfiguration());
    }

    @Test
    void showsAtMostTheCapOfClustersLargestFirst() {
        assertEquals(2, gallery.size());
        assertEquals(0, gallery.get(0).cluster());
        assertEquals(15, gallery.get(0).size());
        assertEquals(1, gallery.get(1).cluster());
        assertEquals(10, gallery.get(1).size());
    }

    @Test
    void showsTheEightMostConfidentAndFourOfTheLeastConfident() {
        ClusterGallery.Cluster first = gallery.get(0);
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), first.confident().stream()
                .map(ClusterGallery.Thumb::id).toList());
        assertEquals(List.of(14L, 13L, 12L, 11L), first.uncertain().stream().map(ClusterGallery.Thumb::id).toList());
        // cluster 1 has 10 members: 8 confident, the other 2 are its least confident
        assertEquals(8, gallery.get(1).confident().size());
        assertEquals(List.of(24L, 23L), gallery.get(1).uncertain().stream().map(ClusterGallery.Thumb::id).toList());
    }

    @Test
    void thumbnailsDecodeToAtMost96PixelsKeepingTheAspect() throws Exception {
        int decoded = 0;
        for (ClusterGallery.Cluster c : gallery) {
            List<ClusterGallery.Thumb> all = new ArrayList<>(c.confident());
            all.addAll(c.uncertain());
            for (ClusterGallery.Thumb t : all) {
                if (t.dataUri() == null) {
                    continue;
                }
                assertTrue(t.dataUri().startsWith("data:image/jpeg;base64,"));
                byte[] bytes = Base64.getDecoder().decode(t.dataUri().substring("data:image/jpeg;base64,".length()));
                BufferedImage image = ImageIO.read(new ByteArrayInputStream(bytes));
                assertEquals(96, image.getWidth());
                assertEquals(58, image.getHeight());
                decoded++;
            }
        }
        assertEquals(8 + 3 + 8 + 2, decoded);
    }

    @Test
    void anUnreadableImageIsShownAsAnErrorNotAFailure() {
        ClusterGallery.Thumb missing = gallery.get(0).uncertain().get(0);
        assertEquals(14L, missing.id());
        assertNull(missing.dataUri());
        assertNotNull(missing.error());
    }

    @Test
    void smallImagesAreNotEnlarged() {
        BufferedImage scaled = ClusterGallery.scaleToFit(new BufferedImage(28, 28, BufferedImage.TYPE_BYTE_GRAY), 96);
        assertEquals(28, scaled.getWidth());
        assertEquals(28, scaled.getHeight());
    }
}
