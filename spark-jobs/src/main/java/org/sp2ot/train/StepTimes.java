package org.sp2ot.train;

/**
 * Where the time of the training steps goes, for {@code bench train}: the head (forward, backward and the Adam
 * step), the scaling solver (OT), the rest of the pseudo-labelling (MM: the cost from the logits, the SP2OT loop's
 * sparse products, surrogates and objectives, the plan's conversion to targets) and everything else (other: bank
 * writes and reads, feature gathering, the loss). Filled by {@link Trainer#timed(StepTimes)}.
 */
public final class StepTimes {
    private long steps;
    private long totalNanos;
    private long headNanos;
    private long labelNanos;
    private long solverNanos;

    void addStep(long stepNanos, long head) {
        steps++;
        totalNanos += stepNanos;
        headNanos += head;
    }

    void addLabeling(long label, long solver) {
        labelNanos += label;
        solverNanos += solver;
    }

    public long steps() {
        return steps;
    }

    /** Milliseconds per step in all. */
    public double totalMs() {
        return perStep(totalNanos);
    }

    public double headMs() {
        return perStep(headNanos);
    }

    public double otMs() {
        return perStep(solverNanos);
    }

    public double mmMs() {
        return perStep(labelNanos - solverNanos);
    }

    public double otherMs() {
        return perStep(totalNanos - headNanos - labelNanos);
    }

    private double perStep(long nanos) {
        return steps == 0 ? 0.0 : nanos / 1e6 / steps;
    }
}
