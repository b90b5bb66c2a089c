package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fused MM pass ({@link Sp2otMm#linearize}: parallel row-chunked sparse product, surrogate and objective in one
 * sweep) against a plain oracle written here: a dense {@code S}, the dense product {@code (S + S^T) Q}, the surrogate
 * {@code C - lam (S + S^T) Q} and the objective {@code <Q,C> - lam Σ_pq S_pq <Q_p, Q_q> + eps Σ Q log Q} with
 * {@code Math.log} (ALGORITHM.md §2).
 */
class Sp2otMmLinearizeTest {
    /** Relative tolerance against the oracle: summation order and FastMath.log (1e-14 relative) only. */
    private static final double TOL = 1e-12;

    private static final int N = 157;
    private static final int K = 23;

    /** A random CSR graph with duplicate edges, self-loops and empty rows (the shapes a bank slice can give). */
    private static SparseAffinity randomGraph(SplittableRandom random, double[][] dense) {
        int[] rowStart = new int[N + 1];
        int[] columns = new int[N * 12];
        double[] values = new double[N * 12];
        int e = 0;
        for (int p = 0; p < N; p++) {
            int degree = p % 11 == 0 ? 0 : random.nextInt(12);
            for (int r = 0; r < degree; r++) {
                int c = r == 3 && e > 0 ? columns[e - 1] : random.nextInt(N);
                double s = random.nextDouble();
                columns[e] = c;
                values[e] = s;
                dense[p][c] += s;
                e++;
            }
            rowStart[p + 1] = e;
        }
        return new SparseAffinity(N, rowStart, java.util.Arrays.copyOf(columns, e), java.util.Arrays.copyOf(values, e));
    }

    @Test
    void fusedPassInBothModesMatchesThePlainSurrogateAndObjectiveForAnyThreadCount() {
        SplittableRandom random = new SplittableRandom(11);
        double[][] dense = new double[N][N];
        SparseAffinity affinity = randomGraph(random, dense);
        double[] q = new double[N * K];
        double[] cost = new double[N * K];
        for (int idx = 0; idx < q.length; idx++) {
            q[idx] = idx % 7 == 0 ? 0.0 : random.nextDouble() / (N * K);
            cost[idx] = 5 * random.nextDouble();
        }
        double lam = 37.5;
        double eps = 0.1;

        double[] expectedSurrogate = new double[N * K];
        double linear = 0;
        double quadratic = 0;
        double entropy = 0;
        for (int p = 0; p < N; p++) {
            for (int j = 0; j < K; j++) {
                double product = 0;
                for (int c = 0; c < N; c++) {
                    product += (dense[p][c] + dense[c][p]) * q[c * K + j];
                }
                expectedSurrogate[p * K + j] = cost[p * K + j] - lam * product;
                double x = q[p * K + j];
                linear += x * cost[p * K + j];
                entropy += x > 0 ? x * Math.log(x) : 0.0;
            }
            for (int c = 0; c < N; c++) {
                double dot = 0;
                for (int j = 0; j < K; j++) {
                    dot += q[p * K + j] * q[c * K + j];
                }
                quadratic += dense[p][c] * dot;
            }
        }
        double expectedObjective = linear - lam * quadratic + eps * entropy;

        double[] first = null;
        double firstObjective = 0;
        for (int threads : new int[] {1, 2, 5}) {
            double[] surrogate = new double[N * K];
            double objective;
            try (ChunkRunner runner = new ChunkRunner(threads)) {
                objective = Sp2otMm.linearize(cost, affinity, lam, eps, q, K, surrogate, runner);
            }
            assertEquals(expectedObjective, objective, TOL * Math.abs(expectedObjective), "threads " + threads);
            double worst = 0;
            for (int idx = 0; idx < surrogate.length; idx++) {
                worst = Math.max(worst, Math.abs(surrogate[idx] - expectedSurrogate[idx])
                        / Math.max(1.0, Math.abs(expectedSurrogate[idx])));
            }
            assertTrue(worst < TOL, "surrogate off by " + worst + " relative with " + threads + " threads");
            if (first == null) {
                first = surrogate;
                firstObjective = objective;
            } else {
                assertArrayEquals(first, surrogate, 0.0, "surrogate must not depend on the thread count");
                assertEquals(firstObjective, objective, 0.0, "objective must not depend on the thread count");
            }
        }
        assertTrue(Simd.enabled(), Simd.describe());
        // the float32 mode (Sp2otMm.withFloat32Product): product from a float32 copy of q, rows through
        // SimdPass.linearizeRow; each product term is rounded by at most 2^-24 relative, and the sums in lanes
        float[] narrow = new float[q.length];
        for (int idx = 0; idx < q.length; idx++) {
            narrow[idx] = (float) q[idx];
        }
        double[] firstNarrow = null;
        double firstNarrowObjective = 0;
        for (int threads : new int[] {1, 2, 5}) {
            double[] surrogate = new double[N * K];
            double objective;
            try (ChunkRunner runner = new ChunkRunner(threads)) {
                objective = Sp2otMm.linearize(cost, affinity, lam, eps, q, narrow, K, surrogate, runner, false);
            }
            assertEquals(expectedObjective, objective, 1e-7 * Math.abs(expectedObjective), "float32 mode, threads "
                    + threads);
            assertTrue(objective != expectedObjective, "the float32 mode gave the float64 objective's bits: not used?");
            for (int idx = 0; idx < surrogate.length; idx++) {
                // lam times the product's float32 rounding (2^-24 of each non-negative term), plus float64 rounding
                double product = (cost[idx] - expectedSurrogate[idx]) / lam;
                double bound = 1.01 * lam * product * 0x1p-24 + TOL * Math.max(1.0, Math.abs(expectedSurrogate[idx]));
                assertTrue(Math.abs(surrogate[idx] - expectedSurrogate[idx]) <= bound, "float32 mode: surrogate entry "
                        + idx + " is " + surrogate[idx] + ", oracle " + expectedSurrogate[idx] + ", " + threads
                        + " threads");
            }
            if (firstNarrow == null) {
                firstNarrow = surrogate;
                firstNarrowObjective = objective;
            } else {
                assertArrayEquals(firstNarrow, surrogate, 0.0, "float32 mode: surrogate depends on the thread count");
                assertEquals(firstNarrowObjective, objective, 0.0, "float32 mode: objective depends on the threads");
            }
        }
    }

    @Test
    void theUniformStartSkipsTheSparseProductAndGivesTheSamePass() {
        SplittableRandom random = new SplittableRandom(23);
        SparseAffinity affinity = randomGraph(random, new double[N][N]);
        double[] q = new double[N * K];
        java.util.Arrays.fill(q, 0.4 / (N * K));
        double[] cost = new double[N * K];
        for (int idx = 0; idx < cost.length; idx++) {
            cost[idx] = 5 * random.nextDouble();
        }
        double[] general = new double[N * K];
        double[] uniform = new double[N * K];
        try (ChunkRunner runner = new ChunkRunner(2)) {
            double a = Sp2otMm.linearize(cost, affinity, 37.5, 0.1, q, null, K, general, runner, false);
            double b = Sp2otMm.linearize(cost, affinity, 37.5, 0.1, q, null, K, uniform, runner, true);
            assertEquals(a, b, TOL * Math.abs(a));
        }
        assertArrayEquals(general, uniform, TOL * 5);
    }

    @Test
    void entriesBelowTheEntropyFloorMoveTheObjectiveByLessThanItsBound() {
        SplittableRandom random = new SplittableRandom(29);
        SparseAffinity affinity = randomGraph(random, new double[N][N]);
        double[] q = new double[N * K];
        double[] cost = new double[N * K];
        for (int idx = 0; idx < q.length; idx++) {
            q[idx] = idx % 3 == 0 ? random.nextDouble() / (N * K) : 0.0;
            cost[idx] = 5 * random.nextDouble();
        }
        double[] tiny = q.clone();
        for (int idx = 0; idx < tiny.length; idx++) {
            if (tiny[idx] == 0.0) {
                tiny[idx] = Sp2otMm.ENTROPY_FLOOR * random.nextDouble();
            }
        }
        double[] scratch = new double[N * K];
        try (ChunkRunner runner = new ChunkRunner(1)) {
            double without = Sp2otMm.linearize(cost, affinity, 37.5, 0.1, q, K, scratch, runner);
            double with = Sp2otMm.linearize(cost, affinity, 37.5, 0.1, tiny, K, scratch, runner);
            // exact entropy of the tiny entries: each |x log x| <= 1e-20 * 46; the linear and graph terms see them
            assertTrue(Math.abs(with - without) < N * K * (Sp2otMm.ENTROPY_FLOOR * 5 + 0.1 * 1e-20 * 46),
                    "objective moved by " + Math.abs(with - without));
        }
    }

    @Test
    void symmetricProductMatchesTheDenseProduct() {
        SplittableRandom random = new SplittableRandom(5);
        double[][] dense = new double[N][N];
        SparseAffinity affinity = randomGraph(random, dense);
        double[] q = new double[N * K];
        for (int idx = 0; idx < q.length; idx++) {
            q[idx] = random.nextDouble() - 0.5;
        }
        double[] out = new double[N * K];
        affinity.symmetricProduct(q, K, out);
        for (int p = 0; p < N; p++) {
            for (int j = 0; j < K; j++) {
                double expected = 0;
                for (int c = 0; c < N; c++) {
                    expected += (dense[p][c] + dense[c][p]) * q[c * K + j];
                }
                assertEquals(expected, out[p * K + j], 1e-12 * Math.max(1.0, Math.abs(expected)), "row " + p);
            }
        }
    }
}
