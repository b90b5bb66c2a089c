package org.sp2ot.jobs.train;

import java.util.Locale;

/**
 * What one training epoch did: its mean training loss (over samples), the rho and lam of its last step, the mean
 * number of scaling iterations and MM steps per OT call, the learning rate of its last step, and its duration.
 *
 * @param epoch 1-based
 */
public record EpochStats(int epoch, double loss, double rho, double lam, double meanIterations, double meanMmSteps,
        double learningRate, double seconds) {

    /** One JSON object on one line (the train-log.jsonl record). */
    public String toJson() {
        return String.format(Locale.ROOT,
                "{\"epoch\":%d,\"loss\":%s,\"rho\":%s,\"lam\":%s,\"mean_ot_iterations\":%s,\"mean_mm_steps\":%s,"
                        + "\"lr\":%s,\"seconds\":%s}",
                epoch, number(loss), number(rho), number(lam), number(meanIterations), number(meanMmSteps),
                number(learningRate), number(seconds));
    }

    private static String number(double value) {
        return Double.isFinite(value) ? Double.toString(value) : "null";
    }
}
