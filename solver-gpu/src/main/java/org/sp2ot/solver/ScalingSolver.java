package org.sp2ot.solver;

/**
 * A solver of {@link TransportProblem}s by (generalised) matrix scaling. It keeps its dual potentials between calls
 * (warm start, ALGORITHM.md §1) as long as the problem shape is unchanged.
 */
public interface ScalingSolver extends AutoCloseable {

    /** Solves the problem, starting from the kept potentials when the shape matches, and keeps the new ones. */
    ScalingResult solve(TransportProblem problem);

    /** The kept potentials as a flat array (for training checkpoints); empty before the first solve. */
    double[] warmState();

    /** Restores potentials saved by {@link #warmState()}; an empty array forgets them (cold start). */
    void restoreWarmState(double[] state);

    /** Where the iterations run, e.g. {@code "cpu-reference(float64)"}. */
    String device();

    /** Releases threads or device memory; the default holds nothing. */
    @Override
    default void close() {
    }
}
