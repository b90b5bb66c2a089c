package org.sp2ot.solver;

import java.util.Arrays;
import java.util.SplittableRandom;

/** Random k-NN-like graphs for the MM tests. */
final class RandomGraphs {
    private RandomGraphs() {
    }

    /**
     * The slice over all n rows of a graph where each node has {@code degree} random neighbours (never itself,
     * repeats allowed) with weights in (0, 1], drawn from {@code SplittableRandom(seed)}.
     */
    static SparseAffinity affinity(int n, int degree, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] neighbors = new int[n * degree];
        float[] weights = new float[n * degree];
        for (int i = 0; i < n; i++) {
            for (int r = 0; r < degree; r++) {
                int j;
                do {
                    j = random.nextInt(n);
                } while (j == i);
                neighbors[i * degree + r] = j;
                weights[i * degree + r] = (float) (1 - random.nextDouble());
            }
        }
        int[] ids = new int[n];
        Arrays.setAll(ids, i -> i);
        return SparseAffinity.slice(new KnnGraph(n, degree, neighbors, weights), ids);
    }
}
