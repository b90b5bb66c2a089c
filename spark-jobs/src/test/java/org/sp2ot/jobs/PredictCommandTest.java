package org.sp2ot.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.cli.Args;

/**
 * {@code predict} with a head a run saved: on the run's own feature table it gives the run's own clusters, row by
 * row, in the assignments schema with the model's run id; it is idempotent on the same {@code --out}; it refuses
 * features of another dimension naming both.
 */
class PredictCommandTest {
    private static final StructType FEATURES = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("label", DataTypes.IntegerType, true);

    @TempDir
    static Path dir;
    private static Path table;

    private static List<Row> blobs(int dim, int perClass) {
        Random random = new Random(11);
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < perClass; i++) {
                float[] x = new float[dim];
                for (int j = 0; j < dim; j++) {
                    x[j] = (j == c ? 5f : 0f) + (float) (0.4 * random.nextGaussian());
                }
                rows.add(RowFactory.create((long) rows.size(), x, c));
            }
        }
        return rows;
    }

    private static String command(org.sp2ot.jobs.cli.Command command, String... argv) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream console = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        org.sp2ot.jobs.cli.Command bound = command instanceof RunCommand ? new RunCommand(console)
                : new PredictCommand(console);
        assertEquals(0, bound.run(Args.parse(argv)));
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @BeforeAll
    static void trainedRun() throws Exception {
        table = dir.resolve("blobs.parquet");
        SparkTestSession.get().createDataFrame(blobs(4, 20), FEATURES).coalesce(1).write()
                .parquet(table.toString());
        Path conf = dir.resolve("blobs.conf");
        Files.writeString(conf, String.join("\n",
                "out = \"" + dir.resolve("runs") + "\"",
                "input { type = features, path = \"" + table + "\" }",
                "train { k = 3, methods = [p2ot], epochs = 2, batch = 16, bank-factor = 2 }",
                "evaluate.kmeans = false", ""));
        command(new RunCommand(), "--config", conf.toString(), "--run-id", "trained");
    }

    @Test
    void predictOnTheTrainingTableGivesTheRunsOwnClusters() throws Exception {
        Path out = dir.resolve("nightly");
        String console = command(new PredictCommand(), "--model", dir.resolve("runs/trained/model/p2ot").toString(),
                "--input", table.toString(), "--out", out.toString());
        assertTrue(console.contains("predict: 60 rows assigned"), console);

        Map<Long, Integer> own = new HashMap<>();
        for (Row r : SparkTestSession.get().read().parquet(dir.resolve("runs/trained/assignments/method=p2ot")
                .toString()).collectAsList()) {
            own.put(r.getLong(0), r.getInt(2));
        }
        List<Row> predicted = SparkTestSession.get().read().parquet(out.resolve("assignments").toString())
                .select("id", "path", "cluster", "confidence", "weight", "run_id").collectAsList();
        assertEquals(60, predicted.size());
        for (Row r : predicted) {
            assertEquals(own.get(r.getLong(0)), r.getInt(2), "cluster of id " + r.getLong(0));
            assertEquals("trained", r.getString(5), "the model's run id");
            assertTrue(r.isNullAt(4), "no OT weight for new data");
        }
        assertTrue(Files.exists(out.resolve("assignments/_SUCCESS")));

        String again = command(new PredictCommand(), "--model",
                dir.resolve("runs/trained/model/p2ot").toString(), "--input", table.toString(), "--out",
                out.toString());
        assertTrue(again.contains("predict skipped"), again);
    }

    @Test
    void predictRefusesFeaturesOfAnotherDimensionNamingBoth() throws Exception {
        Path wide = dir.resolve("wide.parquet");
        SparkTestSession.get().createDataFrame(blobs(6, 4), FEATURES).coalesce(1).write().parquet(wide.toString());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> command(
                new PredictCommand(), "--model", dir.resolve("runs/trained/model/p2ot").toString(), "--input",
                wide.toString(), "--out", dir.resolve("wide-out").toString()));
        assertTrue(e.getMessage().contains("dimension 4") && e.getMessage().contains("dimension 6"), e.getMessage());
        assertTrue(!Files.exists(dir.resolve("wide-out/assignments")), "nothing assigned");
    }
}
