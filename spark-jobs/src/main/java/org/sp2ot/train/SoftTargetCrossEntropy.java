package org.sp2ot.train;

import org.sp2ot.solver.Softmax;

/**
 * The training loss of ALGORITHM.md §4: {@code L = -(1/B) sum_i sum_j q_ij log p_ij} with {@code p = softmax(z)} and
 * {@code q} the pseudo-label rows, whose row sums are the sample weights {@code w_i}, so low-confidence samples count
 * less.
 */
public final class SoftTargetCrossEntropy {

    private SoftTargetCrossEntropy() {
    }

    /**
     * The loss over {@code rows} rows and, into {@code dLogits} ({@code rows*k}), its gradient with respect to the
     * logits: {@code dL/dz_ij = (w_i p_ij - q_ij) / B}.
     *
     * @param logits {@code rows*k}, row-major
     * @param targets {@code rows*k}, non-negative pseudo-labels
     */
    public static double lossAndGradient(float[] logits, float[] targets, int rows, int k, float[] dLogits) {
        if (rows < 1 || k < 1 || logits.length < rows * k || targets.length < rows * k || dLogits.length < rows * k) {
            throw new IllegalArgumentException("loss needs rows >= 1, k >= 1 and rows*k = " + (long) rows * k
                    + " logits, targets and gradient slots; got " + logits.length + ", " + targets.length + ", " + dLogits.length);
        }
        double loss = 0;
        double[] logProbabilities = new double[k];
        for (int i = 0; i < rows; i++) {
            int base = i * k;
            double logNormaliser = Softmax.logSumExp(logits, base, k);
            double weight = 0;
            for (int j = 0; j < k; j++) {
                logProbabilities[j] = logits[base + j] - logNormaliser;
                weight += targets[base + j];
                if (targets[base + j] != 0) {
                    loss -= targets[base + j] * logProbabilities[j];
                }
            }
            for (int j = 0; j < k; j++) {
                dLogits[base + j] = (float) ((weight * Math.exp(logProbabilities[j]) - targets[base + j]) / rows);
            }
        }
        return loss / rows;
    }
}
