package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Extreme but legal inputs give finite plans that satisfy the constraints, on both CPU backends and for GSA. */
class ExtremeInputsTest {

    private static PseudoLabels label(Backend backend, Method method, float[] logits, int n, int k, double rho,
                                      double eps) {
        SolverSettings settings = new SolverSettings(eps, 1.0, 1e-6, 20_000, 1000, Double.NaN, 10, 1e-6, backend);
        try (PseudoLabeler labeler = PseudoLabeler.create(method, settings)) {
            return labeler.label(logits, n, k, rho, null);
        }
    }

    private static void assertFeasible(PseudoLabels labels, int n, double rho) {
        double total = 0;
        for (float w : labels.weights()) {
            assertTrue(Float.isFinite(w) && w >= 0 && w <= 1 + 1e-5, "weight " + w);
            total += w;
        }
        for (float q : labels.targets()) {
            assertTrue(Float.isFinite(q) && q >= 0, "target " + q);
        }
        assertEquals(rho * n, total, 1e-3 * n);
    }

    private static float[] hugeLogits(int n, int k) {
        SplittableRandom random = new SplittableRandom(3);
        float[] logits = new float[n * k];
        for (int idx = 0; idx < logits.length; idx++) {
            logits[idx] = random.nextBoolean() ? 1e4f : -1e4f;
        }
        return logits;
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"REFERENCE", "FAST"})
    void logitsOfTenThousandWithSmallEpsStayFinite(Backend backend) {
        for (Method method : new Method[] {Method.P2OT, Method.GSA, Method.UOT}) {
            PseudoLabels labels = label(backend, method, hugeLogits(64, 8), 64, 8, 0.4, 0.01);
            assertFeasible(labels, 64, method == Method.UOT ? 1.0 : 0.4);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"REFERENCE", "FAST"})
    void epsOfOneHundredthOnCosineLogitsStaysFinite(Backend backend) {
        float[] logits = org.sp2ot.solver.bench.BenchInputs.cosineLogits(128, 10, true, 9);
        assertFeasible(label(backend, Method.P2OT, logits, 128, 10, 0.2, 0.01), 128, 0.2);
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"REFERENCE", "FAST"})
    void singleClusterCarriesExactlyRho(Backend backend) {
        PseudoLabels labels = label(backend, Method.P2OT, new float[] {3f, -2f, 0f, 7f}, 4, 1, 0.25, 0.1);
        assertFeasible(labels, 4, 0.25);
        for (float w : labels.weights()) {
            assertTrue(w < 1, "one cluster of size rho=0.25 cannot take any sample fully");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"REFERENCE", "FAST"})
    void singleSampleSingleClusterGivesWeightRho(Backend backend) {
        for (Method method : new Method[] {Method.P2OT, Method.GSA, Method.POT}) {
            PseudoLabels labels = label(backend, method, new float[] {5f}, 1, 1, 0.5, 0.1);
            assertEquals(0.5, labels.weights()[0], 1e-6, method.toString());
            assertEquals(0.5, labels.targets()[0], 1e-6, method.toString());
        }
    }
}
