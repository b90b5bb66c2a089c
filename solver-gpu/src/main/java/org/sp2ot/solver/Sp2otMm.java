package org.sp2ot.solver;

import java.util.Arrays;

/**
 * SP2OT: the Majorization-Minimization loop of ALGORITHM.md §2 over any {@link ScalingSolver}. Each step solves the
 * P2OT problem with the surrogate cost {@code C_t = C - lam (S + S^T) Q_t} (the solver's warm start carries over),
 * {@code Q_{t+1} = Q_new} (ema = 1), from {@code Q_0 = rho / (N K)}; with {@code lam = 0} the surrogate is the plain
 * cost and one step solves P2OT.
 *
 * <p>Stop rule (stall-aware, relative): the loop stops as soon as a step lowers the objective by less than
 * {@code mmTol * max(1, |f|)}, or after {@code mmMaxIter} steps. {@code S + S^T} has a zero diagonal and is
 * indefinite, so the linearisation is not a majoriser and the objective can stall and then drift up by about 1e-5
 * (measured); an absolute test {@code |Δf| < mmTol} then never fires and the loop ran to its cap. When the last step
 * raised the objective, the previous (lower) plan is returned. The fixed point is the paper's: a plan with
 * {@code Q_{t+1} = Q_t} stops both rules.
 */
public final class Sp2otMm {
    private final ScalingSolver solver;
    private final double mmTol;
    private final int mmMaxIter;
    private final ChunkRunner runner;
    /** Whether the sparse product reads a float32 copy of Q ({@link #withFloat32Product}). */
    private final boolean narrowProduct;

    /**
     * The outcome of the MM loop: the returned inner result (the lowest objective of the last two steps), the steps
     * taken, the scaling passes summed over them and the objective after each step.
     */
    public record Result(ScalingResult last, int mmSteps, int iterations, double[] objectives) {
    }

    public Sp2otMm(ScalingSolver solver, double mmTol, int mmMaxIter) {
        this(solver, mmTol, mmMaxIter, ChunkRunner.shared(), false);
    }

    /**
     * The MM loop for a solver on {@code backend}: the float32 backends (fast, Aparapi), whose kernels are rounded to
     * float32 anyway, get the float32 sparse product where the Vector API runs ({@link #withFloat32Product}); the
     * float64 reference keeps the float64 product.
     */
    public static Sp2otMm forBackend(ScalingSolver solver, double mmTol, int mmMaxIter, Backend backend) {
        Sp2otMm mm = new Sp2otMm(solver, mmTol, mmMaxIter);
        return backend == Backend.REFERENCE ? mm : mm.withFloat32Product();
    }

    /** An MM loop whose row passes (sparse product, surrogate, objective) run on {@code runner}. */
    Sp2otMm(ScalingSolver solver, double mmTol, int mmMaxIter, ChunkRunner runner, boolean narrowProduct) {
        if (!(mmTol > 0) || mmMaxIter < 1) {
            throw new IllegalArgumentException("MM loop needs mmTol > 0 and mmMaxIter >= 1, got " + mmTol + ", "
                    + mmMaxIter);
        }
        this.solver = solver;
        this.mmTol = mmTol;
        this.mmMaxIter = mmMaxIter;
        this.runner = runner;
        this.narrowProduct = narrowProduct;
    }

    /**
     * This loop with the sparse product {@code (S + S^T) Q_t} read from a float32 copy of {@code Q_t}, widened to
     * float64 as it is summed, where {@link Simd#enabled()} (else unchanged). The product was memory-bound: at
     * N = 5120, K = 1000 each row adds about 36 neighbour rows of Q, and the float64 Q (41 MB) does not fit a 32 MB
     * L3 while the float32 copy (20 MB) does. Each product entry moves by at most float32's relative rounding
     * (6e-8) of its terms, so the surrogate moves by at most {@code lam * 6e-8 * ((S + S^T) Q)_ij}, below
     * {@code 1e-5 eps} at the paper's lam0 = 1000 (Q entries are at most 1/N); the objective's linear and entropy terms
     * still read the float64 Q.
     */
    public Sp2otMm withFloat32Product() {
        return new Sp2otMm(solver, mmTol, mmMaxIter, runner, Simd.enabled());
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
        float[] narrow = narrowProduct ? new float[n * k] : null;
        double[] cost = problem.costView();
        double[] surrogate = new double[n * k];
        // One fused pass per step: the sparse product, this objective and the next surrogate.
        double previous = linearize(cost, affinity, lam, problem.eps(), q, null, k, surrogate, runner, true);
        double[] objectives = new double[mmMaxIter];
        ScalingResult last = null;
        ScalingResult before = null;
        int iterations = 0;
        int steps = 0;
        while (steps < mmMaxIter) {
            before = last;
            try {
                last = solver.solve(problem.withCost(surrogate));
            } catch (IllegalStateException e) {
                throw new DivergenceException(unusable(problem, affinity, lam, steps + 1, e.getMessage()), e);
            }
            iterations += last.iterations();
            double[] plan = last.plan();
            runner.run(chunk -> {
                int from = ChunkRunner.chunkStart(n, chunk) * k;
                int to = ChunkRunner.chunkStart(n, chunk + 1) * k;
                if (narrow == null) {
                    for (int idx = from; idx < to; idx++) {
                        q[idx] = plan[idx] / n;
                    }
                } else {
                    for (int idx = from; idx < to; idx++) {
                        double x = plan[idx] / n;
                        q[idx] = x;
                        narrow[idx] = (float) x;
                    }
                }
            });
            double current = linearize(cost, affinity, lam, problem.eps(), q, narrow, k, surrogate, runner, false);
            objectives[steps++] = current;
            if (lam == 0 || !(previous - current >= mmTol * Math.max(1.0, Math.abs(current)))) {
                if (current > previous && before != null) {
                    last = before;
                }
                break;
            }
            previous = current;
        }
        return new Result(last, steps, iterations, Arrays.copyOf(objectives, steps));
    }

    /**
     * The message of a failed MM step: every setting involved (eps, lam = (1 - rho) lam0, the graph's largest
     * degree) and a lam that keeps the surrogate's range below 50 eps, which the scaling always handles.
     */
    private static String unusable(TransportProblem problem, SparseAffinity affinity, double lam, int step,
                                   String cause) {
        double degree = affinity.largestSymmetricRowSum();
        double workingLam = degree > 0 ? 50.0 * problem.eps() * problem.n() / degree : lam;
        return String.format(java.util.Locale.ROOT, "SP2OT MM step %d failed (%s) with eps=%s, rho=%s, lam=%s "
                        + "(lam = (1 - rho) * lam0), N=%d bank rows and largest k-NN row weight %.3g: the surrogate "
                        + "cost spans up to lam * weight / N = %.3g = %.0f eps; lam <= %.4g (lam0 <= %.4g at this rho) "
                        + "or a larger eps works", step, cause, problem.eps(), problem.rho(), lam, problem.n(), degree,
                lam * degree / problem.n(), lam * degree / problem.n() / problem.eps(), workingLam,
                problem.rho() < 1 ? workingLam / (1 - problem.rho()) : workingLam);
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
     * One fused row pass at the linearisation point q: writes the next surrogate {@code C - lam (S + S^T) q} into
     * {@code surrogate} and returns the objective {@code f(q) = <q,C> - lam <S, q q^T> + eps Σ q log q} of
     * ALGORITHM.md §2, using {@code <S, q q^T> = <q, (S + S^T) q> / 2} so one sparse product serves both. Rows run in
     * the runner's fixed chunks and the chunk sums are added in chunk order, so the result is the same for any
     * number of threads. No n*k scratch: each chunk keeps one product row.
     */
    static double linearize(double[] cost, SparseAffinity affinity, double lam, double eps, double[] q, int k,
                            double[] surrogate, ChunkRunner runner) {
        return linearize(cost, affinity, lam, eps, q, null, k, surrogate, runner, false);
    }

    /**
     * Entries of q below this add at most {@code 1e-20 * 46} each to {@code Σ q log q} (q of a plan is at most
     * 1/N), below {@code 1e-12} over a 5120 x 1000 problem against the MM stop rule's 1e-6: they are left out of the
     * entropy, which saves the log of most entries (a plan's row holds its mass in a few clusters).
     */
    static final double ENTROPY_FLOOR = 1e-20;

    /**
     * {@link #linearize(double[], SparseAffinity, double, double, double[], int, double[], ChunkRunner)}; with
     * {@code uniform} every entry of q is {@code q[0]} (the MM loop's start), so row p of {@code (S + S^T) q} is its
     * row sum of {@code S + S^T} times that value, without the sparse product, and the row's terms are sums in closed
     * form (one logarithm per pass instead of one per entry: the start's pass took 3% of an SP2OT training step's
     * samples at K = 1000). With {@code narrow} (a float32 copy of
     * q, see {@link #withFloat32Product}) the sparse product reads the copy and the rest of the row runs through
     * {@link SimdPass#linearizeRow} (the entropy's logarithm was 13% of an SP2OT training step at K = 1000).
     */
    static double linearize(double[] cost, SparseAffinity affinity, double lam, double eps, double[] q, float[] narrow,
                            int k, double[] surrogate, ChunkRunner runner, boolean uniform) {
        int n = affinity.n();
        if (q.length != (long) n * k || cost.length != q.length || surrogate.length != q.length) {
            throw new IllegalArgumentException("MM pass needs n*k = " + ((long) n * k) + " entries in q, cost and "
                    + "surrogate, got " + q.length + ", " + cost.length + ", " + surrogate.length);
        }
        double[][] sums = new double[ChunkRunner.CHUNKS][3];
        runner.run(chunk -> {
            double[] row = new double[k];
            double[] partial = new double[3];
            double linear = 0;
            double quadratic = 0;
            double entropy = 0;
            for (int p = ChunkRunner.chunkStart(n, chunk); p < ChunkRunner.chunkStart(n, chunk + 1); p++) {
                int base = p * k;
                if (uniform) {
                    // every entry of the row is x and of its product x times the row's degree: the sums in closed form
                    double x = q[0];
                    double product = affinity.symmetricRowSum(p) * x;
                    double rowCost = 0;
                    for (int j = 0; j < k; j++) {
                        double c = cost[base + j];
                        rowCost += c;
                        surrogate[base + j] = c - lam * product;
                    }
                    linear += x * rowCost;
                    quadratic += k * x * product;
                    if (x > ENTROPY_FLOOR) {
                        entropy += k * x * FastMath.log(x);
                    }
                    continue;
                }
                if (narrow != null) {
                    affinity.symmetricProductRow(narrow, k, p, row, 0);
                } else {
                    affinity.symmetricProductRow(q, k, p, row, 0);
                }
                int j = 0;
                if (narrow != null) {
                    j = SimdPass.linearizeRow(q, cost, row, base, k, lam, surrogate, partial, ENTROPY_FLOOR);
                    linear += partial[0];
                    quadratic += partial[1];
                    entropy += partial[2];
                }
                for (; j < k; j++) {
                    double x = q[base + j];
                    double c = cost[base + j];
                    double product = row[j];
                    linear += x * c;
                    quadratic += x * product;
                    if (x > ENTROPY_FLOOR) {
                        entropy += x * FastMath.log(x);
                    }
                    surrogate[base + j] = c - lam * product;
                }
            }
            sums[chunk][0] = linear;
            sums[chunk][1] = quadratic;
            sums[chunk][2] = entropy;
        });
        double linear = 0;
        double quadratic = 0;
        double entropy = 0;
        for (double[] sum : sums) {
            linear += sum[0];
            quadratic += sum[1];
            entropy += sum[2];
        }
        return linear - lam * 0.5 * quadratic + eps * entropy;
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
