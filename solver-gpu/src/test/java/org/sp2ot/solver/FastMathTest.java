package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** {@link FastMath#exp} against {@link Math#exp}: relative error below 1e-14 over the whole finite range. */
class FastMathTest {

    @Test
    void expMatchesMathExpToOneInTenToTheFourteen() {
        SplittableRandom random = new SplittableRandom(3);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = FastMath.MIN_ARGUMENT + random.nextDouble() * (FastMath.MAX_ARGUMENT - FastMath.MIN_ARGUMENT);
            double expected = Math.exp(x);
            worst = Math.max(worst, Math.abs(FastMath.exp(x) - expected) / expected);
        }
        for (double x : new double[] {0.0, -0.0, 1e-300, -1e-300, 0.5 * Math.log(2), -69.0, -708.0, 709.0}) {
            double expected = Math.exp(x);
            worst = Math.max(worst, Math.abs(FastMath.exp(x) - expected) / expected);
        }
        assertTrue(worst < 1e-14, "worst relative error " + worst);
    }

    @Test
    void logMatchesMathLogToOneInTenToTheFourteen() {
        SplittableRandom random = new SplittableRandom(4);
        double worst = 0;
        for (int i = 0; i < 200_000; i++) {
            double x = Math.exp(-700 + 1400 * random.nextDouble());
            double expected = Math.log(x);
            worst = Math.max(worst, Math.abs(FastMath.log(x) - expected) / Math.max(1.0, Math.abs(expected)));
        }
        for (double x : new double[] {1.0, Math.nextUp(1.0), Math.nextDown(1.0), 2.0, Math.sqrt(2), 1e-300,
                Double.MIN_NORMAL, Double.MAX_VALUE, 1.0 / 51200}) {
            double expected = Math.log(x);
            worst = Math.max(worst, Math.abs(FastMath.log(x) - expected) / Math.max(1.0, Math.abs(expected)));
        }
        assertTrue(worst < 1e-14, "worst error " + worst);
        assertEquals(Double.NEGATIVE_INFINITY, FastMath.log(0.0));
        assertTrue(Double.isNaN(FastMath.log(-1.0)));
        assertEquals(Math.log(Double.MIN_VALUE), FastMath.log(Double.MIN_VALUE));
    }

    @Test
    void expSaturatesOutsideTheRange() {
        assertEquals(0.0, FastMath.exp(-800.0));
        assertEquals(0.0, FastMath.exp(Double.NEGATIVE_INFINITY));
        assertEquals(Double.POSITIVE_INFINITY, FastMath.exp(710.0));
        assertTrue(Double.isNaN(FastMath.exp(Double.NaN)));
    }
}
