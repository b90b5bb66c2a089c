package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sp2ot.solver.bench.BenchInputs;

class PseudoLabelerTest {
    private static final int N = 256;
    private static final int K = 8;
    private static final float[] LOGITS = BenchInputs.cosineLogits(N, K, true, 31);

    @Test
    void targetRowsSumToTheWeightsWhichSumToRhoTimesN() {
        try (PseudoLabeler labeler = PseudoLabeler.create(Method.P2OT, SolverSettings.defaults())) {
            PseudoLabels labels = labeler.label(LOGITS, N, K, 0.25, null);
            double total = 0;
            for (int i = 0; i < N; i++) {
                double row = 0;
                for (int j = 0; j < K; j++) {
                    row += labels.targets()[i * K + j];
                }
                assertEquals(labels.weights()[i], row, 1e-5);
                total += labels.weights()[i];
            }
            assertEquals(0.25 * N, total, 1e-3);
            assertEquals(1, labels.mmSteps());
        }
    }

    @Test
    void restoredWarmStateReproducesTheNextCall() {
        try (PseudoLabeler first = PseudoLabeler.create(Method.P2OT, SolverSettings.defaults());
             PseudoLabeler second = PseudoLabeler.create(Method.P2OT, SolverSettings.defaults())) {
            first.label(LOGITS, N, K, 0.3, null);
            second.restoreWarmState(first.warmState());
            assertArrayEquals(first.label(LOGITS, N, K, 0.4, null).targets(),
                    second.label(LOGITS, N, K, 0.4, null).targets());
        }
    }

    @Test
    void sp2otReportsTheScheduledSemanticWeight() {
        int[] neighbors = new int[N];
        float[] weights = new float[N];
        for (int g = 0; g < N; g++) {
            neighbors[g] = (g + 1) % N;
            weights[g] = 1f;
        }
        int[] ids = new int[N];
        for (int p = 0; p < N; p++) {
            ids[p] = p;
        }
        SparseAffinity affinity = SparseAffinity.slice(new KnnGraph(N, 1, neighbors, weights), ids);
        try (PseudoLabeler labeler = PseudoLabeler.create(Method.SP2OT, SolverSettings.defaults())) {
            PseudoLabels labels = labeler.label(LOGITS, N, K, 0.2, affinity);
            assertEquals(0.8 * 1000, labels.lam(), 1e-9);
            assertTrue(labels.mmSteps() >= 2, "MM steps " + labels.mmSteps());
        }
    }

    @Test
    void deviceNamesTheBackend() {
        try (PseudoLabeler fast = PseudoLabeler.create(Method.P2OT, SolverSettings.defaults());
             PseudoLabeler reference = PseudoLabeler.create(Method.GSA,
                     SolverSettings.defaults().withBackend(Backend.REFERENCE))) {
            assertTrue(fast.device().startsWith("cpu("), fast.device());
            assertTrue(reference.device().contains("reference"), reference.device());
        }
    }
}
