package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sp2ot.solver.bench.BenchInputs;

/**
 * The fast path solves the reference's problem. Tolerance: relative L1 distance of the plans at most 1e-6 when both
 * stop at tol 1e-9 (float32 storage of the kernel limits the fast path to about 1e-7 relative per entry). Latent
 * classes are uniform here: with long-tailed ones the equality-column baselines POT and OT need more than 10^5 plain
 * iterations to reach tol 1e-9, which is why P2OT relaxes the cluster sizes.
 */
class FastScalingTest {
    private static final int N = 240;
    private static final int K = 12;
    private static final double AGREEMENT = 1e-6;

    private static TransportProblem problem(Method method) {
        double[] cost = TransportProblem.costFromLogits(BenchInputs.cosineLogits(N, K, false, 11), N, K);
        return method.problem(cost, N, K, 0.3, 0.1, 1.0);
    }

    private static ScalingSolver reference(Method method) {
        return method == Method.GSA ? new GeneralizedScaling(1e-9, 1_000_000) : new P2otScaling(1e-9, 1_000_000);
    }

    private static ScalingFormulation.Kind kind(Method method) {
        return method == Method.GSA ? ScalingFormulation.Kind.GENERALIZED : ScalingFormulation.Kind.VIRTUAL_COLUMN;
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"P2OT", "POT", "UOT", "OT", "GSA"})
    void acceleratedFastPathAgreesWithTheFloat64Reference(Method method) {
        TransportProblem p = problem(method);
        double[] expected = reference(method).solve(p).plan();
        try (FastScaling fast = new FastScaling(kind(method), 1e-9, 100_000, 2, true)) {
            double distance = PlanDistance.relativeL1(fast.solve(p).plan(), expected);
            assertTrue(distance < AGREEMENT, method + ": relative L1 " + distance);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"P2OT", "GSA"})
    void plainFastPathAgreesWithTheFloat64Reference(Method method) {
        TransportProblem p = problem(method);
        double[] expected = reference(method).solve(p).plan();
        try (FastScaling fast = new FastScaling(kind(method), 1e-9, 1_000_000, 2, false)) {
            double distance = PlanDistance.relativeL1(fast.solve(p).plan(), expected);
            assertTrue(distance < AGREEMENT, method + ": relative L1 " + distance);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"P2OT", "GSA", "OT", "POT"})
    void resultsAreBitIdenticalForAnyThreadCount(Method method) {
        TransportProblem p = problem(method);
        try (FastScaling one = new FastScaling(kind(method), 1e-9, 100_000, 1, true);
             FastScaling three = new FastScaling(kind(method), 1e-9, 100_000, 3, true)) {
            assertArrayEquals(one.solve(p).plan(), three.solve(p).plan());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"P2OT", "POT", "GSA"})
    void andersonAccelerationNeedsFewerPasses(Method method) {
        TransportProblem p = problem(method);
        try (FastScaling plain = new FastScaling(kind(method), 1e-9, 1_000_000, 1, false);
             FastScaling accelerated = new FastScaling(kind(method), 1e-9, 1_000_000, 1, true)) {
            int plainPasses = plain.solve(p).iterations();
            int acceleratedPasses = accelerated.solve(p).iterations();
            assertTrue(acceleratedPasses < plainPasses, acceleratedPasses + " vs " + plainPasses);
        }
    }

    /**
     * Long-tailed logits, where Anderson alone crawls (equality columns) or takes tens of passes (KL-relaxed): with
     * the Newton phase the solve needs fewer passes and lands on the same plan (both against an Anderson-only solve
     * to tol 1e-12).
     */
    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"OT", "POT", "P2OT", "UOT"})
    void newtonFinishesLongTailedProblemsInFewerPassesAtTheSamePlan(Method method) {
        int n = 600;
        int k = 20;
        double[] cost = TransportProblem.costFromLogits(BenchInputs.cosineLogits(n, k, true, 13), n, k);
        TransportProblem p = method.problem(cost, n, k, 0.9, 0.1, 1.0);
        double[] converged;
        try (FastScaling tight = new FastScaling(kind(method), 1e-12, 1_000_000, 1, true).withoutNewton()) {
            converged = tight.solve(p).plan();
        }
        try (FastScaling anderson = new FastScaling(kind(method), 1e-9, 1_000_000, 2, true).withoutNewton();
             FastScaling newton = new FastScaling(kind(method), 1e-9, 1_000_000, 2, true)) {
            ScalingResult slow = anderson.solve(p);
            ScalingResult fast = newton.solve(p);
            assertTrue(fast.converged() && slow.converged());
            assertTrue(fast.iterations() < slow.iterations() / 2, fast.iterations() + " vs " + slow.iterations()
                    + " passes");
            assertTrue(PlanDistance.relativeL1(fast.plan(), converged) < AGREEMENT,
                    "relative L1 " + PlanDistance.relativeL1(fast.plan(), converged));
        }
    }

    /**
     * A sharp balanced problem (logits x 3, eps 0.01, 3 clusters) where the float Gram's rounding makes the plain
     * Hessian indefinite: the damped Newton phase still reaches the marginals, where Anderson alone stalls.
     */
    @org.junit.jupiter.api.Test
    void dampedNewtonReachesTheMarginalsOfASharpBalancedProblemWhereAndersonStalls() {
        int n = 300;
        int k = 3;
        float[] logits = BenchInputs.cosineLogits(n, k, false, n + k);
        for (int i = 0; i < logits.length; i++) {
            logits[i] *= 3;
        }
        TransportProblem p = Method.OT.problem(TransportProblem.costFromLogits(logits, n, k), n, k, 1.0, 0.01, 1.0);
        try (FastScaling newton = new FastScaling(ScalingFormulation.Kind.VIRTUAL_COLUMN, 1e-6, 1000, 2, true);
             FastScaling anderson = new FastScaling(ScalingFormulation.Kind.VIRTUAL_COLUMN, 1e-6, 1000, 2, true)
                     .withoutNewton()) {
            ScalingResult solved = newton.solve(p);
            assertTrue(solved.converged(), "Newton phase: " + solved.iterations() + " passes, not converged");
            assertTrue(columnError(solved.plan(), n, k) < 1e-6, "column error " + columnError(solved.plan(), n, k));
            ScalingResult stalled = anderson.solve(p);
            assertTrue(!stalled.converged() && columnError(stalled.plan(), n, k) > 1e-3,
                    "Anderson alone was expected to stall here (the test's premise)");
        }
    }

    /** Largest relative deviation of the plan's column sums (plan = N Q) from 1/K. */
    private static double columnError(double[] plan, int n, int k) {
        double[] columns = new double[k];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                columns[j] += plan[i * k + j] / n;
            }
        }
        double worst = 0;
        for (double c : columns) {
            worst = Math.max(worst, Math.abs(c * k - 1));
        }
        return worst;
    }
}
