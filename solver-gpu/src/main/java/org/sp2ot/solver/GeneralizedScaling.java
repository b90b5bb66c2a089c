package org.sp2ot.solver;

/**
 * Chizat et al.'s generalized scaling algorithm (GSA) for the P2OT problem, float64 (ALGORITHM.md §1, "Variants"):
 * no virtual column; the row inequality {@code Q 1 <= 1/N} is a proximal (capped) row update and the total mass rho a
 * third scaling block (see {@link ScalingFormulation.Kind#GENERALIZED}). It minimises the objective of §1 exactly,
 * which differs from the virtual-cluster problem by the entropy of the slack {@code 1/N - (Q 1)_i} that the virtual
 * column carries; it is the paper's efficiency baseline.
 */
public final class GeneralizedScaling extends ReferenceScaling {

    /** A solver with the stop rule {@code ||(b - b_prev)/b_prev||_2 < tol} (t included) or {@code maxIter}. */
    public GeneralizedScaling(double tol, int maxIter) {
        super(tol, maxIter);
    }

    @Override
    ScalingFormulation formulate(TransportProblem problem) {
        return ScalingFormulation.generalized(problem);
    }

    @Override
    public String device() {
        return "cpu-reference-gsa(float64)";
    }
}
