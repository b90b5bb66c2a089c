package org.sp2ot.solver;

/**
 * Settings of the OT pseudo-labelling solvers (ALGORITHM.md §1–§2).
 *
 * @param eps       entropic regularisation (§1 default 0.1)
 * @param gamma     weight of the KL relaxation of the cluster sizes (§1 default 1)
 * @param tol       stop when the relative change of the column scaling {@code ||(b - b_prev)/b_prev||_2 < tol} (1e-6)
 * @param maxIter   cap on scaling iterations (passes over the kernel matrix) per solve (1000)
 * @param lam0      SP2OT "mm_factor": {@code lam = (1 - rho) * lam0} (§2 default 1000)
 * @param lamFixed  a fixed lam instead of the schedule; {@code NaN} = use the schedule
 * @param mmMaxIter cap on MM steps (§2 "mm_iter_limit", 100)
 * @param mmTol     stop the MM loop when the objective changes by less than this (1e-6)
 * @param backend   where the iterations run
 */
public record SolverSettings(double eps, double gamma, double tol, int maxIter, double lam0, double lamFixed,
                             int mmMaxIter, double mmTol, Backend backend) {

    /** Validates every field; the message names the setting and the allowed range. */
    public SolverSettings {
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a positive finite number, got " + eps);
        }
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("gamma must be positive (or +Infinity for equality), got " + gamma);
        }
        if (!(tol > 0)) {
            throw new IllegalArgumentException("tol must be positive, got " + tol);
        }
        if (maxIter < 1) {
            throw new IllegalArgumentException("maxIter must be at least 1, got " + maxIter);
        }
        if (!(lam0 >= 0) || Double.isInfinite(lam0)) {
            throw new IllegalArgumentException("lam0 must be a finite number >= 0, got " + lam0);
        }
        if (!Double.isNaN(lamFixed) && (lamFixed < 0 || Double.isInfinite(lamFixed))) {
            throw new IllegalArgumentException("lamFixed must be NaN (use the schedule) or a finite number >= 0, got "
                    + lamFixed);
        }
        if (mmMaxIter < 1) {
            throw new IllegalArgumentException("mmMaxIter must be at least 1, got " + mmMaxIter);
        }
        if (!(mmTol > 0)) {
            throw new IllegalArgumentException("mmTol must be positive, got " + mmTol);
        }
        if (backend == null) {
            throw new IllegalArgumentException("backend is missing: use REFERENCE, FAST or APARAPI");
        }
    }

    /** ALGORITHM.md defaults: eps 0.1, gamma 1, tol 1e-6, 1000 iterations, lam0 1000 (scheduled), 100 MM steps, 1e-6; fast backend. */
    public static SolverSettings defaults() {
        return new SolverSettings(0.1, 1.0, 1e-6, 1000, 1000.0, Double.NaN, 100, 1e-6, Backend.FAST);
    }

    /** A copy with another backend. */
    public SolverSettings withBackend(Backend other) {
        return new SolverSettings(eps, gamma, tol, maxIter, lam0, lamFixed, mmMaxIter, mmTol, other);
    }

    /** A copy with another lam0 (e.g. scaled to the OT problem's size, ALGORITHM.md §9). */
    public SolverSettings withLam0(double other) {
        return new SolverSettings(eps, gamma, tol, maxIter, other, lamFixed, mmMaxIter, mmTol, backend);
    }

    /**
     * The semantic weight of SP2OT for a mass fraction rho (ALGORITHM.md §2, "lam schedule"):
     * {@code lamFixed} when set, else {@code (1 - rho) * lam0}.
     */
    public double lam(double rho) {
        return Double.isNaN(lamFixed) ? (1.0 - rho) * lam0 : lamFixed;
    }
}
