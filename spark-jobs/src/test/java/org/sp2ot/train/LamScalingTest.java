package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.sp2ot.solver.Backend;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.PseudoLabeler;
import org.sp2ot.solver.PseudoLabels;
import org.sp2ot.solver.SolverSettings;
import org.sp2ot.solver.SparseAffinity;

/**
 * ALGORITHM.md §9: the graph pull is lam * sum_j S_ij Q_j with Q = O(1/N). A problem whose rows are all repeated c
 * times (each copy keeping its k neighbours among its own copy) has the plan Q / c; with lam0 scaled by N'/N = c the
 * pull, and so every row's pseudo-labels, are those of the original problem.
 */
class LamScalingTest {
    private static final int N = 48;
    private static final int K = 4;
    private static final int NEIGHBORS = 5;
    private static final double RHO = 0.4;

    private static final float[] LOGITS = new float[N * K];
    private static final int[][] NEIGHBOR_OF = new int[N][NEIGHBORS];
    private static final double[][] WEIGHT_OF = new double[N][NEIGHBORS];

    static {
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < LOGITS.length; i++) {
            LOGITS[i] = (float) (3 * random.nextDouble());
        }
        for (int i = 0; i < N; i++) {
            for (int r = 0; r < NEIGHBORS; r++) {
                NEIGHBOR_OF[i][r] = (i + 1 + random.nextInt(N - 1)) % N;
                WEIGHT_OF[i][r] = 0.5 + 0.5 * random.nextDouble();
            }
        }
    }

    /** The problem repeated {@code copies} times: logits and a block-diagonal affinity. */
    private static PseudoLabels solve(int copies, LamScaling scaling) {
        int n = N * copies;
        float[] logits = new float[n * K];
        int[] rowStart = new int[n + 1];
        int[] columns = new int[n * NEIGHBORS];
        double[] values = new double[n * NEIGHBORS];
        for (int c = 0; c < copies; c++) {
            System.arraycopy(LOGITS, 0, logits, c * N * K, N * K);
            for (int i = 0; i < N; i++) {
                int row = c * N + i;
                for (int r = 0; r < NEIGHBORS; r++) {
                    columns[row * NEIGHBORS + r] = c * N + NEIGHBOR_OF[i][r];
                    values[row * NEIGHBORS + r] = WEIGHT_OF[i][r];
                }
                rowStart[row + 1] = (row + 1) * NEIGHBORS;
            }
        }
        SolverSettings base = new SolverSettings(0.1, 1.0, 1e-10, 5000, 300, Double.NaN, 30, 1e-12,
                Backend.REFERENCE);
        // lam0 is calibrated on the original N-row problem: scaling by N'/N is what LamScaling.BANK does by N'/5120
        double lam0 = scaling.lam0For(base.lam0(), n) / scaling.lam0For(1.0, N);
        try (PseudoLabeler labeler = PseudoLabeler.create(Method.SP2OT, base.withLam0(lam0))) {
            return labeler.label(logits, n, K, RHO, new SparseAffinity(n, rowStart, columns, values));
        }
    }

    private static double largestRowDifference(PseudoLabels original, PseudoLabels scaled, int copy) {
        double worst = 0;
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < K; j++) {
                worst = Math.max(worst, Math.abs(original.targets()[i * K + j]
                        - scaled.targets()[(copy * N + i) * K + j]));
            }
        }
        return worst;
    }

    @Test
    void bankScalingMakesThePseudoLabelsInvariantToAProblemScaledByAFactor() {
        PseudoLabels original = solve(1, LamScaling.BANK);
        PseudoLabels scaled = solve(4, LamScaling.BANK);
        assertEquals(4 * original.lam(), scaled.lam(), 1e-9 * scaled.lam());
        for (int copy = 0; copy < 4; copy++) {
            double difference = largestRowDifference(original, scaled, copy);
            assertTrue(difference < 1e-4, "copy " + copy + " differs by " + difference);
        }
    }

    @Test
    void withoutScalingTheSameLam0PullsLessOnTheLargerProblem() {
        PseudoLabels original = solve(1, LamScaling.NONE);
        PseudoLabels scaled = solve(4, LamScaling.NONE);
        double difference = largestRowDifference(original, scaled, 0);
        assertTrue(difference > 1e-2, "unscaled lam0 should change the pseudo-labels, difference " + difference);
    }

    @Test
    void bankScalingIsRelativeToTheReferenceBank() {
        assertEquals(1000.0, LamScaling.BANK.lam0For(1000, LamScaling.REFERENCE_ROWS), 0.0);
        assertEquals(125.0, LamScaling.BANK.lam0For(1000, 640), 1e-12);
        assertEquals(1000.0, LamScaling.NONE.lam0For(1000, 640), 0.0);
    }
}
