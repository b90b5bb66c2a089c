package org.sp2ot.solver;

/**
 * The outcome of one scaling solve.
 *
 * @param plan          N * Q, row-major n*k, virtual column dropped (row i sums to the sample weight w_i)
 * @param weights       per-sample weights {@code w_i = N * Σ_j Q_ij} in [0, 1]
 * @param iterations    scaling iterations used (passes over the kernel matrix)
 * @param converged     whether the stop rule fired before the iteration cap
 * @param residual      the last {@code ||(b - b_prev)/b_prev||_2}
 * @param rowError      largest violation of the row constraint {@code Q 1 <= 1/N} (equality rows: absolute error)
 * @param columnError   largest absolute error of the equality columns (the virtual column, or all columns when
 *                      gamma is infinite); 0 when there are none
 * @param totalMass     {@code 1^T Q 1} of the real plan (unscaled)
 */
public record ScalingResult(double[] plan, double[] weights, int iterations, boolean converged, double residual,
                            double rowError, double columnError, double totalMass) {
}
