package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * The stall-aware relative MM stop rule reaches the best objective of the plain MM loop run for 150 steps (the
 * paper's iteration with no stop rule) within 1e-4 relative, with fewer steps, on a small SP2OT problem (N = 512, K = 20, rho = 0.3, lam = 0.7 * 300,
 * random k-NN graph of 10 neighbours with weights in (0, 1]). Tolerance: the inner solves stop at tol 1e-6, which
 * moves the objective by about 1e-6 relative per step.
 */
class Sp2otMmStopRuleTest {

    @Test
    void stallAwareStopReachesTheObjectiveOfTheFullLoop() {
        int n = 512;
        int k = 20;
        double rho = 0.3;
        double lam = (1 - rho) * 300;
        float[] logits = org.sp2ot.solver.bench.BenchInputs.cosineLogits(n, k, true, 11);
        double[] cost = TransportProblem.costFromLogits(logits, n, k);
        TransportProblem problem = Method.SP2OT.problem(cost, n, k, rho, 0.1, 1.0);
        SparseAffinity affinity = RandomGraphs.affinity(n, 10, 12);

        Sp2otMm.Result quick;
        double fullBest = Double.POSITIVE_INFINITY;
        double[] fullBestPlan = null;
        int fullSteps = 150;
        try (FastScaling a = FastScaling.create(ScalingFormulation.Kind.VIRTUAL_COLUMN, 1e-6, 1000);
             FastScaling b = FastScaling.create(ScalingFormulation.Kind.VIRTUAL_COLUMN, 1e-6, 1000)) {
            quick = new Sp2otMm(a, 1e-6, 100).solve(problem, affinity, lam);
            double[] q = new double[n * k];
            java.util.Arrays.fill(q, rho / ((double) n * k));
            double[] product = new double[n * k];
            double[] surrogate = new double[n * k];
            for (int step = 0; step < fullSteps; step++) {
                Sp2otMm.surrogateCost(cost, affinity, lam, q, k, product, surrogate);
                double[] plan = b.solve(problem.withCost(surrogate)).plan();
                q = scaled(plan, n);
                double f = Sp2otMm.objective(problem, affinity, lam, q);
                if (f < fullBest) {
                    fullBest = f;
                    fullBestPlan = plan;
                }
            }
        }
        double quickObjective = Sp2otMm.objective(problem, affinity, lam, scaled(quick.last().plan(), n));
        double gap = (quickObjective - fullBest) / Math.max(1.0, Math.abs(fullBest));
        assertTrue(gap < 1e-4, "objective " + quickObjective + " vs the full loop's best " + fullBest + " (" + gap
                + " relative)");
        assertTrue(quick.mmSteps() < fullSteps, quick.mmSteps() + " MM steps");
        double distance = PlanDistance.relativeL1(quick.last().plan(), fullBestPlan);
        assertTrue(distance < 1e-2, "plans differ by " + distance + " relative L1");
        System.out.printf(java.util.Locale.ROOT, "MM stop rule: %d steps, objective %.9f vs best of %d steps %.9f "
                + "(%.2e relative), plans %.2e relative L1%n", quick.mmSteps(), quickObjective, fullSteps, fullBest,
                gap, distance);
    }

    private static double[] scaled(double[] plan, int n) {
        double[] q = new double[plan.length];
        for (int idx = 0; idx < q.length; idx++) {
            q[idx] = plan[idx] / n;
        }
        return q;
    }
}
