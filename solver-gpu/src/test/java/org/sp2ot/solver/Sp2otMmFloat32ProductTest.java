package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.sp2ot.solver.bench.BenchInputs;

/**
 * The SP2OT MM loop's float32 sparse product ({@link Sp2otMm#withFloat32Product}): each entry of {@code (S + S^T) Q}
 * from the float32 copy of Q is within float32 rounding of the float64 product, and the whole MM loop ends at the
 * float64 loop's objective and plan. The build's tests add the Vector API module, so the path runs.
 */
class Sp2otMmFloat32ProductTest {

    @Test
    void productRowsFromTheFloat32CopyAreWithinFloatRoundingOfTheFloat64Product() {
        assertTrue(Simd.enabled(), Simd.describe());
        int n = 300;
        int k = 37; // not a multiple of the lane count: the scalar tail is exercised
        SparseAffinity affinity = RandomGraphs.affinity(n, 12, 3);
        SplittableRandom random = new SplittableRandom(4);
        double[] q = new double[n * k];
        float[] narrow = new float[n * k];
        for (int idx = 0; idx < q.length; idx++) {
            q[idx] = random.nextDouble() / (n * k);
            narrow[idx] = (float) q[idx];
        }
        double[] wide = new double[k];
        double[] fromFloat = new double[k + 5];
        double worst = 0;
        for (int p = 0; p < n; p++) {
            affinity.symmetricProductRow(q, k, p, wide, 0);
            affinity.symmetricProductRow(narrow, k, p, fromFloat, 5);
            for (int j = 0; j < k; j++) {
                // every term is a non-negative weight times a q entry rounded to float: relative error <= 2^-24
                double bound = wide[j] * 0x1p-24 + 1e-300;
                assertTrue(Math.abs(fromFloat[5 + j] - wide[j]) <= bound * 1.01, "row " + p + ", column " + j + ": "
                        + fromFloat[5 + j] + " vs " + wide[j]);
                worst = Math.max(worst, Math.abs(fromFloat[5 + j] - wide[j]) / wide[j]);
            }
        }
        assertTrue(worst > 0, "the float32 copy was not read (no rounding difference at all)");
    }

    @Test
    void theMmLoopWithTheFloat32ProductEndsAtTheFloat64LoopsObjectiveAndPlan() {
        assertTrue(Simd.enabled(), Simd.describe());
        int n = 512;
        int k = 40;
        double rho = 0.3;
        double lam = (1 - rho) * 1000;
        float[] logits = BenchInputs.cosineLogits(n, k, true, 11);
        double[] cost = TransportProblem.costFromLogits(logits, n, k);
        TransportProblem problem = Method.SP2OT.problem(cost, n, k, rho, 0.1, 1.0);
        SparseAffinity affinity = RandomGraphs.affinity(n, 20, 12);
        Sp2otMm.Result wide;
        Sp2otMm.Result narrow;
        try (FastScaling a = FastScaling.create(ScalingFormulation.Kind.VIRTUAL_COLUMN, 1e-9, 10_000);
             FastScaling b = FastScaling.create(ScalingFormulation.Kind.VIRTUAL_COLUMN, 1e-9, 10_000)) {
            wide = new Sp2otMm(a, 1e-6, 100).solve(problem, affinity, lam);
            narrow = Sp2otMm.forBackend(b, 1e-6, 100, Backend.FAST).solve(problem, affinity, lam);
        }
        double wideObjective = Sp2otMm.objective(problem, affinity, lam, scaled(wide.last().plan(), n));
        double narrowObjective = Sp2otMm.objective(problem, affinity, lam, scaled(narrow.last().plan(), n));
        assertEquals(wideObjective, narrowObjective, 1e-7 * Math.abs(wideObjective),
                "objectives " + narrowObjective + " (float32 product) vs " + wideObjective);
        assertEquals(wide.mmSteps(), narrow.mmSteps(), "MM steps");
        double distance = PlanDistance.relativeL1(narrow.last().plan(), wide.last().plan());
        assertTrue(distance < 1e-5, "plans differ by " + distance + " relative L1");
        assertTrue(distance > 0, "the float32 product changed nothing: was it used?");
        System.out.printf(java.util.Locale.ROOT, "float32 MM product: %d steps, objective %.12f vs %.12f (%.2e "
                + "relative), plans %.2e relative L1%n", narrow.mmSteps(), narrowObjective, wideObjective,
                Math.abs(narrowObjective - wideObjective) / Math.abs(wideObjective), distance);
    }

    @Test
    void theReferenceBackendKeepsTheFloat64Product() {
        int n = 64;
        int k = 6;
        float[] logits = BenchInputs.cosineLogits(n, k, true, 5);
        TransportProblem problem = Method.SP2OT.problem(TransportProblem.costFromLogits(logits, n, k), n, k, 0.5,
                0.1, 1.0);
        SparseAffinity affinity = RandomGraphs.affinity(n, 5, 6);
        try (ScalingSolver a = new P2otScaling(1e-12, 100_000); ScalingSolver b = new P2otScaling(1e-12, 100_000)) {
            double[] plain = new Sp2otMm(a, 1e-9, 50).solve(problem, affinity, 300).last().plan();
            double[] reference = Sp2otMm.forBackend(b, 1e-9, 50, Backend.REFERENCE).solve(problem, affinity, 300)
                    .last().plan();
            assertTrue(Arrays.equals(plain, reference), "the reference backend's MM loop changed");
        }
    }

    private static double[] scaled(double[] plan, int n) {
        double[] q = new double[plan.length];
        for (int idx = 0; idx < q.length; idx++) {
            q[idx] = plan[idx] / n;
        }
        return q;
    }
}
