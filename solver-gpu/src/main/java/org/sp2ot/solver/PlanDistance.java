package org.sp2ot.solver;

/** How far one transport plan lies from another, the measure the backends' agreement and the benchmarks use. */
public final class PlanDistance {

    private PlanDistance() {
    }

    /** {@code ||x - reference||_1 / ||reference||_1}. */
    public static double relativeL1(double[] x, double[] reference) {
        double diff = 0;
        double norm = 0;
        for (int idx = 0; idx < x.length; idx++) {
            diff += Math.abs(x[idx] - reference[idx]);
            norm += Math.abs(reference[idx]);
        }
        return diff / norm;
    }
}
