package org.sp2ot.train;

import java.util.Locale;

/**
 * What one training epoch did: its mean training loss (over samples), the rho and lam of its last step, the mean
 * number of scaling iterations and MM steps per OT call, the learning rate of its last step, its duration, and how the
 * training rows spread over the clusters (the collapse watch of ALGORITHM.md §4).
 *
 * <p>The cluster counts are taken over the epoch's batches: each training row is counted once per epoch, at the
 * argmax of its logits in the forward pass of its batch (before that batch's Adam step). They therefore describe the
 * head as it moved through the epoch, at no extra forward pass.
 *
 * @param epoch 1-based
 * @param meanWeight mean OT sample weight (row mass, ALGORITHM.md §1) of the epoch's rows; 1 for balanced OT
 * @param clustersUsed clusters that are the argmax of at least one training row over the epoch's batches
 * @param largestShare fraction of the epoch's rows whose argmax is the largest cluster
 */
public record EpochStats(int epoch, double loss, double rho, double lam, double meanIterations, double meanMmSteps,
        double learningRate, double seconds, double meanWeight, int clustersUsed, double largestShare) {

    /**
     * One JSON object on one line (the train-log.jsonl record). Field names are a contract with the report charts:
     * {@code mean_weight}, {@code clusters_used}, {@code largest_share} besides the loss and schedule fields.
     */
    public String toJson() {
        return String.format(Locale.ROOT,
                "{\"epoch\":%d,\"loss\":%s,\"rho\":%s,\"lam\":%s,\"mean_ot_iterations\":%s,\"mean_mm_steps\":%s,"
                        + "\"lr\":%s,\"seconds\":%s,\"mean_weight\":%s,\"clusters_used\":%d,\"largest_share\":%s}",
                epoch, number(loss), number(rho), number(lam), number(meanIterations), number(meanMmSteps),
                number(learningRate), number(seconds), number(meanWeight), clustersUsed, number(largestShare));
    }

    private static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "null";
    }
}
