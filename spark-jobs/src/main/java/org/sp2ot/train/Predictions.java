package org.sp2ot.train;

import org.sp2ot.solver.Softmax;

/**
 * Cluster assignments of a head: the argmax of the logits (ALGORITHM.md §6, "Predictions") and the confidence, the
 * largest softmax probability.
 */
public record Predictions(int[] clusters, float[] confidences) {

    private static final int CHUNK_ROWS = 4096;

    /** Predicts {@code rows} rows of {@code x}, a chunk at a time so that no {@code rows*k} matrix is held. */
    public static Predictions of(ClusterHead head, float[] x, int rows) {
        int[] clusters = new int[rows];
        float[] confidences = new float[rows];
        int dim = head.dim();
        int k = head.k();
        for (int from = 0; from < rows; from += CHUNK_ROWS) {
            int count = Math.min(CHUNK_ROWS, rows - from);
            float[] chunk = new float[count * dim];
            System.arraycopy(x, from * dim, chunk, 0, count * dim);
            float[] logits = head.forward(chunk, count);
            for (int r = 0; r < count; r++) {
                clusters[from + r] = argmax(logits, r * k, k);
                confidences[from + r] = maxSoftmax(logits, r * k, k);
            }
        }
        return new Predictions(clusters, confidences);
    }

    /** The index of the largest of {@code logits[offset .. offset+k)}; the first one on ties. */
    public static int argmax(float[] logits, int offset, int k) {
        int best = 0;
        for (int j = 1; j < k; j++) {
            if (logits[offset + j] > logits[offset + best]) {
                best = j;
            }
        }
        return best;
    }

    /** {@code max_j softmax(z)_j = exp(max z - logsumexp(z))}. */
    public static float maxSoftmax(float[] logits, int offset, int k) {
        return (float) Math.exp(logits[offset + argmax(logits, offset, k)] - Softmax.logSumExp(logits, offset, k));
    }
}
