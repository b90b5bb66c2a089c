package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sp2ot.solver.bench.BenchInputs;

class GeneralizedScalingTest {

    @Test
    void matchesBruteForceMinimiserOfTheOriginalObjective() {
        double[] cost = {0.9, 1.1, 1.0, 0.8, 1.2, 0.95, 0.85, 1.05};
        double rho = 0.3;
        double[] expected = new BruteForce(cost, 4, 2, rho, 0.1, 1.0, false).solve();
        for (int i = 0; i < 4; i++) {
            assertTrue(expected[2 * i] + expected[2 * i + 1] < 0.25 - 1e-3,
                    "test case must have an interior optimum (no saturated row)");
        }
        ScalingResult r = new GeneralizedScaling(1e-14, 1_000_000).solve(Method.GSA.problem(cost, 4, 2, rho, 0.1, 1.0));
        for (int idx = 0; idx < expected.length; idx++) {
            assertEquals(expected[idx] * 4, r.plan()[idx], 1e-9, "entry " + idx);
        }
    }

    @Test
    void rowsNeverExceedTheirMassAndTotalMassIsRho() {
        int n = 300;
        int k = 10;
        double rho = 0.5;
        double[] cost = TransportProblem.costFromLogits(BenchInputs.cosineLogits(n, k, true, 5), n, k);
        ScalingResult r = new GeneralizedScaling(1e-12, 1_000_000).solve(Method.GSA.problem(cost, n, k, rho, 0.1, 1.0));
        assertTrue(r.converged());
        assertTrue(r.rowError() < 1e-12, "row constraint violated by " + r.rowError());
        assertEquals(rho, r.totalMass(), 1e-9);
    }

    @Test
    void attainsALowerOriginalObjectiveThanTheVirtualClusterPlan() {
        int n = 6;
        int k = 2;
        double rho = 0.5;
        double[] cost = TransportProblem.costFromLogits(BenchInputs.cosineLogits(n, k, false, 6), n, k);
        BruteForce original = new BruteForce(cost, n, k, rho, 0.1, 1.0, false);
        double[] gsa = new GeneralizedScaling(1e-14, 1_000_000).solve(Method.GSA.problem(cost, n, k, rho, 0.1, 1.0))
                .plan();
        double[] p2ot = new P2otScaling(1e-14, 1_000_000).solve(Method.P2OT.problem(cost, n, k, rho, 0.1, 1.0)).plan();
        for (int idx = 0; idx < gsa.length; idx++) {
            gsa[idx] /= n;
            p2ot[idx] /= n;
        }
        assertTrue(original.objective(gsa) < original.objective(p2ot),
                original.objective(gsa) + " vs " + original.objective(p2ot));
    }
}
