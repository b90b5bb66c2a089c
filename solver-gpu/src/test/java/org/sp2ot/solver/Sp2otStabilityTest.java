package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * SP2OT never diverges on valid input (issue 14 item 3): with every k-NN weight 1 (features of an image model), the
 * default lam0 = 1000 and eps = 0.01, the surrogate cost {@code C - lam (S + S^T) Q} spans a range of about
 * {@code lam * 2k / N / eps} (thousands of eps at bank 64), which underflowed the warm column scalings to 0 and
 * overflowed the power step (both failed at the first iteration of the second MM step). The plan must be finite with
 * every row mass in [0, 1/N], on the fast and the reference backends; at bank 5120 (the training shape) it must also
 * carry the total mass rho. At bank 64 the graph term outweighs the cost by a factor of about 50 and the inner
 * scaling at eps = 0.01 does not reach its tolerance within 1000 passes, so the total mass is not asserted there.
 */
class Sp2otStabilityTest {

    private static KnnGraph unitWeightGraph(int n, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] neighbors = new int[n * k];
        float[] weights = new float[n * k];
        for (int i = 0; i < n; i++) {
            java.util.Set<Integer> chosen = new java.util.HashSet<>();
            for (int r = 0; r < k; r++) {
                int j;
                do {
                    j = random.nextInt(n);
                } while (j == i || !chosen.add(j));
                neighbors[i * k + r] = j;
                weights[i * k + r] = 1f;
            }
        }
        return new KnnGraph(n, k, neighbors, weights);
    }

    @ParameterizedTest(name = "bank {0}, {1}")
    @CsvSource({"5120, FAST", "64, FAST", "64, REFERENCE"})
    void unitWeightsLam1000Eps001GiveAFinitePlan(int bank, Backend backend) {
        int k = bank >= 1000 ? 100 : 10;
        double rho = 0.1;
        float[] logits = org.sp2ot.solver.bench.BenchInputs.cosineLogits(bank, k, true, 5);
        KnnGraph graph = unitWeightGraph(bank, Math.min(20, bank - 1), 6);
        int[] ids = new int[bank];
        java.util.Arrays.setAll(ids, i -> i);
        SolverSettings settings = new SolverSettings(0.01, 1.0, 1e-6, 1000, 1000.0, Double.NaN, 10, 1e-6, backend);
        PseudoLabels labels;
        try (PseudoLabeler labeler = PseudoLabeler.create(Method.SP2OT, settings)) {
            labels = labeler.label(logits, bank, k, rho, SparseAffinity.slice(graph, ids));
        }
        assertEquals(900.0, labels.lam(), 1e-9);
        double total = 0;
        for (float w : labels.weights()) {
            assertTrue(Float.isFinite(w) && w >= 0 && w <= 1 + 1e-4, "weight " + w);
            total += w;
        }
        for (float q : labels.targets()) {
            assertTrue(Float.isFinite(q) && q >= 0, "target " + q);
        }
        if (bank >= 1000) {
            assertEquals(rho * bank, total, 1e-2 * bank);
        }
    }
}
