package org.sp2ot.solver;

import java.util.Arrays;

/**
 * SP2OT: the Majorization-Minimization loop of ALGORITHM.md §2 over any {@link ScalingSolver}. Each step solves the
 * P2OT problem with the surrogate cost {@code C_t = C - lam (S + S^T) Q_t} (the solver's warm start carries over),
 * {@code Q_{t+1} = Q_new} (ema = 1), from {@code Q_0 = rho / (N K)}; the loop stops when the objective changes by less
 * than {@code mmTol} or after {@code mmMaxIter} steps. With {@code lam = 0} the surrogate is the plain cost and one step
 * solves P2OT.
 */
public final class Sp2otMm {
    private final ScalingSolver solver;
    private final double mmTol;
    private final int mmMaxIter;

    /** The outcome of the MM loop: the last inner result, the steps and the objective after each step. */
    public record Result(ScalingResult last, int mmSteps, int iterations, double[] objectives) {
    }

    public Sp2otMm(ScalingSolver solver, double mmTol, int mmMaxIter) {
        if (!(mmTol > 0) || mmMaxIter < 1) {
            throw new IllegalArgumentException("MM loop needs mmTol > 0 and mmMaxIter >= 1, got " + mmTol + ", "
                    + mmMaxIter);
        }
        this.solver = solver;
        this.mmTol = mmTol;
        this.mmMaxIter = mmMaxIter;
    }

    /**
     * Runs the MM loop.
     *
     * @param problem  the P2OT problem with the plain cost C
     * @param affinity the problem's slice of the k-NN graph (n rows)
     * @param lam      the semantic weight (see {@link SolverSettings#lam(double)})
     */
    public Result solve(TransportProblem problem, SparseAffinity affinity, double lam) {
        int n = problem.n();
        int k = problem.k();
        if (affinity.n() != n) {
            throw new IllegalArgumentException("affinity has " + affinity.n() + " rows but the OT problem has n=" + n);
        }
        if (!(lam >= 0) || Double.isInfinite(lam)) {
            throw new IllegalArgumentException("lam must be finite and >= 0, got " + lam);
        }
        double[] q = new double[n * k];
        Arrays.fill(q, problem.rho() / ((double) n * k));
        double previous = objective(problem, affinity, lam, q);
        double[] product = new double[n * k];
        double[] surrogate = new double[n * k];
        double[] objectives = new double[mmMaxIter];
        ScalingResult last = null;
        int iterations = 0;
        int steps = 0;
        while (steps < mmMaxIter) {
            surrogateCost(problem.costView(), affinity, lam, q, k, product, surrogate);
            last = solver.solve(problem.withCost(surrogate));
            iterations += last.iterations();
            double[] plan = last.plan();
            for (int idx = 0; idx < q.length; idx++) {
                q[idx] = plan[idx] / n;
            }
            double current = objective(problem, affinity, lam, q);
            objectives[steps++] = current;
            if (lam == 0 || Math.abs(current - previous) < mmTol) {
                break;
            }
            previous = current;
        }
        return new Result(last, steps, iterations, Arrays.copyOf(objectives, steps));
    }

    /**
     * The MM surrogate cost {@code C_t = C - lam (S + S^T) Q_t} (ALGORITHM.md §2).
     *
     * @param product scratch n*k array for {@code (S + S^T) Q_t}
     * @param out     receives C_t
     */
    static void surrogateCost(double[] cost, SparseAffinity affinity, double lam, double[] q, int k, double[] product,
                              double[] out) {
        affinity.symmetricProduct(q, k, product);
        for (int idx = 0; idx < cost.length; idx++) {
            out[idx] = cost[idx] - lam * product[idx];
        }
    }

    /**
     * The MM objective {@code f(Q) = <Q,C> - lam <S, Q Q^T> + eps Σ Q log Q} of ALGORITHM.md §2 (real plan, unscaled).
     */
    public static double objective(TransportProblem problem, SparseAffinity affinity, double lam, double[] q) {
        double[] cost = problem.costView();
        double linear = 0;
        double entropy = 0;
        for (int idx = 0; idx < q.length; idx++) {
            double x = q[idx];
            linear += x * cost[idx];
            if (x > 0) {
                entropy += x * Math.log(x);
            }
        }
        return linear - lam * affinity.quadraticForm(q, problem.k()) + problem.eps() * entropy;
    }
}
