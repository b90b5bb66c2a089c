package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class AdamTest {

    @Test
    void firstStepMovesEachParameterByTheLearningRateAgainstItsGradientSign() {
        Adam adam = new Adam(3, 0.9, 0.999, 1e-8, 0);
        float[] params = {1, 1, 1};
        adam.step(params, new float[] {2, -0.001f, 0}, 0.1);
        assertArrayEquals(new float[] {0.9f, 1.1f, 1f}, params, 1e-5f);
    }

    @Test
    void minimisesAQuadratic() {
        float[] centre = {3, -2, 0.5f};
        float[] scale = {1, 10, 0.1f};
        float[] params = new float[3];
        Adam adam = new Adam(3, 0.9, 0.999, 1e-8, 0);
        for (int step = 0; step < 3000; step++) {
            float[] grad = new float[3];
            for (int i = 0; i < 3; i++) {
                grad[i] = 2 * scale[i] * (params[i] - centre[i]);
            }
            adam.step(params, grad, CosineDecay.learningRate(0.05, 1e-3, step, 3000));
        }
        assertArrayEquals(centre, params, 1e-3f);
    }

    @Test
    void restoredStateContinuesIdentically() {
        float[] grad = {0.3f, -0.7f};
        Adam first = new Adam(2, 0.9, 0.999, 1e-8, 0);
        float[] a = {1, 2};
        first.step(a, grad, 0.01);
        Adam resumed = new Adam(2, 0.9, 0.999, 1e-8, 0);
        resumed.restore(first.state());
        float[] b = a.clone();
        first.step(a, grad, 0.01);
        resumed.step(b, grad, 0.01);
        assertArrayEquals(a, b);
        assertEquals(2, resumed.steps());
    }

    @Test
    void weightDecayActsAsAnL2Gradient() {
        Adam decayed = new Adam(1, 0.9, 0.999, 1e-8, 0.5);
        float[] params = {2};
        decayed.step(params, new float[] {0}, 0.1);
        assertEquals(1.9f, params[0], 1e-6f);
    }
}
