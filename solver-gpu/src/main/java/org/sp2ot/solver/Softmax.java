package org.sp2ot.solver;

/**
 * The softmax normaliser that the cost {@code C = -log softmax(logits)} (ALGORITHM.md notation), the training loss
 * (ALGORITHM.md §4) and the prediction confidence (ALGORITHM.md §6) share.
 */
public final class Softmax {

    private Softmax() {
    }

    /**
     * {@code log sum_j exp(z_j)} of {@code z = values[offset .. offset+k)}, computed stably as
     * {@code max z + log sum_j exp(z_j - max z)}.
     */
    public static double logSumExp(float[] values, int offset, int k) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < k; j++) {
            max = Math.max(max, values[offset + j]);
        }
        double sum = 0;
        for (int j = 0; j < k; j++) {
            sum += Math.exp(values[offset + j] - max);
        }
        return max + Math.log(sum);
    }
}
