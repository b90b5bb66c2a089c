package org.sp2ot.solver;

final class RelativeL1 {
    private RelativeL1() {
    }

    static double of(double[] x, double[] reference) {
        double diff = 0;
        double norm = 0;
        for (int idx = 0; idx < x.length; idx++) {
            diff += Math.abs(x[idx] - reference[idx]);
            norm += Math.abs(reference[idx]);
        }
        return diff / norm;
    }
}
