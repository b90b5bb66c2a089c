package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class SoftmaxTest {

    @Test
    void logSumExpOfSmallValuesIsTheDirectSum() {
        float[] values = {9f, 0.5f, -1f, 2f, 7f};
        double direct = Math.log(Math.exp(0.5) + Math.exp(-1) + Math.exp(2));
        assertEquals(direct, Softmax.logSumExp(values, 1, 3), 1e-12);
    }

    @Test
    void logSumExpOfHugeValuesDoesNotOverflow() {
        // exp(1000) overflows a double; log(e^1000 + e^1000) = 1000 + log 2.
        assertEquals(1000 + Math.log(2), Softmax.logSumExp(new float[] {1000f, 1000f}, 0, 2), 1e-9);
    }
}
