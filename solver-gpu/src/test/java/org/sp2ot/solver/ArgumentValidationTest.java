package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Bad arguments fail early with a message naming the argument. */
class ArgumentValidationTest {

    private static void assertRejected(String expectedFragment, Runnable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run);
        assertTrue(e.getMessage().contains(expectedFragment), "message '" + e.getMessage() + "' should mention '"
                + expectedFragment + "'");
    }

    @Test
    void moreClustersThanSamplesIsRejected() {
        assertRejected("exceed", () -> new TransportProblem(new double[6], 2, 3, 0.5, 0.1, 1.0));
    }

    @Test
    void rhoOutsideTheUnitIntervalIsRejected() {
        assertRejected("rho", () -> new TransportProblem(new double[4], 2, 2, 0.0, 0.1, 1.0));
        assertRejected("rho", () -> new TransportProblem(new double[4], 2, 2, 1.5, 0.1, 1.0));
        assertRejected("rho", () -> new TransportProblem(new double[4], 2, 2, Double.NaN, 0.1, 1.0));
    }

    @Test
    void nanCostIsRejectedNamingTheEntry() {
        assertRejected("row 1, column 0", () -> new TransportProblem(new double[] {0, 1, Double.NaN, 2}, 2, 2, 0.5,
                0.1, 1.0));
    }

    @Test
    void nanLogitIsRejected() {
        assertRejected("logit at row 0, column 1", () -> TransportProblem.costFromLogits(new float[] {1f, Float.NaN},
                1, 2));
    }

    @Test
    void mismatchedShapesAreRejected() {
        assertRejected("n*k = 6", () -> new TransportProblem(new double[5], 3, 2, 0.5, 0.1, 1.0));
        assertRejected("n*k = 6", () -> TransportProblem.costFromLogits(new float[4], 3, 2));
        try (PseudoLabeler labeler = PseudoLabeler.create(Method.SP2OT, SolverSettings.defaults()
                .withBackend(Backend.REFERENCE))) {
            SparseAffinity threeRows = new SparseAffinity(3, new int[] {0, 0, 0, 0}, new int[0], new double[0]);
            assertRejected("affinity has 3 rows", () -> labeler.label(new float[8], 4, 2, 0.5, threeRows));
        }
    }

    @Test
    void badSettingsAreRejected() {
        assertRejected("eps", () -> new SolverSettings(0, 1, 1e-6, 10, 1000, Double.NaN, 10, 1e-6, Backend.FAST));
        assertRejected("gamma", () -> new SolverSettings(0.1, -1, 1e-6, 10, 1000, Double.NaN, 10, 1e-6,
                Backend.FAST));
        assertRejected("maxIter", () -> new SolverSettings(0.1, 1, 1e-6, 0, 1000, Double.NaN, 10, 1e-6,
                Backend.FAST));
    }

    @Test
    void unknownNamesListTheChoices() {
        assertRejected("sp2ot, p2ot, uot, pot, ot, gsa", () -> Method.parse("sinkhorn"));
        assertRejected("cpu", () -> Backend.parse("tpu"));
        assertEquals(Method.SP2OT, Method.parse("Sp2Ot"));
        assertEquals(Backend.REFERENCE, Backend.parse("cpu"));
    }

    @Test
    void warmStateOfAnotherShapeIsRejected() {
        assertRejected("must have", () -> new P2otScaling(1e-6, 10).restoreWarmState(new double[] {2, 3, 0, 1}));
    }

    @Test
    void graphWithOutOfRangeNeighbourIsRejected() {
        assertRejected("outside", () -> new KnnGraph(2, 1, new int[] {1, 5}, new float[] {1f, 1f}));
        assertRejected("itself", () -> new KnnGraph(2, 1, new int[] {0, 0}, new float[] {1f, 1f}));
    }
}
