package org.sp2ot.solver;

/**
 * The P2OT virtual-cluster scaling solver, float64 reference (ALGORITHM.md §1, "fast matrix scaling algorithm"
 * with log-domain stabilisation). Solves every {@link TransportProblem} of the family: P2OT, POT, UOT and balanced OT
 * (the virtual column exists only when rho &lt; 1).
 */
public final class P2otScaling extends ReferenceScaling {

    /** A solver with the stop rule {@code ||(b - b_prev)/b_prev||_2 < tol} or {@code maxIter} iterations. */
    public P2otScaling(double tol, int maxIter) {
        super(tol, maxIter);
    }

    @Override
    ScalingFormulation formulate(TransportProblem problem) {
        return ScalingFormulation.virtualColumn(problem);
    }

    @Override
    public String device() {
        return "cpu-reference(float64)";
    }
}
