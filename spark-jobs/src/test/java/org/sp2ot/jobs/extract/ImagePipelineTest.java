package org.sp2ot.jobs.extract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.RunCommand;
import org.sp2ot.jobs.SparkTestSession;
import org.sp2ot.jobs.cli.Args;

/**
 * Failure drill: a corrupt image among good ones. The {@code run} pipeline on a manifest of 15 small images and one
 * file that is not an image, through a tiny DJL network: the corrupt file is listed in {@code extract-failures/},
 * reported on the console and skipped; the other images are extracted, clustered, assigned and evaluated.
 */
class ImagePipelineTest {
    private static final StructType MANIFEST = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("path", DataTypes.StringType, true)
            .add("label", DataTypes.IntegerType, true)
            .add("label_name", DataTypes.StringType, true)
            .add("split", DataTypes.StringType, true);

    @TempDir
    Path dir;

    @Test
    void corruptImageIsReportedAndSkippedAndTheRestIsClustered() throws Exception {
        List<String> paths = new ArrayList<>(ExtractFixtures.writeImages(dir, 15));
        paths.add(ExtractFixtures.writeCorrupt(dir).toString());
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            rows.add(RowFactory.create((long) i, paths.get(i), i % 2, "c" + i % 2, "train"));
        }
        Path manifest = dir.resolve("manifest.parquet");
        SparkTestSession.get().createDataFrame(rows, MANIFEST).coalesce(1).write().parquet(manifest.toString());
        Path model = ExtractFixtures.saveDjlModel(dir, "tiny", new TinyCnnFactory(), 16);
        Path conf = dir.resolve("images.conf");
        Files.writeString(conf, String.join("\n",
                "out = \"" + dir.resolve("runs") + "\"",
                "input { type = manifest, path = \"" + manifest + "\" }",
                "extract { model = \"" + model + "\", block-factory = " + TinyCnnFactory.class.getName()
                        + ", resize = 20, crop = 16, batch = 4 }",
                "knn.k = 3",
                "train { k = 2, methods = [p2ot], epochs = 1, batch = 5, bank-factor = 1 }",
                "evaluate.kmeans = false", ""));

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        assertEquals(0, new RunCommand(new PrintStream(bytes, true, StandardCharsets.UTF_8))
                .run(Args.parse(new String[] {"--config", conf.toString(), "--run-id", "images"})));
        String console = bytes.toString(StandardCharsets.UTF_8);

        Path run = dir.resolve("runs/images");
        List<Row> failures = SparkTestSession.get().read().parquet(run.resolve("extract-failures").toString())
                .collectAsList();
        assertEquals(1, failures.size());
        assertEquals(15L, failures.get(0).getLong(0));
        assertTrue(failures.get(0).getString(1).endsWith("corrupt.jpg"));
        assertTrue(console.contains("1 of 16 images could not be read and were skipped"), console);
        assertEquals(15, SparkTestSession.get().read().parquet(run.resolve("features").toString()).count());
        assertEquals(15, SparkTestSession.get().read().parquet(run.resolve("assignments/method=p2ot").toString())
                .count());
        assertTrue(Files.exists(run.resolve("metrics.json")), "the readable images are evaluated");
    }
}
