package org.sp2ot.solver;

/**
 * The k-NN semantic graph over the whole data set (ALGORITHM.md §3): for every global id g in {@code 0..n-1}, its
 * {@code k} nearest neighbours (self excluded, nearest first) and their affinities {@code s_gh}. Not symmetrised.
 * A neighbour slot holding {@code -1} is empty (fewer than k neighbours) and ignored.
 */
public final class KnnGraph {
    private final int n;
    private final int k;
    private final int[] neighbors;
    private final float[] weights;

    /**
     * @param n         number of nodes (global ids 0..n-1)
     * @param k         neighbours per node
     * @param neighbors n*k global ids, row-major (not copied)
     * @param weights   n*k affinities, finite and non-negative (not copied)
     * @throws IllegalArgumentException on a shape mismatch, an id out of range, a self loop or a bad weight
     */
    public KnnGraph(int n, int k, int[] neighbors, float[] weights) {
        if (n < 1 || k < 1) {
            throw new IllegalArgumentException("k-NN graph needs n >= 1 nodes and k >= 1 neighbours, got n=" + n
                    + ", k=" + k);
        }
        if (neighbors == null || weights == null || neighbors.length != (long) n * k || weights.length != (long) n * k) {
            throw new IllegalArgumentException("k-NN graph arrays must both have n*k = " + ((long) n * k)
                    + " entries, got neighbors=" + (neighbors == null ? "null" : neighbors.length) + ", weights="
                    + (weights == null ? "null" : weights.length));
        }
        for (int idx = 0; idx < neighbors.length; idx++) {
            int h = neighbors[idx];
            if (h < -1 || h >= n) {
                throw new IllegalArgumentException("neighbour id " + h + " of node " + (idx / k)
                        + " is outside 0.." + (n - 1) + " (use -1 for an empty slot)");
            }
            if (h == idx / k) {
                throw new IllegalArgumentException("node " + h + " lists itself as a neighbour: the graph excludes self");
            }
            float wgt = weights[idx];
            if (!(wgt >= 0) || Float.isInfinite(wgt)) {
                throw new IllegalArgumentException("affinity " + wgt + " of node " + (idx / k)
                        + " must be finite and non-negative");
            }
        }
        this.n = n;
        this.k = k;
        this.neighbors = neighbors;
        this.weights = weights;
    }

    public int n() {
        return n;
    }

    public int k() {
        return k;
    }

    /** The global id of the r-th neighbour of node g, or -1 for an empty slot. */
    public int neighbor(int g, int r) {
        return neighbors[g * k + r];
    }

    /** The affinity of node g to its r-th neighbour. */
    public float weight(int g, int r) {
        return weights[g * k + r];
    }
}
