package org.sp2ot.ml.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class KnnKernelTest {

    @Test
    void gaussianWeightIsExpOfMinusSquaredDistanceOverTwoSigmaSquaredD() {
        assertEquals(Math.exp(-3.0 / (2 * 4 * 768)), KnnKernel.gaussianWeight(3.0, 768, 2.0), 1e-15);
        assertEquals(1.0, KnnKernel.gaussianWeight(0.0, 10, 0.5), 0.0);
    }

    @Test
    void unitVectorsAtCosineCAreAtSquaredDistanceTwoMinusTwoC() {
        assertEquals(0.0, KnnKernel.unitSquaredDistance(1.0), 0.0);
        assertEquals(2.0, KnnKernel.unitSquaredDistance(0.0), 0.0);
        assertEquals(4.0, KnnKernel.unitSquaredDistance(-1.0), 0.0);
    }

    @Test
    void gaussWeightOfACosineUsesTheUnitDistance() {
        assertEquals((float) Math.exp(-(2 - 2 * 0.5) / (2 * 4.0 * 16)), KnnKernel.GAUSS.weight(0.5f, 16, 2.0));
    }

    @Test
    void cosWeightIsTheCosineClampedToOne() {
        assertEquals(0.25f, KnnKernel.COS.weight(0.25f, 16, 2.0));
        assertEquals(1.0f, KnnKernel.COS.weight(1.0000001f, 16, 2.0));
        assertEquals(1.0f, KnnKernel.GAUSS.weight(1.0000001f, 16, 2.0));
    }

    @Test
    void parsesNamesCaseInsensitivelyAndRejectsOthers() {
        assertEquals(KnnKernel.GAUSS, KnnKernel.parse("Gauss"));
        assertEquals(KnnKernel.COS, KnnKernel.parse("cos"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> KnnKernel.parse("rbf"));
        assertEquals("kernel must be one of gauss, cos; got 'rbf'", error.getMessage());
    }
}
