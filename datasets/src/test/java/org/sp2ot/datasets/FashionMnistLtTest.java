package org.sp2ot.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FashionMnistLtTest {

    /** Writes IDX files of {@code perClass} images per class (label = i % 10, pixel value = label * 20 + 1). */
    private static void writeIdx(Path dir, String prefix, int perClass) throws IOException {
        int count = perClass * 10;
        try (DataOutputStream images = gz(dir.resolve(prefix + "-images-idx3-ubyte.gz"));
                DataOutputStream labels = gz(dir.resolve(prefix + "-labels-idx1-ubyte.gz"))) {
            images.writeInt(0x803);
            images.writeInt(count);
            images.writeInt(28);
            images.writeInt(28);
            labels.writeInt(0x801);
            labels.writeInt(count);
            for (int i = 0; i < count; i++) {
                int label = i % 10;
                labels.writeByte(label);
                byte[] pixels = new byte[784];
                Arrays.fill(pixels, (byte) (label * 20 + 1));
                pixels[0] = (byte) 255;
                images.write(pixels);
            }
        }
    }

    private static DataOutputStream gz(Path file) throws IOException {
        OutputStream out = Files.newOutputStream(file);
        return new DataOutputStream(new GZIPOutputStream(out));
    }

    @Test
    void keepsTheExponentialProfileInTheSeededClassOrderAndTheWholeTestSplit(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 600);
        writeIdx(dir, "t10k", 100);
        FashionMnistLt data = FashionMnistLt.read(new Configuration(), dir.toString(), 100, 3, 600);
        int[] order = FashionMnistLt.classOrder(3);
        long[] expected = LongTailProfile.exponentialCounts(600, 100, 10);
        for (int r = 0; r < 10; r++) {
            assertEquals(expected[r], data.trainCounts()[order[r]], "rank " + r);
        }
        long total = Arrays.stream(expected).sum();
        assertEquals(total, Arrays.stream(data.trainCounts()).sum());
        assertEquals(total, data.numTrain());
        assertEquals(total + 1000, data.numRows());
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, sorted);
        assertTrue(!Arrays.equals(order, FashionMnistLt.classOrder(4)), "another seed, another order");
        // pixels / 255 and the label travel with every row
        float[] first = data.pixels(0);
        assertEquals(1.0f, first[0], 0.0f);
        assertEquals((data.label(0) * 20 + 1) / 255f, first[1], 1e-7f);
    }

    @Test
    void manifestAndFeaturesHaveTheSameIdsLabelsAndSplits(@TempDir Path dir) throws IOException {
        writeIdx(dir, "train", 30);
        writeIdx(dir, "t10k", 2);
        var spark = SparkTestSession.get();
        // the profile needs 60 images of the head class but the file has 30: refused, naming the file
        IOException tooFew = assertThrows(IOException.class,
                () -> FashionMnistLt.read(new Configuration(), dir.toString(), 1, 0, 60));
        assertTrue(tooFew.getMessage().contains("train-labels-idx1-ubyte.gz"), tooFew.getMessage());
        FashionMnistLt data = FashionMnistLt.read(new Configuration(), dir.toString(), 10, 0, 30);
        List<Row> manifest = data.manifest(spark).orderBy("id").collectAsList();
        List<Row> features = data.features(spark).orderBy("id").collectAsList();
        assertEquals(data.numRows(), manifest.size());
        assertEquals(data.numRows(), features.size());
        for (int id = 0; id < data.numRows(); id += 7) {
            assertEquals((long) id, manifest.get(id).getLong(0));
            assertEquals(manifest.get(id).getInt(2), features.get(id).getInt(2));
            assertEquals(id < data.numTrain() ? Manifests.TRAIN : Manifests.TEST, manifest.get(id).getString(4));
            assertEquals(784, features.get(id).getList(1).size());
            assertTrue(manifest.get(id).getString(1).contains("-images-idx3-ubyte.gz#"));
        }
    }

    @Test
    void aMissingOrDamagedFileIsNamed(@TempDir Path dir) throws IOException {
        IOException missing = assertThrows(IOException.class,
                () -> FashionMnistLt.read(new Configuration(), dir.toString(), 100, 0));
        assertTrue(missing.getMessage().contains("train-images-idx3-ubyte.gz does not exist"), missing.getMessage());
        writeIdx(dir, "train", 1);
        try (DataOutputStream bad = gz(dir.resolve("train-images-idx3-ubyte.gz"))) {
            bad.writeInt(0x12345678);
        }
        IOException damaged = assertThrows(IOException.class,
                () -> FashionMnistLt.read(new Configuration(), dir.toString(), 100, 0));
        assertTrue(damaged.getMessage().contains("is not an unsigned-byte IDX file"), damaged.getMessage());
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), new byte[] {1, 2, 3});
        IOException notGzip = assertThrows(IOException.class,
                () -> FashionMnistLt.read(new Configuration(), dir.toString(), 100, 0));
        assertTrue(notGzip.getMessage().contains("train-images-idx3-ubyte.gz"), notGzip.getMessage());
    }

    @Test
    void theDebianCopyGivesTheBenchmarkSizes() throws IOException {
        assumeTrue(Files.isRegularFile(Path.of(FashionMnistLt.DEBIAN_DIR, "train-images-idx3-ubyte.gz")),
                "dataset-fashion-mnist is not installed");
        FashionMnistLt data = FashionMnistLt.read(new Configuration(), FashionMnistLt.DEBIAN_DIR, 100, 0);
        assertEquals(14_886, data.numTrain());
        assertEquals(24_886, data.numRows());
    }
}
