package org.sp2ot.jobs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.datasets.io.Npy;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.ml.knn.KnnTestData;

class KnnCommandTest {
    @TempDir
    Path dir;

    private Path writeNpy(float[][] rows) throws Exception {
        int d = rows[0].length;
        float[] flat = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        Path file = dir.resolve("features.npy");
        Npy.write(file, flat, rows.length, d);
        return file;
    }

    private static int run(String... argv) throws Exception {
        SparkTestSession.get();
        return new KnnCommand().run(Args.parse(argv));
    }

    @Test
    void buildsTheGraphOfAnNpyMatrixWithRowIndicesAsIds() throws Exception {
        float[][] rows = KnnTestData.signVectors(20, 21);
        long[] ids = new long[20];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }
        Path out = dir.resolve("knn");

        assertEquals(0, run("--features", writeNpy(rows).toString(), "--out", out.toString(), "--k", "4",
                "--kernel", "cos", "--block-size", "6"));

        List<Row> graph = SparkTestSession.get().read().parquet(out.toString()).collectAsList();
        assertEquals(20, graph.size());
        for (Row row : graph) {
            int i = (int) row.getLong(0);
            List<Long> neighbours = row.getList(1);
            assertArrayEquals(KnnTestData.bruteForceNeighbours(ids, rows, i, 4),
                    neighbours.stream().mapToLong(Long::longValue).toArray());
        }
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    @Test
    void refusesAnExistingOutputWithoutOverwrite() throws Exception {
        Path features = writeNpy(KnnTestData.gaussianVectors(8, 3, 22));
        Path out = Files.createDirectories(dir.resolve("knn"));

        UsageException error = assertThrows(UsageException.class,
                () -> run("--features", features.toString(), "--out", out.toString(), "--k", "2"));

        assertTrue(error.getMessage().contains("--overwrite"), error.getMessage());
        assertEquals(0, run("--features", features.toString(), "--out", out.toString(), "--k", "2", "--overwrite"));
    }

    @Test
    void aTooLargeKIsAUsageErrorAndLeavesNoOutput() throws Exception {
        Path features = writeNpy(KnnTestData.gaussianVectors(6, 3, 23));
        Path out = dir.resolve("knn");

        UsageException error = assertThrows(UsageException.class,
                () -> run("--features", features.toString(), "--out", out.toString()));

        assertTrue(error.getMessage().contains("k = 20"), error.getMessage());
        try (Stream<Path> left = Files.list(dir)) {
            assertEquals(List.of(features), left.toList());
        }
    }

    @Test
    void anUnknownKernelIsAUsageError() {
        UsageException error = assertThrows(UsageException.class,
                () -> run("--features", "f.npy", "--out", "o", "--kernel", "rbf"));

        assertEquals("kernel must be one of gauss, cos; got 'rbf'", error.getMessage());
    }
}
