package org.sp2ot.solver;

import java.util.Locale;

/**
 * The pseudo-labelling methods (ALGORITHM.md §1, §2). All of them are one problem family,
 * {@link TransportProblem}: they differ in the total mass, the column relaxation and the solver formulation.
 */
public enum Method {
    /** Semantic-regularised P2OT: MM loop (§2) over the P2OT scaling solver. */
    SP2OT,
    /** Progressive partial OT with KL-relaxed cluster sizes, virtual-cluster scaling (§1). */
    P2OT,
    /** Unbalanced OT: total mass 1 (rho ignored), KL-relaxed columns. */
    UOT,
    /** Partial OT: virtual cluster and total mass rho, but uniform equality on the real clusters. */
    POT,
    /** Balanced OT as in SeLa: total mass 1 (rho ignored), uniform equality columns. */
    OT,
    /** The P2OT problem solved by Chizat's generalized scaling (inequality rows as a proximal step). */
    GSA;

    /** Parses a method name case-insensitively ({@code "sp2ot"}, {@code "p2ot"}, ...). */
    public static Method parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("solver method is missing: use one of sp2ot, p2ot, uot, pot, ot, gsa");
        }
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown solver method '" + name
                    + "': use one of sp2ot, p2ot, uot, pot, ot, gsa", e);
        }
    }

    /** Whether this method transports only the fraction rho of the mass (otherwise the total mass is 1). */
    public boolean usesRho() {
        return this == SP2OT || this == P2OT || this == POT || this == GSA;
    }

    /** Whether the real cluster sizes are KL-relaxed (otherwise they are uniform equalities). */
    public boolean relaxesClusterSizes() {
        return this != POT && this != OT;
    }

    /**
     * The transport problem this method solves for a cost matrix (ALGORITHM.md §1, "Variants").
     *
     * @param cost row-major n*k cost matrix (a view; not copied)
     */
    public TransportProblem problem(double[] cost, int n, int k, double rho, double eps, double gamma) {
        double mass = usesRho() ? rho : 1.0;
        double relaxation = relaxesClusterSizes() ? gamma : Double.POSITIVE_INFINITY;
        return new TransportProblem(cost, n, k, mass, eps, relaxation);
    }
}
