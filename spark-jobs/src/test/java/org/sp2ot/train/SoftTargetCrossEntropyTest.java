package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SoftTargetCrossEntropyTest {

    @Test
    void lossIsTheTargetWeightedNegativeLogProbabilityAveragedOverRows() {
        float[] logits = {0, (float) Math.log(3), 0, 0};
        float[] targets = {0, 1, 0.25f, 0.25f};
        double loss = SoftTargetCrossEntropy.lossAndGradient(logits, targets, 2, 2, new float[4]);
        double expected = (-Math.log(0.75) - 0.5 * Math.log(0.5)) / 2;
        assertEquals(expected, loss, 1e-7);
    }

    @Test
    void gradientIsWeightTimesProbabilityMinusTargetOverBatch() {
        float[] logits = {0, (float) Math.log(3)};
        float[] targets = {0.1f, 0.3f};
        float[] gradient = new float[2];
        SoftTargetCrossEntropy.lossAndGradient(logits, targets, 1, 2, gradient);
        assertArrayEquals(new float[] {0.4f * 0.25f - 0.1f, 0.4f * 0.75f - 0.3f}, gradient, 1e-7f);
    }

    @Test
    void zeroWeightRowsContributeNeitherLossNorGradient() {
        float[] gradient = new float[3];
        double loss = SoftTargetCrossEntropy.lossAndGradient(new float[] {5, -2, 1}, new float[3], 1, 3, gradient);
        assertEquals(0, loss);
        assertArrayEquals(new float[3], gradient);
    }
}
