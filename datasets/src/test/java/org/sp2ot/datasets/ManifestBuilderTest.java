package org.sp2ot.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestBuilderTest {

    @TempDir
    Path dir;

    private Path flatFolder() throws IOException {
        Path in = dir.resolve("flat");
        ImageFixtures.pngs(in, 3);
        return in;
    }

    private List<String> entriesOf(Path out) throws IOException {
        try (var s = Files.list(out)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith(".")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void writesTheManifestAndItsStatisticsAndNothingElse() throws IOException {
        Path out = dir.resolve("out");
        ManifestStats stats = ManifestBuilder.build(SparkTestSession.get(), "folder", flatFolder().toString(),
                out.toString(), Map.of());
        assertEquals(3, stats.numTrain());
        assertEquals(3, stats.numUnlabelled());
        assertEquals(List.of("manifest", "manifest-stats.json"), entriesOf(out));
        assertEquals(Manifests.MANIFEST_SCHEMA.simpleString(),
                SparkTestSession.get().read().parquet(out.resolve("manifest").toString()).schema().simpleString());
    }

    @Test
    void refusesToReplaceAManifestUnlessOverwriting() throws IOException {
        Path in = flatFolder();
        Path out = dir.resolve("out");
        SparkSession spark = SparkTestSession.get();
        ManifestBuilder.build(spark, "folder", in.toString(), out.toString(), Map.of());
        IOException e = assertThrows(IOException.class,
                () -> ManifestBuilder.build(spark, "folder", in.toString(), out.toString(), Map.of()));
        assertTrue(e.getMessage().contains("already exists") && e.getMessage().contains("--overwrite"),
                e.getMessage());
        ImageFixtures.png(in.resolve("img99.png"), 5);
        ManifestBuilder.build(spark, "folder", in.toString(), out.toString(), Map.of("overwrite", "true"));
        assertEquals(4, spark.read().parquet(out.resolve("manifest").toString()).count());
        assertEquals(List.of("manifest", "manifest-stats.json"), entriesOf(out));
    }

    @Test
    void aFailedBuildLeavesNoManifestAndNoStagingFiles() throws IOException {
        Path in = flatFolder();
        Files.write(in.resolve("bad.png"), new byte[] {0});
        Path out = dir.resolve("out");
        Files.createDirectories(out);
        assertThrows(IOException.class, () -> ManifestBuilder.build(SparkTestSession.get(), "folder",
                in.toString(), out.toString(), Map.of()));
        assertEquals(List.of(), entriesOf(out));
    }

    @Test
    void syntheticWritesFeaturesAndAManifestWithTheSameIds() throws IOException {
        Path out = dir.resolve("synthetic");
        SparkSession spark = SparkTestSession.get();
        ManifestStats stats = ManifestBuilder.build(spark, "synthetic", null, out.toString(),
                Map.of("preset", "small", "partitions", "3"));
        assertEquals(8668, stats.numTrain());
        assertEquals(2000, stats.numTest());
        assertEquals(100.0, stats.profile().imbalanceRatio(), 1e-9);
        assertEquals(400, stats.trainCount(0));
        assertEquals(4, stats.trainCount(99));
        assertEquals(20, stats.testCount(99));
        var features = spark.read().parquet(out.resolve("features").toString());
        var manifest = spark.read().parquet(out.resolve("manifest").toString());
        assertEquals(10668, features.count());
        var joined = features.selectExpr("id", "label AS f").join(manifest.selectExpr("id", "label AS m"), "id");
        assertEquals(10668, joined.count());
        assertEquals(0, joined.filter("f <> m").count());
    }

    @Test
    void featuresDatasetImportsATableWithAMatchingManifest() throws IOException {
        Path csv = dir.resolve("f.csv");
        Files.write(csv, List.of("1,2,0", "3,4,1", "5,6,1"));
        Path out = dir.resolve("out");
        SparkSession spark = SparkTestSession.get();
        ManifestStats stats = ManifestBuilder.build(spark, "features", csv.toString(), out.toString(),
                Map.of("label-column", "last"));
        assertEquals(3, stats.numTrain());
        assertEquals(2, stats.numClasses());
        assertEquals(List.of("features", "manifest", "manifest-stats.json"), entriesOf(out));
        assertEquals(3, spark.read().parquet(out.resolve("features").toString()).count());
    }

    @Test
    void unknownDataSetsAndMisplacedOptionsAreRejected() {
        SparkSession spark = SparkTestSession.get();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ManifestBuilder.build(spark, "mnist", "x", dir.toString(), Map.of()));
        assertTrue(e.getMessage().contains("cifar100-lt"), e.getMessage());
        IllegalArgumentException o = assertThrows(IllegalArgumentException.class,
                () -> ManifestBuilder.build(spark, "folder", "x", dir.toString(), Map.of("imbalance", "10")));
        assertTrue(o.getMessage().contains("imbalance") && o.getMessage().contains("folder"), o.getMessage());
    }

    @Test
    void statisticsTableShowsImbalanceAndGroups() {
        ManifestStats stats = new ManifestStats("demo", 10, 4, 0, new long[] {6, 3, 1}, new long[] {2, 1, 1},
                new String[] {"a", "b", "c"}, 0, List.of());
        String table = stats.toTable();
        assertTrue(table.contains("imbalance ratio 6.000") && table.contains("head/medium/tail 1/1/1"), table);
        String json = stats.toJson();
        assertTrue(json.contains("\"head\": [0]") && json.contains("\"tail\": [2]")
                && json.contains("\"imbalance_ratio\": 6.000"), json);
    }
}
