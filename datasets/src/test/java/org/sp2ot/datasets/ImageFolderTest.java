package org.sp2ot.datasets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderTest {

    @TempDir
    Path dir;

    private List<Row> build(Path in, Path out, Map<String, String> options) throws IOException {
        SparkSession spark = SparkTestSession.get();
        ManifestBuilder.build(spark, "folder", in.toString(), out.toString(), options);
        return spark.read().parquet(out.resolve("manifest").toString()).orderBy("id").collectAsList();
    }

    private Path classFolders() throws IOException {
        Path in = dir.resolve("images");
        ImageFixtures.pngs(in.resolve("zebra"), 2);
        ImageFixtures.pngs(in.resolve("ant"), 3);
        ImageFixtures.pngs(in.resolve("moth").resolve("nested"), 1);
        Files.writeString(in.resolve("ant").resolve("README.txt"), "not an image");
        ImageFixtures.png(in.resolve(".hidden").resolve("x.png"), 0);
        return in;
    }

    @Test
    void labelsFollowTheSortedClassFolderNames() throws IOException {
        List<Row> rows = build(classFolders(), dir.resolve("out"), Map.of());
        assertEquals(6, rows.size());
        for (Row r : rows) {
            String folder = r.getString(3);
            assertEquals(List.of("ant", "moth", "zebra").indexOf(folder), r.getInt(2));
            assertTrue(r.getString(1).contains("/" + folder + "/"), r.getString(1));
            assertEquals("train", r.getString(4));
        }
        assertEquals(List.of(0, 0, 0, 1, 2, 2), rows.stream().map(r -> r.getInt(2)).toList());
    }

    @Test
    void aFlatFolderGivesUnlabelledRowsInPathOrder() throws IOException {
        Path in = dir.resolve("flat");
        ImageFixtures.pngs(in, 4);
        List<Row> rows = build(in, dir.resolve("out"), Map.of());
        assertEquals(4, rows.size());
        for (int i = 0; i < 4; i++) {
            assertNull(rows.get(i).get(2));
            assertTrue(rows.get(i).getString(1).endsWith(String.format("img%02d.png", i)));
        }
    }

    @Test
    void idsAreTheSameOnTwoRuns() throws IOException {
        Path in = classFolders();
        assertEquals(build(in, dir.resolve("a"), Map.of()), build(in, dir.resolve("b"), Map.of()));
    }

    @Test
    void anEmptyClassFolderIsAnError() throws IOException {
        Path in = classFolders();
        Files.createDirectories(in.resolve("empty"));
        IOException e = assertThrows(IOException.class, () -> build(in, dir.resolve("out"), Map.of()));
        assertTrue(e.getMessage().contains("empty") && e.getMessage().contains("holds no images"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("out").resolve("manifest")));
    }

    @Test
    void anUnreadableImageFailsTheRecipeByDefault() throws IOException {
        Path in = classFolders();
        Files.write(in.resolve("ant").resolve("broken.png"), new byte[] {1, 2, 3, 4});
        IOException e = assertThrows(IOException.class, () -> build(in, dir.resolve("out"), Map.of()));
        assertTrue(e.getMessage().contains("broken.png") && e.getMessage().contains("extract.strict-images"),
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("out").resolve("manifest")));
    }

    @Test
    void unreadableImagesAreCountedAndListedWhenSkipping() throws IOException {
        Path in = classFolders();
        Files.write(in.resolve("ant").resolve("broken.png"), new byte[] {1, 2, 3, 4});
        Files.write(in.resolve("zebra").resolve("empty.jpg"), new byte[0]);
        SparkSession spark = SparkTestSession.get();
        Path out = dir.resolve("out");
        ManifestStats stats = ManifestBuilder.build(spark, "folder", in.toString(), out.toString(),
                Map.of("skip-unreadable", "true"));
        assertEquals(2, stats.skippedCount());
        assertTrue(stats.skippedExamples().get(0).contains("broken.png"), stats.skippedExamples().toString());
        assertEquals(6, spark.read().parquet(out.resolve("manifest").toString()).count());
        String json = Files.readString(out.resolve("manifest-stats.json"));
        assertTrue(json.contains("\"skipped_count\": 2") && json.contains("empty.jpg"), json);
        List<Row> failures = spark.read().parquet(out.resolve(ManifestBuilder.FAILURES).toString())
                .orderBy("path").collectAsList();
        assertEquals(2, failures.size(), "every skipped file is in the failures table");
        assertTrue(failures.get(0).getString(0).endsWith("broken.png"), failures.toString());
        assertTrue(failures.get(1).getString(0).endsWith("empty.jpg"), failures.toString());
        assertEquals("not a recognised image format", failures.get(1).getString(1));
    }

    @Test
    void looseImagesBesideClassFoldersAreAnError() throws IOException {
        Path in = classFolders();
        ImageFixtures.png(in.resolve("loose.png"), 0);
        IOException e = assertThrows(IOException.class, () -> build(in, dir.resolve("out"), Map.of()));
        assertTrue(e.getMessage().contains("loose.png"), e.getMessage());
    }

    @Test
    void aMissingFolderIsNamed() {
        Path in = dir.resolve("nowhere");
        IOException e = assertThrows(IOException.class, () -> build(in, dir.resolve("out"), Map.of()));
        assertTrue(e.getMessage().contains("nowhere") && e.getMessage().contains("does not exist"), e.getMessage());
    }
}
