package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SparseAffinityTest {
    /** Global graph over 5 ids, 2 neighbours each. */
    private static final KnnGraph GRAPH = new KnnGraph(5, 2,
            new int[] {1, 2, 0, 4, 3, 1, 2, 0, -1, 1},
            new float[] {0.9f, 0.5f, 0.8f, 0.1f, 0.7f, 0.6f, 0.4f, 0.3f, 0f, 0.2f});

    private static double[][] dense(SparseAffinity s, int n) {
        double[][] d = new double[n][n];
        double[] unit = new double[n];
        double[] out = new double[n];
        for (int q = 0; q < n; q++) {
            java.util.Arrays.fill(unit, 0);
            unit[q] = 1;
            s.symmetricProduct(unit, 1, out);
            for (int p = 0; p < n; p++) {
                d[p][q] = out[p];
            }
        }
        return d;
    }

    @Test
    void sliceKeepsOnlyEdgesBetweenProblemRows() {
        SparseAffinity s = SparseAffinity.slice(GRAPH, new int[] {0, 1, 3});
        double[][] sym = dense(s, 3);
        assertArrayEquals(new double[] {0, 0.9 + 0.8, 0.3}, sym[0], 1e-6);
        assertArrayEquals(new double[] {0.9 + 0.8, 0, 0}, sym[1], 1e-6);
        assertArrayEquals(new double[] {0.3, 0, 0}, sym[2], 1e-6);
    }

    @Test
    void everyOccurrenceOfARepeatedIdGetsItsEdges() {
        SparseAffinity s = SparseAffinity.slice(GRAPH, new int[] {0, 1, 0});
        assertEquals(4, s.nonZeros());
        double[][] sym = dense(s, 3);
        assertEquals(0.9 + 0.8, sym[0][1], 1e-6);
        assertEquals(0.9 + 0.8, sym[2][1], 1e-6);
        assertEquals(0.0, sym[0][2], 1e-6);
    }

    @Test
    void quadraticFormMatchesTheDenseSum() {
        SparseAffinity s = SparseAffinity.slice(GRAPH, new int[] {0, 1, 2, 3, 4});
        double[] q = {0.1, 0.2, 0.3, 0.05, 0.0, 0.4, 0.25, 0.25, 0.6, 0.1};
        double expected = 0;
        for (int g = 0; g < 5; g++) {
            for (int r = 0; r < 2; r++) {
                int h = GRAPH.neighbor(g, r);
                if (h >= 0) {
                    expected += GRAPH.weight(g, r) * (q[2 * g] * q[2 * h] + q[2 * g + 1] * q[2 * h + 1]);
                }
            }
        }
        assertEquals(expected, s.quadraticForm(q, 2), 1e-12);
    }
}
