package org.sp2ot.solver;

/**
 * Pseudo-labels of one OT problem.
 *
 * @param targets    N * Q, row-major n*k, virtual column dropped; row i sums to {@code weights[i]}
 * @param weights    sample weights (confidence) in [0, 1]; they sum to rho * N
 * @param iterations scaling iterations over all MM steps
 * @param mmSteps    MM steps (1 for the methods without the semantic term)
 * @param lam        the semantic weight used (0 when no affinity was given or the method has no semantic term)
 */
public record PseudoLabels(float[] targets, float[] weights, int iterations, int mmSteps, double lam) {
}
