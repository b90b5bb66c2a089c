package org.sp2ot.jobs.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.PredictCommand;
import org.sp2ot.jobs.RunCommand;
import org.sp2ot.jobs.SparkTestSession;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;

/**
 * An image folder with a corrupt file (not an image) and a truncated PNG (readable header, broken data) runs to the
 * end with both listed in {@code extract-failures/} and {@code report.html}; {@code predict} on the same folder
 * with the run's head gives the run's own clusters image by image, and refuses once the backbone file changed.
 */
class ImageFolderPredictTest {
    @TempDir
    Path dir;

    private static String run(Command command, String... argv) throws Exception {
        assertEquals(0, command.run(Args.parse(argv)));
        return "";
    }

    private Path folder() throws Exception {
        Path root = dir.resolve("images");
        for (int c = 0; c < 2; c++) {
            Path classDir = Files.createDirectories(root.resolve("c" + c));
            for (int i = 0; i < 6; i++) {
                ImageIO.write(ExtractFixtures.image(18 + 2 * i, 30 - i, 7 * c + i), "png",
                        classDir.resolve("img-" + i + ".png").toFile());
            }
        }
        Files.writeString(root.resolve("c0/corrupt.png"), "this is not a PNG");
        Path whole = dir.resolve("whole.png");
        ImageIO.write(ExtractFixtures.image(24, 24, 99), "png", whole.toFile());
        byte[] bytes = Files.readAllBytes(whole);
        Files.write(root.resolve("c1/truncated.png"), Arrays.copyOf(bytes, 60), StandardOpenOption.CREATE_NEW);
        return root;
    }

    private static Map<String, Integer> clusters(String table) {
        Map<String, Integer> byPath = new HashMap<>();
        for (Row r : SparkTestSession.get().read().parquet(table).select("path", "cluster").collectAsList()) {
            byPath.put(r.getString(0), r.getInt(1));
        }
        return byPath;
    }

    @Test
    void corruptAndTruncatedImagesAreListedAndPredictReproducesTheRunsClusters() throws Exception {
        Path images = folder();
        Path model = ExtractFixtures.saveDjlModel(dir, "tiny", new TinyCnnFactory(), 16);
        Path conf = dir.resolve("folder.conf");
        Files.writeString(conf, String.join("\n",
                "out = \"" + dir.resolve("runs") + "\"",
                "input { type = images, dataset = folder, path = \"" + images + "\" }",
                "extract { model = \"" + model + "\", block-factory = " + TinyCnnFactory.class.getName()
                        + ", resize = 20, crop = 16, batch = 4 }",
                "knn.k = 3",
                "train { k = 2, methods = [p2ot], epochs = 1, batch = 5, bank-factor = 1 }",
                "evaluate.kmeans = false", ""));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        run(new RunCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8)), "--config", conf.toString(),
                "--run-id", "folder");
        String console = bytes.toString(StandardCharsets.UTF_8);
        Path runDir = dir.resolve("runs/folder");

        List<Row> failures = SparkTestSession.get().read().parquet(runDir.resolve("extract-failures").toString())
                .orderBy("path").collectAsList();
        assertEquals(2, failures.size(), failures.toString());
        assertTrue(failures.get(0).getString(1).endsWith("corrupt.png"));
        assertEquals("manifest", failures.get(0).getString(3));
        assertTrue(failures.get(0).isNullAt(0), "a file the manifest left out has no id");
        assertTrue(failures.get(1).getString(1).endsWith("truncated.png"));
        assertEquals("extract", failures.get(1).getString(3));
        assertTrue(console.contains("1 unreadable image file(s) left out"), console);
        assertTrue(console.contains("1 of 13 images could not be read"), console);
        String report = Files.readString(runDir.resolve("report.html"));
        assertTrue(report.contains("<h2>Unreadable images</h2>") && report.contains("2 image file(s)")
                && report.contains("corrupt.png (manifest)") && report.contains("truncated.png (extract)"), report);
        assertTrue(Files.exists(runDir.resolve("metrics.json")), "the run went to the end");
        assertTrue(Files.exists(runDir.resolve(BackboneFingerprint.FILE)));

        Path out = dir.resolve("predicted");
        run(new PredictCommand(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)),
                "--model", runDir.resolve("model/p2ot").toString(), "--input", images.toString(), "--out",
                out.toString());
        Map<String, Integer> own = clusters(runDir.resolve("assignments/method=p2ot").toString());
        Map<String, Integer> predicted = clusters(out.resolve("assignments").toString());
        assertEquals(12, own.size());
        assertEquals(own, predicted, "predict gives the run's clusters for the images both have");
        assertEquals(2, SparkTestSession.get().read().parquet(out.resolve("extract-failures").toString()).count());

        // The backbone file changes: new images would be embedded by another network.
        Path params;
        try (var files = Files.list(model)) {
            params = files.filter(p -> p.toString().endsWith(".params")).findFirst().orElseThrow();
        }
        Files.write(params, new byte[] {1}, StandardOpenOption.APPEND);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> run(new PredictCommand(
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)), "--model",
                runDir.resolve("model/p2ot").toString(), "--input", images.toString(), "--out",
                dir.resolve("predicted-2").toString()));
        assertTrue(e.getMessage().contains("differs from the one the training run") && e.getMessage().contains("sha256"),
                e.getMessage());
    }
}
