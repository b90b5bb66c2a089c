package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sp2ot.solver.bench.BenchInputs;

class P2otScalingTest {
    private static final double[] TINY_COST = {0.2, 1.5, 0.9, 0.4, 2.0, 0.1, 0.7, 0.8};

    private static TransportProblem p2ot(double[] cost, int n, int k, double rho) {
        return Method.P2OT.problem(cost, n, k, rho, 0.1, 1.0);
    }

    private static double[] logitCost(int n, int k, long seed) {
        return TransportProblem.costFromLogits(BenchInputs.cosineLogits(n, k, true, seed), n, k);
    }

    @Test
    void rowsCarryAtMostTheirMassAndTotalMassIsRho() {
        int n = 200;
        int k = 10;
        double rho = 0.3;
        ScalingResult r = new P2otScaling(1e-12, 100_000).solve(p2ot(logitCost(n, k, 1), n, k, rho));
        assertTrue(r.converged());
        for (double w : r.weights()) {
            assertTrue(w <= 1.0 + 1e-12 && w >= 0, "sample weight " + w + " outside [0,1]");
        }
        assertEquals(rho, r.totalMass(), 1e-9);
        assertTrue(r.rowError() < 1e-12, "row marginal error " + r.rowError());
    }

    @Test
    void virtualColumnAbsorbsExactlyOneMinusRho() {
        int n = 200;
        int k = 10;
        double rho = 0.3;
        ScalingResult r = new P2otScaling(1e-12, 100_000).solve(p2ot(logitCost(n, k, 2), n, k, rho));
        double weightSum = 0;
        for (double w : r.weights()) {
            weightSum += w / n;
        }
        assertEquals(1.0 - rho, 1.0 - weightSum, 1e-9);
        assertTrue(r.columnError() < 1e-9, "virtual column error " + r.columnError());
    }

    @Test
    void matchesBruteForceMinimiserOfTheExtendedObjective() {
        double rho = 0.6;
        double[] expected = new BruteForce(TINY_COST, 4, 2, rho, 0.1, 1.0, true).solve();
        ScalingResult r = new P2otScaling(1e-14, 1_000_000).solve(p2ot(TINY_COST, 4, 2, rho));
        for (int idx = 0; idx < expected.length; idx++) {
            assertEquals(expected[idx] * 4, r.plan()[idx], 1e-9, "entry " + idx);
        }
    }

    @Test
    void fullMassWithEqualityColumnsIsOrdinarySinkhorn() {
        int n = 30;
        int k = 3;
        double[] cost = logitCost(n, k, 3);
        double eps = 0.5;
        double[] m = new double[n * k];
        for (int idx = 0; idx < m.length; idx++) {
            m[idx] = Math.exp(-cost[idx] / eps);
        }
        double[] a = new double[n];
        double[] b = new double[k];
        java.util.Arrays.fill(b, 1.0);
        for (int iter = 0; iter < 20_000; iter++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < k; j++) {
                    s += m[i * k + j] * b[j];
                }
                a[i] = (1.0 / n) / s;
            }
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int i = 0; i < n; i++) {
                    s += m[i * k + j] * a[i];
                }
                b[j] = (1.0 / k) / s;
            }
        }
        TransportProblem ot = Method.OT.problem(cost, n, k, 0.4, eps, 1.0);
        ScalingResult r = new P2otScaling(1e-14, 1_000_000).solve(ot);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                assertEquals(n * a[i] * m[i * k + j] * b[j], r.plan()[i * k + j], 1e-10);
            }
        }
    }

    @Test
    void warmStartReachesTheSamePlanInFewerIterations() {
        int n = 300;
        int k = 10;
        TransportProblem problem = p2ot(logitCost(n, k, 4), n, k, 0.2);
        P2otScaling solver = new P2otScaling(1e-10, 100_000);
        ScalingResult cold = solver.solve(problem);
        ScalingResult warm = solver.solve(problem);
        assertTrue(warm.iterations() < cold.iterations() / 10, warm.iterations() + " vs " + cold.iterations());
        assertEquals(0.0, PlanDistance.relativeL1(warm.plan(), cold.plan()), 1e-7);
    }
}
