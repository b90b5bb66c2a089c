package org.sp2ot.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagenetRTest {

    @TempDir
    Path dir;

    private List<Row> build(Path in, String out, Map<String, String> options) throws IOException {
        SparkSession spark = SparkTestSession.get();
        ManifestBuilder.build(spark, "imagenet-r", in.toString(), dir.resolve(out).toString(), options);
        return spark.read().parquet(dir.resolve(out).resolve("manifest").toString()).orderBy("id").collectAsList();
    }

    private Path fixture() throws IOException {
        Path in = dir.resolve("imagenet-r");
        ImageFixtures.pngs(in.resolve("n01443537"), 23);
        ImageFixtures.pngs(in.resolve("n01484850"), 30);
        return in;
    }

    @Test
    void twentyImagesPerClassGoToTheTestSplit() throws IOException {
        List<Row> rows = build(fixture(), "out", Map.of());
        Map<String, Map<Integer, Long>> counts = rows.stream().collect(Collectors.groupingBy(r -> r.getString(4),
                Collectors.groupingBy(r -> r.getInt(2), TreeMap::new, Collectors.counting())));
        assertEquals(Map.of(0, 20L, 1, 20L), counts.get("test"));
        assertEquals(Map.of(0, 3L, 1, 10L), counts.get("train"));
    }

    @Test
    void theTestChoiceIsTheSameOnTwoRunsAndChangesWithTheSeed() throws IOException {
        Path in = fixture();
        List<Row> a = build(in, "a", Map.of("test-per-class", "5"));
        List<Row> b = build(in, "b", Map.of("test-per-class", "5"));
        List<Row> c = build(in, "c", Map.of("test-per-class", "5", "seed", "9"));
        assertEquals(a, b);
        assertNotEquals(testPaths(a), testPaths(c));
    }

    @Test
    void aClassWithTooFewImagesIsNamed() throws IOException {
        Path in = fixture();
        ImageFixtures.pngs(in.resolve("n09999999"), 20);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> build(in, "out", Map.of()));
        assertTrue(e.getMessage().contains("n09999999") && e.getMessage().contains("only 20"), e.getMessage());
    }

    private static List<String> testPaths(List<Row> rows) {
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.getString(4).equals("test")) {
                out.add(r.getString(1));
            }
        }
        return out;
    }
}
