package org.sp2ot.ml.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class KnnGraphBuilderTest {

    private static Map<Long, Row> byId(Dataset<Row> graph) {
        Map<Long, Row> out = new HashMap<>();
        for (Row row : graph.collectAsList()) {
            out.put(row.getLong(0), row);
        }
        graph.unpersist();
        return out;
    }

    private static long[] neighbours(Row row) {
        List<Long> list = row.getList(1);
        return list.stream().mapToLong(Long::longValue).toArray();
    }

    private static float[] weights(Row row) {
        List<Float> list = row.getList(2);
        float[] out = new float[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    private static int indexOf(long[] ids, long id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        throw new AssertionError("no id " + id);
    }

    @Test
    void theBlockPairsReportProgressOutOfTheUpperTriangleAndEndAllDone() {
        long[] ids = KnnTestData.scatteredIds(45);
        float[][] rows = KnnTestData.signVectors(45, 1);
        List<String> lines = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        // 45 rows in blocks of 7: 7 blocks, 7 * 8 / 2 = 28 block pairs (i <= j)
        KnnGraphBuilder.build(KnnTestData.table(ids, rows, 3), KnnOptions.defaults().withK(4).withBlockSize(7),
                lines::add, 1).unpersist();
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("knn: 28/28 block pairs done in [0-9.]+ s \\([0-9.]+/s\\)"), last);
    }

    @ParameterizedTest(name = "block size {0}, {1} partitions")
    @CsvSource({"7, 1", "7, 4", "16, 3", "64, 1", "64, 4"})
    void graphEqualsBruteForceTopKWithTiesBySmallerId(int blockSize, int partitions) {
        long[] ids = KnnTestData.scatteredIds(45);
        float[][] rows = KnnTestData.signVectors(45, 1);
        int k = 6;

        Map<Long, Row> graph = byId(KnnGraphBuilder.build(KnnTestData.table(ids, rows, partitions),
                KnnOptions.defaults().withK(k).withBlockSize(blockSize)));

        assertEquals(ids.length, graph.size());
        for (int i = 0; i < ids.length; i++) {
            assertArrayEquals(KnnTestData.bruteForceNeighbours(ids, rows, i, k), neighbours(graph.get(ids[i])),
                    "neighbours of id " + ids[i]);
        }
    }

    @Test
    void blocksSmallerThanKStillGiveTheExactGraph() {
        long[] ids = KnnTestData.scatteredIds(12);
        float[][] rows = KnnTestData.signVectors(12, 13);

        Map<Long, Row> graph = byId(KnnGraphBuilder.build(KnnTestData.table(ids, rows, 2),
                KnnOptions.defaults().withK(5).withBlockSize(2)));

        for (int i = 0; i < ids.length; i++) {
            assertArrayEquals(KnnTestData.bruteForceNeighbours(ids, rows, i, 5), neighbours(graph.get(ids[i])));
        }
    }

    @Test
    void graphEqualsBruteForceTopKOnContinuousFeatures() {
        long[] ids = KnnTestData.scatteredIds(40);
        float[][] rows = KnnTestData.gaussianVectors(40, 9, 2);

        Map<Long, Row> graph = byId(KnnGraphBuilder.build(KnnTestData.table(ids, rows, 2),
                KnnOptions.defaults().withK(5).withBlockSize(12)));

        for (int i = 0; i < ids.length; i++) {
            assertArrayEquals(KnnTestData.bruteForceNeighbours(ids, rows, i, 5), neighbours(graph.get(ids[i])));
        }
    }

    @Test
    void gaussWeightsAreTheKernelOfTheNormalisedDistance() {
        long[] ids = KnnTestData.scatteredIds(30);
        float[][] rows = KnnTestData.gaussianVectors(30, 9, 3);
        double sigma = 0.2;

        Map<Long, Row> graph = byId(KnnGraphBuilder.build(KnnTestData.table(ids, rows, 2),
                KnnOptions.defaults().withK(4).withSigma(sigma).withBlockSize(8)));

        for (int i = 0; i < ids.length; i++) {
            Row row = graph.get(ids[i]);
            long[] neighbours = neighbours(row);
            float[] weights = weights(row);
            for (int e = 0; e < neighbours.length; e++) {
                double cos = KnnTestData.cosine(rows[i], rows[indexOf(ids, neighbours[e])]);
                double expected = Math.exp(-(2 - 2 * cos) / (2 * sigma * sigma * 9));
                assertEquals(expected, weights[e], 1e-6, "weight of edge " + ids[i] + " -> " + neighbours[e]);
            }
        }
    }

    @Test
    void cosWeightsAreTheCosineSimilarities() {
        long[] ids = KnnTestData.scatteredIds(30);
        float[][] rows = KnnTestData.gaussianVectors(30, 9, 4);

        Map<Long, Row> graph = byId(KnnGraphBuilder.build(KnnTestData.table(ids, rows, 2),
                KnnOptions.defaults().withK(4).withKernel(KnnKernel.COS).withBlockSize(8)));

        for (int i = 0; i < ids.length; i++) {
            Row row = graph.get(ids[i]);
            long[] neighbours = neighbours(row);
            float[] weights = weights(row);
            for (int e = 0; e < neighbours.length; e++) {
                assertEquals(KnnTestData.cosine(rows[i], rows[indexOf(ids, neighbours[e])]), weights[e], 1e-6);
            }
        }
    }

    @Test
    void aRowNeverListsItselfButListsItsExactDuplicateFirst() {
        float[][] rows = KnnTestData.gaussianVectors(12, 5, 5);
        rows[9] = rows[2].clone();
        long[] ids = new long[12];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = i;
        }

        Map<Long, Row> graph = byId(KnnGraphBuilder.build(KnnTestData.table(ids, rows, 2),
                KnnOptions.defaults().withK(3).withBlockSize(5)));

        for (long id : ids) {
            long[] neighbours = neighbours(graph.get(id));
            assertFalse(java.util.Arrays.stream(neighbours).anyMatch(n -> n == id), "id " + id + " lists itself");
        }
        assertEquals(9L, neighbours(graph.get(2L))[0]);
        assertEquals(2L, neighbours(graph.get(9L))[0]);
        assertEquals(1.0f, weights(graph.get(2L))[0]);
    }

    @Test
    void kOfAtLeastNMinusOneIsRejected() {
        long[] ids = {0, 1, 2, 3, 4};
        float[][] rows = KnnTestData.gaussianVectors(5, 4, 6);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> KnnGraphBuilder.build(KnnTestData.table(ids, rows, 1), KnnOptions.defaults().withK(4)));

        assertTrue(error.getMessage().contains("N = 5"), error.getMessage());
        assertTrue(error.getMessage().contains("k < N - 1 = 4"), error.getMessage());
    }

    @Test
    void kJustBelowNMinusOneIsAccepted() {
        long[] ids = {0, 1, 2, 3, 4};
        float[][] rows = KnnTestData.gaussianVectors(5, 4, 6);

        Map<Long, Row> graph = byId(KnnGraphBuilder.build(KnnTestData.table(ids, rows, 1),
                KnnOptions.defaults().withK(3)));

        assertEquals(3, neighbours(graph.get(0L)).length);
    }

    @Test
    void nonFiniteRowsAreRejectedNamingTheirIds() {
        long[] ids = {0, 1, 2, 3, 4, 5, 6, 7};
        float[][] rows = KnnTestData.gaussianVectors(8, 4, 7);
        rows[3][1] = Float.NaN;
        rows[6][0] = Float.NEGATIVE_INFINITY;

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> KnnGraphBuilder.build(KnnTestData.table(ids, rows, 2), KnnOptions.defaults().withK(2)));

        assertTrue(error.getMessage().contains("id 3: NaN"), error.getMessage());
        assertTrue(error.getMessage().contains("id 6: NaN"), error.getMessage());
    }

    @Test
    void rowsOfAnotherDimensionAreRejectedNamingTheirIds() {
        long[] ids = {0, 1, 2, 3, 4, 5, 6, 7};
        float[][] rows = KnnTestData.gaussianVectors(8, 4, 8);
        rows[5] = new float[] {1f, 2f, 3f};

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> KnnGraphBuilder.build(KnnTestData.table(ids, rows, 2), KnnOptions.defaults().withK(2)));

        assertTrue(error.getMessage().contains("do not have dimension 4"), error.getMessage());
        assertTrue(error.getMessage().contains("[5]"), error.getMessage());
    }

    @Test
    void rowsDifferingFromTheExpectedDimensionAreRejected() {
        long[] ids = {0, 1, 2, 3, 4, 5};
        float[][] rows = KnnTestData.gaussianVectors(6, 4, 9);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> KnnGraphBuilder.build(KnnTestData.table(ids, rows, 1),
                        KnnOptions.defaults().withK(2).withExpectedDim(768)));

        assertTrue(error.getMessage().contains("6 feature rows do not have dimension 768"), error.getMessage());
    }

    @Test
    void duplicateIdsAreRejectedNamingThem() {
        long[] ids = {0, 1, 2, 2, 4, 5};
        float[][] rows = KnnTestData.gaussianVectors(6, 4, 10);

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> KnnGraphBuilder.build(KnnTestData.table(ids, rows, 1), KnnOptions.defaults().withK(2)));

        assertTrue(error.getMessage().contains("ids [2] occur more than once"), error.getMessage());
    }

    @Test
    void allZeroRowsAreRejectedNamingTheirIds() {
        long[] ids = {0, 1, 2, 3, 4, 5};
        float[][] rows = KnnTestData.gaussianVectors(6, 4, 11);
        rows[4] = new float[4];

        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> KnnGraphBuilder.build(KnnTestData.table(ids, rows, 1), KnnOptions.defaults().withK(2)));

        assertTrue(error.getMessage().contains("id 4: all zeros"), error.getMessage());
    }

    @Test
    void outputHasTheKnnContractSchema() {
        long[] ids = KnnTestData.scatteredIds(10);
        Dataset<Row> graph = KnnGraphBuilder.build(KnnTestData.table(ids, KnnTestData.gaussianVectors(10, 3, 12), 1),
                KnnOptions.defaults().withK(2));

        assertEquals(KnnGraphBuilder.SCHEMA, graph.schema());
        graph.unpersist();
    }
}
