package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sp2ot.solver.bench.BenchInputs;

class Sp2otMmTest {

    private static SolverSettings settings(double lamFixed) {
        return new SolverSettings(0.1, 1.0, 1e-10, 100_000, 1000, lamFixed, 50, 1e-12, Backend.REFERENCE);
    }

    /** A PSD affinity: all-ones blocks (self included) over consecutive groups of the rows. */
    private static SparseAffinity blocks(int n, int block) {
        int[] rowStart = new int[n + 1];
        int[] columns = new int[n * block];
        double[] values = new double[n * block];
        int e = 0;
        for (int p = 0; p < n; p++) {
            int first = p / block * block;
            for (int q = first; q < first + block; q++) {
                columns[e] = q;
                values[e] = 1.0;
                e++;
            }
            rowStart[p + 1] = e;
        }
        return new SparseAffinity(n, rowStart, columns, values);
    }

    /**
     * The full SP2OT objective the MM steps decrease: {@code <Q,C> - lam <S,QQ^T> + eps Σ Q̂ log Q̂ + gamma KL(Q^T 1 ||
     * rho/K)} on the extended plan (virtual column = row slack).
     */
    private static double fullObjective(double[] cost, int n, int k, double rho, double lam, SparseAffinity s,
                                        double[] q) {
        double f = 0;
        double[] col = new double[k];
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = 0; j < k; j++) {
                double x = q[i * k + j];
                f += x * cost[i * k + j] + 0.1 * xLogX(x);
                row += x;
                col[j] += x;
            }
            double slack = 1.0 / n - row;
            f += 0.1 * xLogX(Math.max(slack, 0.0));
        }
        for (int j = 0; j < k; j++) {
            f += col[j] * Math.log(col[j] / (rho / k)) - col[j] + rho / k;
        }
        return f - lam * s.quadraticForm(q, k);
    }

    private static double xLogX(double x) {
        return x > 0 ? x * Math.log(x) : 0.0;
    }

    @Test
    void withoutSemanticWeightSp2otEqualsP2ot() {
        int n = 60;
        int k = 5;
        float[] logits = BenchInputs.cosineLogits(n, k, true, 21);
        int[] neighbors = new int[n * 2];
        float[] weights = new float[n * 2];
        for (int g = 0; g < n; g++) {
            neighbors[2 * g] = (g + 1) % n;
            neighbors[2 * g + 1] = (g + 2) % n;
            weights[2 * g] = 1f;
            weights[2 * g + 1] = 0.5f;
        }
        int[] ids = new int[n];
        for (int p = 0; p < n; p++) {
            ids[p] = p;
        }
        SparseAffinity affinity = SparseAffinity.slice(new KnnGraph(n, 2, neighbors, weights), ids);
        try (PseudoLabeler sp2ot = PseudoLabeler.create(Method.SP2OT, settings(0.0));
             PseudoLabeler p2ot = PseudoLabeler.create(Method.P2OT, settings(Double.NaN))) {
            PseudoLabels semantic = sp2ot.label(logits, n, k, 0.3, affinity);
            assertEquals(0.0, semantic.lam());
            assertArrayEquals(p2ot.label(logits, n, k, 0.3, null).targets(), semantic.targets());
        }
    }

    @Test
    void objectiveNeverIncreasesAcrossMmSteps() {
        int n = 40;
        int k = 4;
        double rho = 0.5;
        double lam = 30.0;
        double[] cost = TransportProblem.costFromLogits(BenchInputs.cosineLogits(n, k, false, 22), n, k);
        SparseAffinity s = blocks(n, 8);
        TransportProblem problem = Method.P2OT.problem(cost, n, k, rho, 0.1, 1.0);
        double previous = Double.POSITIVE_INFINITY;
        int steps = 0;
        P2otScaling inner = new P2otScaling(1e-13, 1_000_000);
        for (int maxSteps = 1; maxSteps <= 6; maxSteps++) {
            inner.restoreWarmState(new double[0]);
            Sp2otMm.Result r = new Sp2otMm(inner, 1e-15, maxSteps).solve(problem, s, lam);
            double[] q = r.last().plan().clone();
            for (int idx = 0; idx < q.length; idx++) {
                q[idx] /= n;
            }
            double current = fullObjective(cost, n, k, rho, lam, s, q);
            assertTrue(current <= previous + 1e-12, "step " + maxSteps + ": " + current + " > " + previous);
            previous = current;
            steps = r.mmSteps();
        }
        assertTrue(steps > 2, "the case must take several MM steps, took " + steps);
    }

    @Test
    void semanticTermPullsAnAmbiguousSampleTowardsItsNeighboursCluster() {
        int n = 21;
        int k = 2;
        double[] cost = new double[n * k];
        for (int i = 0; i < 10; i++) {
            cost[i * k] = 0.1;
            cost[i * k + 1] = 2.0;
            cost[(10 + i) * k] = 2.0;
            cost[(10 + i) * k + 1] = 0.1;
        }
        int ambiguous = 20;
        cost[ambiguous * k] = 1.0;
        cost[ambiguous * k + 1] = 1.0;
        int[] neighbors = new int[n * 3];
        float[] weights = new float[n * 3];
        java.util.Arrays.fill(neighbors, -1);
        for (int r = 0; r < 3; r++) {
            neighbors[ambiguous * 3 + r] = r;
            weights[ambiguous * 3 + r] = 1f;
        }
        int[] ids = new int[n];
        for (int p = 0; p < n; p++) {
            ids[p] = p;
        }
        SparseAffinity affinity = SparseAffinity.slice(new KnnGraph(n, 3, neighbors, weights), ids);
        TransportProblem problem = Method.P2OT.problem(cost, n, k, 0.8, 0.1, 1.0);
        double[] plain = new P2otScaling(1e-12, 1_000_000).solve(problem).plan();
        double[] semantic = new Sp2otMm(new P2otScaling(1e-12, 1_000_000), 1e-12, 100).solve(problem, affinity, 20.0)
                .last().plan();
        double plainShare = plain[ambiguous * k] / (plain[ambiguous * k] + plain[ambiguous * k + 1]);
        double semanticShare = semantic[ambiguous * k] / (semantic[ambiguous * k] + semantic[ambiguous * k + 1]);
        assertEquals(0.5, plainShare, 0.02);
        assertTrue(semanticShare > 0.8, "share of the neighbours' cluster " + semanticShare);
    }
}
