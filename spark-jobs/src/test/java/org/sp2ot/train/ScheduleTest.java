package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ScheduleTest {

    @Test
    void sigmoidRhoStartsAtRho0PlusItsShareOfEToTheMinusFive() {
        assertEquals(0.1 + 0.9 * Math.exp(-5), RhoSchedule.SIGMOID.rho(0.1, 0, 1000), 1e-15);
    }

    @Test
    void sigmoidRhoReachesOneAtTheEnd() {
        assertEquals(1.0, RhoSchedule.SIGMOID.rho(0.1, 1000, 1000), 1e-15);
    }

    @Test
    void sigmoidRhoAtHalfwayUsesTheSquaredRemainingFraction() {
        assertEquals(0.1 + 0.9 * Math.exp(-1.25), RhoSchedule.SIGMOID.rho(0.1, 500, 1000), 1e-15);
    }

    @Test
    void linearAndFixedRho() {
        assertEquals(0.55, RhoSchedule.LINEAR.rho(0.1, 50, 100), 1e-15);
        assertEquals(0.1, RhoSchedule.FIXED.rho(0.1, 99, 100));
    }

    @Test
    void rho0OutsideTheUnitIntervalIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> RhoSchedule.SIGMOID.rho(0, 1, 10));
        assertThrows(IllegalArgumentException.class, () -> RhoSchedule.SIGMOID.rho(1.5, 1, 10));
    }

    @Test
    void cosineDecayRunsFromBaseToTheFinalFraction() {
        assertEquals(5e-4, CosineDecay.learningRate(5e-4, 1e-3, 0, 200), 1e-18);
        assertEquals(5e-7, CosineDecay.learningRate(5e-4, 1e-3, 200, 200), 1e-18);
        assertEquals((5e-4 + 5e-7) / 2, CosineDecay.learningRate(5e-4, 1e-3, 100, 200), 1e-15);
    }

    @Test
    void scheduleNamesParseCaseInsensitively() {
        assertEquals(RhoSchedule.LINEAR, RhoSchedule.parse("Linear"));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> RhoSchedule.parse("cosine"));
        assertEquals("rho schedule must be one of sigmoid, linear, fixed; got 'cosine'", error.getMessage());
    }
}
