package org.sp2ot.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import javax.imageio.ImageIO;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar100LtTest {
    /** Fine labels of the training records, in file order: class 99 (quota 5) has 7 records. */
    private static final int[] TRAIN_LABELS = {99, 0, 99, 99, 50, 99, 0, 99, 99, 0, 50, 99};
    private static final int[] TEST_LABELS = {1, 0, 1, 0};

    @TempDir
    Path dir;

    @TempDir
    static Path shared;

    private static List<Row> defaultRows;

    /** The manifest of the fixture with default options, built once for the tests that only read it. */
    private static synchronized List<Row> defaultBuild() throws IOException {
        if (defaultRows == null) {
            defaultRows = build(fixture(shared), shared.resolve("out"), Map.of());
        }
        return defaultRows;
    }

    /** One record: coarse byte, fine byte, then red = record index, green = label, blue = 7 everywhere. */
    private static byte[] record(int index, int fine) {
        byte[] r = new byte[Cifar100Lt.RECORD_BYTES];
        r[0] = (byte) (fine / 5);
        r[1] = (byte) fine;
        for (int p = 0; p < 1024; p++) {
            r[2 + p] = (byte) index;
            r[2 + 1024 + p] = (byte) fine;
            r[2 + 2048 + p] = 7;
        }
        return r;
    }

    private static void writeBin(Path file, int[] labels) throws IOException {
        byte[] all = new byte[labels.length * Cifar100Lt.RECORD_BYTES];
        for (int i = 0; i < labels.length; i++) {
            System.arraycopy(record(i, labels[i]), 0, all, i * Cifar100Lt.RECORD_BYTES, Cifar100Lt.RECORD_BYTES);
        }
        Files.write(file, all);
    }

    private static Path fixture(Path dir) throws IOException {
        Path in = Files.createDirectories(dir.resolve("cifar-100-binary"));
        writeBin(in.resolve("train.bin"), TRAIN_LABELS);
        writeBin(in.resolve("test.bin"), TEST_LABELS);
        List<String> names = new ArrayList<>();
        for (int c = 0; c < 100; c++) {
            names.add("name" + c);
        }
        Files.write(in.resolve("fine_label_names.txt"), names);
        return in;
    }

    private static List<Row> build(Path in, Path out, Map<String, String> options) throws IOException {
        SparkSession spark = SparkTestSession.get();
        ManifestBuilder.build(spark, "cifar100-lt", in.toString(), out.toString(), options);
        return spark.read().parquet(out.resolve("manifest").toString()).orderBy("id").collectAsList();
    }

    private static int recordIndex(Row r) {
        String name = r.getString(1).substring(r.getString(1).lastIndexOf('/') + 1);
        return Integer.parseInt(name.substring(0, name.indexOf('.')));
    }

    @Test
    void keepsTheFirstRecordsOfEachClassUpToItsQuota() throws IOException {
        List<Row> rows = defaultBuild();
        Map<Integer, List<Integer>> trainByClass = new TreeMap<>();
        for (Row r : rows) {
            if (r.getString(4).equals("train")) {
                trainByClass.computeIfAbsent(r.getInt(2), k -> new ArrayList<>()).add(recordIndex(r));
            }
        }
        assertEquals(List.of(1, 6, 9), trainByClass.get(0));
        assertEquals(List.of(4, 10), trainByClass.get(50));
        assertEquals(List.of(0, 2, 3, 5, 7), trainByClass.get(99), "class 99 keeps floor(500 * 0.01) = 5");
        assertEquals(3, trainByClass.size());
    }

    @Test
    void imbalanceRatioSetsTheQuota() throws IOException {
        List<Row> rows = build(fixture(dir), dir.resolve("out"), Map.of("imbalance", "500"));
        List<Integer> kept99 = rows.stream().filter(r -> r.getString(4).equals("train") && r.getInt(2) == 99)
                .map(Cifar100LtTest::recordIndex).collect(Collectors.toList());
        assertEquals(List.of(0), kept99, "class 99 keeps floor(500 / 500) = 1");
    }

    @Test
    void testSplitIsAllOfTestBin() throws IOException {
        List<Row> rows = defaultBuild();
        Map<Integer, Long> testPerClass = rows.stream().filter(r -> r.getString(4).equals("test"))
                .collect(Collectors.groupingBy(r -> r.getInt(2), TreeMap::new, Collectors.counting()));
        assertEquals(Map.of(0, 2L, 1, 2L), testPerClass);
    }

    @Test
    void idsAreDenseTrainFirstAndNamesComeFromTheLabelFile() throws IOException {
        List<Row> rows = defaultBuild();
        assertEquals(14, rows.size());
        for (int i = 0; i < rows.size(); i++) {
            assertEquals(i, rows.get(i).getLong(0));
            assertEquals(i < 10 ? "train" : "test", rows.get(i).getString(4));
            assertEquals("name" + rows.get(i).getInt(2), rows.get(i).getString(3));
        }
    }

    @Test
    void decodesRecordsToPngsWithTheRecordsPixels() throws IOException {
        List<Row> rows = defaultBuild();
        Row r = rows.stream().filter(x -> x.getString(4).equals("train") && x.getInt(2) == 50).findFirst()
                .orElseThrow();
        Path png = Path.of(URI.create(r.getString(1)));
        assertTrue(png.startsWith(shared.resolve("out").resolve("images")), png.toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertEquals(32, image.getWidth());
        assertEquals(32, image.getHeight());
        int expected = recordIndex(r) << 16 | 50 << 8 | 7;
        assertEquals(expected, image.getRGB(31, 17) & 0xffffff);
    }

    @Test
    void decodeReadsRedGreenBluePlanesRowMajor() {
        byte[] rec = new byte[Cifar100Lt.RECORD_BYTES];
        rec[2 + 32 * 3 + 5] = (byte) 200;
        rec[2 + 1024 + 32 * 3 + 5] = 100;
        rec[2 + 2048 + 32 * 3 + 5] = 50;
        BufferedImage image = Cifar100Lt.decode(rec);
        assertEquals(200 << 16 | 100 << 8 | 50, image.getRGB(5, 3) & 0xffffff);
        assertEquals(0, image.getRGB(3, 5) & 0xffffff);
    }

    @Test
    void statisticsAreWrittenNextToTheManifest() throws IOException {
        defaultBuild();
        Path out = shared.resolve("out");
        String json = Files.readString(out.resolve("manifest-stats.json"));
        assertTrue(json.contains("\"rows\": {\"train\": 10, \"test\": 4"), json);
        assertTrue(json.contains("{\"label\": 99, \"name\": \"name99\", \"train\": 5, \"test\": 0"), json);
    }

    @Test
    void truncatedFileFailsAndLeavesNoManifest() throws IOException {
        Path in = fixture(dir);
        byte[] bytes = Files.readAllBytes(in.resolve("train.bin"));
        Files.write(in.resolve("train.bin"), java.util.Arrays.copyOf(bytes, bytes.length - 1000));
        Path out = dir.resolve("out");
        IOException e = assertThrows(IOException.class, () -> build(in, out, Map.of()));
        assertTrue(e.getMessage().contains("train.bin") && e.getMessage().contains("truncated"), e.getMessage());
        assertFalse(Files.exists(out.resolve("manifest")));
        assertFalse(Files.exists(out.resolve("images")));
    }

    @Test
    void missingTestFileIsNamed() throws IOException {
        Path in = fixture(dir);
        Files.delete(in.resolve("test.bin"));
        IOException e = assertThrows(IOException.class, () -> build(in, dir.resolve("out"), Map.of()));
        assertTrue(e.getMessage().contains("test.bin") && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void quotaFormulaIsAlgorithmSection5() {
        long[] kept = Cifar100Lt.keptPerClass(100);
        assertEquals(500, kept[0]);
        assertEquals(5, kept[99]);
        assertArrayEquals(LongTailProfile.exponentialCounts(500, 100, 100), kept);
    }
}
