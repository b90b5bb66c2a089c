package org.sp2ot.train;

import java.util.Locale;

import org.sp2ot.solver.Choices;

/**
 * The fraction of mass rho the OT problem transports at iteration t of T (ALGORITHM.md §4, "rho schedule"): the
 * confidence curriculum of P2OT/SP2OT. The semantic weight follows from it in the solver as
 * {@code lam = (1 - rho) * lam0} (ALGORITHM.md §2).
 */
public enum RhoSchedule {
    /** {@code rho = rho0 + (1 - rho0) * exp(-5 (1 - t/T)^2)}: slow start, reaches 1 at t = T. */
    SIGMOID,
    /** {@code rho = rho0 + (1 - rho0) * t/T}. */
    LINEAR,
    /** {@code rho = rho0} throughout. */
    FIXED;

    /**
     * rho at iteration {@code t} (0-based) of {@code total}.
     *
     * @throws IllegalArgumentException when rho0 is outside (0, 1] or t outside [0, T]
     */
    public double rho(double rho0, long t, long total) {
        if (!(rho0 > 0 && rho0 <= 1)) {
            throw new IllegalArgumentException("rho0 must lie in (0, 1], got " + rho0);
        }
        if (total < 1 || t < 0 || t > total) {
            throw new IllegalArgumentException("rho schedule needs 0 <= t <= T and T >= 1, got t=" + t + ", T=" + total);
        }
        double progress = (double) t / total;
        return switch (this) {
            case SIGMOID -> rho0 + (1 - rho0) * Math.exp(-5 * (1 - progress) * (1 - progress));
            case LINEAR -> rho0 + (1 - rho0) * progress;
            case FIXED -> rho0;
        };
    }

    /** Parses {@code sigmoid | linear | fixed} (case-insensitive). */
    public static RhoSchedule parse(String name) {
        return Choices.parse("rho schedule", values(), RhoSchedule::configName, name);
    }

    /** The lower-case name used in configuration. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
