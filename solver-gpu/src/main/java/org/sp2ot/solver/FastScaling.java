package org.sp2ot.solver;

/**
 * The fast path of the scaling iteration (ALGORITHM.md §1, §8): the same map as the float64 reference
 * ({@link P2otScaling}, {@link GeneralizedScaling}), with
 * <ul>
 *   <li>the stabilised kernel M rounded to float32 (so that the CPU and the Aparapi engines iterate the same values)
 *   and held in a double array: C2 on JDK 17 vectorises the pass's loops only when every operand is a double (a
 *   float kernel with double sums ran scalar: 0.72–0.94 ms per pass at N = 5120, K = 100 on 2 threads, against
 *   0.33–0.48 ms held as doubles, bench solver's p2ot-plain rows); entries below {@code e^-69 ≈ 1e-30} are stored
 *   as 0 (their exp is never computed; they are far below anything that can move a row or column sum of the
 *   stabilised kernel, and denormal floats would be slow); all vectors and all sums in float64;</li>
 *   <li>ONE fused pass over M per iteration on a {@link KernelEngine}: each row computes {@code (M b)_i}, its scaling
 *   {@code a_i}, and adds {@code a_i M_i·} to the column sums, so M is read once per iteration (CPU: a small thread
 *   pool with a fixed, thread-count-independent reduction order; or Aparapi, see
 *   {@code org.sp2ot.solver.aparapi.AparapiScaling});</li>
 *   <li>safeguarded Anderson acceleration of the fixed-point map on {@code log b} (and {@code log t}); the plain
 *   iteration takes over when extrapolation stops reducing the residual ({@link Anderson}); with equality-only columns
 *   (POT, OT) the gauge {@code b_last = 1} is fixed so the extrapolation is well posed. Measured at N = 5120,
 *   K = 1000, rho = 0.1, tol 1e-6: 18 passes instead of 1272;</li>
 *   <li>for the virtual-column formulation with at most {@link ColumnNewton#MAX_COLUMNS} columns (K = 100): Newton
 *   steps on the column scalings once Anderson has taken {@link ColumnNewton#AFTER_PASSES} passes
 *   and the residual's rate predicts more than {@link ColumnNewton#WORTH_PASSES} more ({@link ColumnNewton}), with
 *   native BLAS for the Hessian. Balanced OT on the demo's training problems took 300–520 accelerated passes per
 *   solve and takes about 20 with Newton (epochs 2.8 s to 0.7 s); KL-relaxed problems (P2OT, SP2OT's inner solves)
 *   contract faster and take it less often;</li>
 *   <li>potentials normalisation and result assembly in parallel row chunks, merged in chunk order.</li>
 * </ul>
 * Absorption (ALGORITHM.md §1) is triggered by b or by the range of a, which the engine reports with each pass so that
 * a itself stays where the pass ran.
 * The stop rule and the returned plan are the reference's: the relative change of b under one plain step at the
 * current point below tol, then a final row update from that step's b.
 */
public final class FastScaling implements ScalingSolver {
    /** Anderson memory (number of stored differences). */
    static final int MEMORY = 8;
    /** Kernel entries below {@code e^-69 ≈ 1e-30} are stored as 0 (and their exp never computed). */
    private static final double FLUSH_EXPONENT = -69.0;
    /** {@code e^FLUSH_EXPONENT} as a float: rescaled entries below it are stored as 0 too. */
    private static final float FLUSH_VALUE = (float) Math.exp(FLUSH_EXPONENT);
    /**
     * Largest column factor {@code e^30} applied to a stored kernel column instead of rebuilding it by exp: an entry
     * flushed at {@code e^-69} then stands for at most {@code e^-39} of its column's largest entry.
     */
    private static final double MAX_FACTOR_EXPONENT = 30.0;
    /** Largest spread of v (in units of eps) since the last exp build for which absorption rescales instead. */
    private static final double MAX_DRIFT_EXPONENT = 23.0;

    private final ScalingFormulation.Kind kind;
    private final double tol;
    private final int maxIter;
    private final boolean accelerate;
    private final ChunkRunner runner;
    private final KernelEngine engine;
    private WarmState warm;
    private double[] kernel = new double[0];
    private ColumnNewton newtonWorkspace;
    private boolean newtonAllowed = true;
    /** Whether the exp build runs through {@link SimdPass} ({@link Simd#enabled()}). */
    private final boolean simd = Simd.enabled();

    /**
     * A CPU solver.
     *
     * @param kind       virtual-column (P2OT family) or generalized (GSA) formulation
     * @param tol        stop when {@code ||(b - b_prev)/b_prev||_2 < tol}
     * @param maxIter    cap on passes over the kernel matrix
     * @param threads    worker threads (1 = run in the caller)
     * @param accelerate whether to use safeguarded Anderson acceleration
     */
    public FastScaling(ScalingFormulation.Kind kind, double tol, int maxIter, int threads, boolean accelerate) {
        this(kind, tol, maxIter, new ChunkRunner(threads), accelerate, null);
    }

    /**
     * A solver whose passes run on another engine (e.g. Aparapi); the kernel is built on the CPU with
     * {@code threads} threads. The solver closes the engine.
     */
    public FastScaling(ScalingFormulation.Kind kind, double tol, int maxIter, int threads, boolean accelerate,
                       KernelEngine engine) {
        this(kind, tol, maxIter, new ChunkRunner(threads), accelerate, engine);
    }

    private FastScaling(ScalingFormulation.Kind kind, double tol, int maxIter, ChunkRunner runner, boolean accelerate,
                        KernelEngine engine) {
        if (!(tol > 0)) {
            throw new IllegalArgumentException("tol must be positive, got " + tol);
        }
        if (maxIter < 1) {
            throw new IllegalArgumentException("maxIter must be at least 1, got " + maxIter);
        }
        this.kind = kind;
        this.tol = tol;
        this.maxIter = maxIter;
        this.accelerate = accelerate;
        this.runner = runner;
        this.engine = engine == null ? new CpuKernelEngine(runner) : engine;
    }

    /** An accelerated CPU solver on up to the available processors (at most 8 threads). */
    public static FastScaling create(ScalingFormulation.Kind kind, double tol, int maxIter) {
        return new FastScaling(kind, tol, maxIter, defaultThreads(), true);
    }

    /** The available processors, at most 8. */
    public static int defaultThreads() {
        return Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    @Override
    public ScalingResult solve(TransportProblem problem) {
        ScalingFormulation f = kind == ScalingFormulation.Kind.GENERALIZED
                ? ScalingFormulation.generalized(problem) : ScalingFormulation.virtualColumn(problem);
        Iteration it = new Iteration(f, f.start(warm), warm != null && warm.fits(f.n(), f.kx()));
        ScalingResult result = it.run();
        warm = it.state;
        return result;
    }

    /** The state of one solve. */
    private final class Iteration {
        final ScalingFormulation f;
        final WarmState state;
        final int n;
        final int kx;
        final int dim;
        final double[] w;
        final double[] cap;
        final double[] a;
        final double[] columns;
        final double[] rowRange = new double[2];
        /** v at the last exp build: the drift guard of {@link #rescaleKernel}. */
        final double[] builtV;
        /** Per-chunk column maxima of the exponents (scratch of the builds). */
        final double[][] chunkMax;

        Iteration(ScalingFormulation f, WarmState state, boolean warmStart) {
            this.f = f;
            this.state = state;
            this.n = f.n();
            this.kx = f.kx();
            this.dim = f.scalesTotalMass() ? kx + 1 : kx;
            this.w = new double[kx];
            this.cap = new double[n];
            this.a = new double[n];
            this.columns = new double[kx];
            this.builtV = new double[kx];
            this.chunkMax = new double[ChunkRunner.CHUNKS][kx];
            if (kernel.length != n * kx) {
                kernel = new double[n * kx];
            }
            buildKernel(warmStart, true);
        }

        ScalingResult run() {
            double[] b = state.b;
            double t = Math.exp(state.logT);
            double[] x = new double[dim];
            double[] g = new double[dim];
            double[] nextX = new double[dim];
            double[] bNew = new double[kx];
            toLog(b, t, x);
            Anderson anderson = accelerate ? new Anderson(dim, MEMORY) : null;
            Newton newton = accelerate && newtonAllowed && !f.scalesTotalMass() && ColumnNewton.applies(kx)
                    ? new Newton() : null;
            double residual = Double.POSITIVE_INFINITY;
            double[] residuals = new double[ColumnNewton.RATE_WINDOW];
            boolean converged = false;
            int iterations = 0;
            while (iterations < maxIter) {
                iterations++;
                double tNew = plainStep(b, t, bNew);
                residual = ScalingFormulation.relativeChange(bNew, b, tNew, t);
                if (!Double.isFinite(residual) && newton != null && newton.active()) {
                    if (!newton.backtrack(x)) {
                        newton = null;
                        anderson.reset();
                    }
                    t = fromLog(x, b);
                    continue;
                }
                if (!Double.isFinite(residual) && anderson != null && anderson.recover(x)) {
                    t = fromLog(x, b);
                    continue;
                }
                if (!Double.isFinite(residual)) {
                    throw new DivergenceException("scaling diverged (non-finite update) at iteration " + iterations
                            + " with eps=" + f.eps() + ": the cost range is too large for this eps");
                }
                if (residual < tol) {
                    System.arraycopy(bNew, 0, b, 0, kx);
                    t = tNew;
                    converged = true;
                    break;
                }
                toLog(bNew, tNew, g);
                double windowAgo = residuals[iterations % residuals.length];
                residuals[iterations % residuals.length] = residual;
                if (newton != null && (newton.active() || iterations >= ColumnNewton.AFTER_PASSES
                        && ColumnNewton.pays(windowAgo, residual, tol))) {
                    if (newton.step(b, residual, x) == Move.FAILED) {
                        // back to Anderson from the last accepted point (x), which the next pass evaluates again
                        newton = null;
                        anderson.reset();
                    }
                    t = fromLog(x, b);
                    absorbIfNeeded(b, t, x, anderson, newton);
                    continue;
                }
                if (anderson == null) {
                    System.arraycopy(g, 0, nextX, 0, dim);
                } else {
                    anderson.next(x, g, nextX);
                }
                System.arraycopy(nextX, 0, x, 0, dim);
                t = fromLog(x, b);
                absorbIfNeeded(b, t, x, anderson, newton);
            }
            engine.fusedPass(b, t, f.rowMass(), f.scalesTotalMass(), columns, rowRange);
            engine.rowScalings(a);
            double scale = t;
            ScalingFormulation.PlanRows rows = (i, out) -> {
                for (int j = 0; j < kx; j++) {
                    out[j] = scale * a[i] * kernel[i * kx + j] * b[j];
                }
            };
            double[] plan = new double[n * f.k()];
            double[] weights = new double[n];
            double[][] chunkColumns = new double[ChunkRunner.CHUNKS][kx];
            double[][] chunkStats = new double[ChunkRunner.CHUNKS][2];
            runner.run(chunk -> f.assembleRows(rows, ChunkRunner.chunkStart(n, chunk),
                    ChunkRunner.chunkStart(n, chunk + 1), plan, weights, chunkColumns[chunk], chunkStats[chunk]));
            double[] columnSums = chunkColumns[0];
            double rowError = chunkStats[0][0];
            double total = chunkStats[0][1];
            for (int chunk = 1; chunk < ChunkRunner.CHUNKS; chunk++) {
                for (int j = 0; j < kx; j++) {
                    columnSums[j] += chunkColumns[chunk][j];
                }
                rowError = Math.max(rowError, chunkStats[chunk][0]);
                total += chunkStats[chunk][1];
            }
            ScalingResult result = f.finishResult(plan, weights, columnSums, rowError, total, iterations, converged,
                    residual);
            absorb(b);
            state.logT = Math.log(t);
            return result;
        }

        /** Absorption when b or a left their range; the accelerators restart from the new coordinates. */
        private void absorbIfNeeded(double[] b, double t, double[] x, Anderson anderson, Newton newton) {
            if (ScalingFormulation.needsAbsorption(rowRange, b)) {
                rescaleKernel(b);
                toLog(b, t, x);
                if (anderson != null) {
                    anderson.reset();
                }
                if (newton != null) {
                    newton.rebase();
                }
            }
        }

        /** What a Newton step did. */
        private enum Move { MOVED, FAILED }

        /**
         * The Newton phase of virtual-column problems ({@link ColumnNewton}): from pass
         * {@link ColumnNewton#AFTER_PASSES} on, each evaluated point is either accepted (Armijo decrease of the
         * semi-dual, or a smaller residual where the semi-dual is flat to rounding) and a new Newton direction taken
         * from it, or rejected and the step halved. Below {@link ColumnNewton#MIN_FRACTION} of a step, or at a
         * Hessian that is not positive definite, the solve goes back to Anderson from the last accepted point.
         */
        private final class Newton {
            final ColumnNewton columnNewton = columnNewton(n, kx, f.rowMass(),
                    ScalingFormulation.virtualClusterMarginals(f.problem(), kx), f.fi() == 1.0 ? 0 : f.k(), f.fi());
            final double[] baseX = new double[dim];
            final double[] direction = new double[kx];
            final double[] gradient = new double[kx];
            boolean active;
            boolean hasBase;
            double baseObjective;
            double baseResidual;
            double slope;
            double fraction;

            boolean active() {
                return active;
            }

            /** The coordinates changed (absorption): the next evaluated point starts a new line search. */
            void rebase() {
                hasBase = false;
            }

            /**
             * Handles the point b just evaluated (its pass is the engine's last): accept it and move to the next
             * Newton point, or reject it and move back along the direction. Writes the next point into x.
             */
            Move step(double[] b, double residual, double[] x) {
                engine.rowScalings(a);
                double objective = columnNewton.objective(a, b, w);
                // Armijo's decrease; or, where the objective is flat to rounding (near the fixed point), a smaller
                // residual. A smaller residual alone is not enough: it let two points alternate.
                boolean accepted = !hasBase || objective <= baseObjective - ColumnNewton.ARMIJO * fraction * slope
                        || residual < baseResidual
                        && objective <= baseObjective + ColumnNewton.FLAT * Math.abs(baseObjective);
                if (!accepted) {
                    return backtrack(x) ? Move.MOVED : Move.FAILED;
                }
                if (!columnNewton.direction(kernel, a, b, columns, w, gradient, direction)) {
                    return Move.FAILED;
                }
                active = true;
                hasBase = true;
                baseObjective = objective;
                baseResidual = residual;
                System.arraycopy(x, 0, baseX, 0, dim);
                slope = 0;
                for (int j = 0; j < kx; j++) {
                    // a box trust region: scaling the whole step down to the largest entry's cap stalled the first
                    // steps of cold solves (a few columns asked for moves of thousands)
                    direction[j] = Math.max(-ColumnNewton.MAX_STEP, Math.min(ColumnNewton.MAX_STEP, direction[j]));
                    slope += gradient[j] * direction[j];
                }
                fraction = 1.0;
                moveTo(x);
                return Move.MOVED;
            }

            /** Halves the step from the last accepted point; false below {@link ColumnNewton#MIN_FRACTION}. */
            boolean backtrack(double[] x) {
                fraction *= 0.5;
                if (!hasBase || fraction < ColumnNewton.MIN_FRACTION) {
                    if (hasBase) {
                        System.arraycopy(baseX, 0, x, 0, dim);
                    }
                    active = false;
                    return false;
                }
                moveTo(x);
                return true;
            }

            private void moveTo(double[] x) {
                for (int j = 0; j < kx; j++) {
                    x[j] = baseX[j] - fraction * direction[j];
                }
            }
        }

        /**
         * The solver's Newton workspace (plan rows and Gram matrices: megabytes), kept across solves of one shape and
         * configured for this problem's marginals.
         */
        private ColumnNewton columnNewton(int rows, int columns, double rowMass, double[] columnMass, int relaxed,
                double exponent) {
            if (newtonWorkspace == null || !newtonWorkspace.fits(rows, columns)) {
                newtonWorkspace = new ColumnNewton(rows, columns, rowMass, columnMass, relaxed, exponent, runner);
            } else {
                newtonWorkspace.configure(rowMass, columnMass, relaxed, exponent);
            }
            return newtonWorkspace;
        }

        /** One plain step of the map: fused pass, column update, total-mass update; returns the new t. */
        private double plainStep(double[] b, double t, double[] bNew) {
            engine.fusedPass(b, t, f.rowMass(), f.scalesTotalMass(), columns, rowRange);
            double mass = 0;
            for (int j = 0; j < kx; j++) {
                bNew[j] = f.columnScaling(j, columns[j], t, w[j]);
                mass += bNew[j] * columns[j];
            }
            if (gaugeInvariant()) {
                double gauge = bNew[kx - 1];
                for (int j = 0; j < kx; j++) {
                    bNew[j] /= gauge;
                }
            }
            return f.scalesTotalMass() ? f.totalMassScaling(mass) : t;
        }

        /**
         * Whether every column is an equality (POT, OT): then {@code b -> c b} maps to {@code c b'} and the fixed
         * points form a line; fixing the gauge {@code b_last = 1} (the plan is unchanged: a absorbs the factor) keeps
         * Anderson's least squares well posed.
         */
        private boolean gaugeInvariant() {
            return !f.scalesTotalMass() && f.fi() == 1.0;
        }

        private void toLog(double[] b, double t, double[] x) {
            for (int j = 0; j < kx; j++) {
                x[j] = Math.log(b[j]);
            }
            if (dim > kx) {
                x[kx] = Math.log(t);
            }
        }

        private double fromLog(double[] x, double[] b) {
            for (int j = 0; j < kx; j++) {
                b[j] = Math.exp(x[j]);
            }
            return dim > kx ? Math.exp(x[kx]) : 1.0;
        }

        /**
         * The exp build of the float32 kernel {@code M_ij = exp((u_i - Ĉ_ij + v_j)/eps)}, with the normalisation of
         * {@link ScalingFormulation#prepare} fused in: each row's u is chosen so its largest exponent is 0 while the
         * row is built (one read of the cost), then every column whose largest exponent is below {@code -30 eps}
         * (cold: every column) is shifted to 0 ({@link ScalingFormulation#shiftColumns}, b compensated when warm) by
         * scaling the stored column, since a column factor is exact up to float rounding. A shift by more than
         * {@link #MAX_FACTOR_EXPONENT} (entries near the flush line could matter) rebuilds by exp with the shifted v.
         *
         * @param warm       whether b and v are a previous solve's (else cold: every column shifted)
         * @param shiftRows  whether u is re-chosen per row (false: keep u, used by the second build)
         */
        private void buildKernel(boolean warm, boolean shiftRows) {
            double eps = f.eps();
            double inverseEps = 1.0 / eps;
            double[] u = state.u;
            double[] v = state.v;
            double[] cost = f.problem().costView();
            int k = f.k();
            double[] m = kernel;
            runner.run(chunk -> {
                double[] columnMax = chunkMax[chunk];
                java.util.Arrays.fill(columnMax, Double.NEGATIVE_INFINITY);
                for (int i = ChunkRunner.chunkStart(n, chunk); i < ChunkRunner.chunkStart(n, chunk + 1); i++) {
                    int row = i * kx;
                    int costRow = i * k;
                    double ui;
                    if (shiftRows) {
                        ui = -rowShift(cost, costRow, k, kx, v, simd);
                        u[i] = ui;
                    } else {
                        ui = u[i];
                    }
                    buildRow(cost, costRow, k, kx, ui, v, inverseEps, m, row, columnMax, simd);
                    cap[i] = FastMath.exp(-ui * inverseEps);
                }
            });
            System.arraycopy(v, 0, builtV, 0, kx);
            double[] factors = shiftColumns(warm, eps);
            if (factors != null) {
                double largest = 0;
                for (double factor : factors) {
                    largest = Math.max(largest, Math.abs(Math.log(factor)));
                }
                if (largest > MAX_FACTOR_EXPONENT) {
                    buildKernel(true, false);
                    return;
                }
                scaleColumns(factors);
            }
            finishBuild();
        }

        /**
         * {@link ScalingFormulation#shiftColumns} from the chunks' column maxima (in units of eps): the factor by which
         * each stored column must be multiplied, or null when no column moves.
         */
        private double[] shiftColumns(boolean warm, double eps) {
            double[] factors = null;
            for (int j = 0; j < kx; j++) {
                double columnMax = chunkMax[0][j];
                for (int chunk = 1; chunk < ChunkRunner.CHUNKS; chunk++) {
                    columnMax = Math.max(columnMax, chunkMax[chunk][j]);
                }
                if ((!warm || columnMax < -30.0) && columnMax != 0.0 && Double.isFinite(columnMax)) {
                    state.v[j] -= columnMax * eps;
                    if (warm) {
                        state.b[j] *= ScalingFormulation.warmCompensation(columnMax);
                    }
                    if (factors == null) {
                        factors = new double[kx];
                        java.util.Arrays.fill(factors, 1.0);
                    }
                    factors[j] = Math.exp(-columnMax);
                }
            }
            return factors;
        }

        private void scaleColumns(double[] factors) {
            double[] m = kernel;
            runner.run(chunk -> {
                for (int i = ChunkRunner.chunkStart(n, chunk); i < ChunkRunner.chunkStart(n, chunk + 1); i++) {
                    int row = i * kx;
                    for (int j = 0; j < kx; j++) {
                        m[row + j] = (float) (m[row + j] * factors[j]);
                    }
                }
            });
        }

        /** The power-step weights from v; the kernel and the row caps go to the engine. */
        private void finishBuild() {
            for (int j = 0; j < kx; j++) {
                w[j] = f.powerStepLogWeight(j, state.v[j]);
            }
            engine.load(kernel, n, kx, cap);
        }

        /**
         * Absorption of b (ALGORITHM.md §1: {@code v += eps log b}, b = 1; u is re-chosen per row as in
         * {@link ScalingFormulation#shiftRows}, which makes absorbing a unnecessary) and the kernel after it, without
         * exp: the new kernel is {@code M_ij b_j / max_j(M_ij b_j)} (the division is the row shift), then columns are
         * shifted as in the exp build. Exact up to float rounding; when v has moved by more than
         * {@link #MAX_DRIFT_EXPONENT} eps (relative across columns) since the last exp build, so that an entry flushed
         * to 0 could have grown to matter, or a row's entries vanish, the kernel is rebuilt by exp instead.
         */
        private void rescaleKernel(double[] b) {
            double eps = f.eps();
            double[] scale = b.clone();
            double lowest = Double.POSITIVE_INFINITY;
            double highest = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < kx; j++) {
                state.v[j] += eps * Math.log(b[j] + Double.MIN_NORMAL);
                b[j] = 1.0;
                double moved = (state.v[j] - builtV[j]) / eps;
                lowest = Math.min(lowest, moved);
                highest = Math.max(highest, moved);
            }
            if (highest - lowest > MAX_DRIFT_EXPONENT) {
                buildKernel(true, true);
                return;
            }
            double[] m = kernel;
            double[] u = state.u;
            boolean[] vanished = new boolean[ChunkRunner.CHUNKS];
            runner.run(chunk -> {
                double[] columnMax = chunkMax[chunk];
                java.util.Arrays.fill(columnMax, Double.NEGATIVE_INFINITY);
                for (int i = ChunkRunner.chunkStart(n, chunk); i < ChunkRunner.chunkStart(n, chunk + 1); i++) {
                    int row = i * kx;
                    double rowMax = 0;
                    for (int j = 0; j < kx; j++) {
                        rowMax = Math.max(rowMax, m[row + j] * scale[j]);
                    }
                    if (!(rowMax > Float.MIN_NORMAL) || Double.isInfinite(rowMax)) {
                        vanished[chunk] = true;
                        return;
                    }
                    double inverse = 1.0 / rowMax;
                    for (int j = 0; j < kx; j++) {
                        float entry = (float) (m[row + j] * scale[j] * inverse);
                        m[row + j] = entry < FLUSH_VALUE ? 0.0 : entry;
                        columnMax[j] = Math.max(columnMax[j], entry);
                    }
                    u[i] -= eps * Math.log(rowMax);
                    cap[i] = Math.exp(-u[i] / eps);
                }
            });
            for (boolean v : vanished) {
                if (v) {
                    buildKernel(true, true);
                    return;
                }
            }
            for (int chunk = 0; chunk < ChunkRunner.CHUNKS; chunk++) {
                double[] columnMax = chunkMax[chunk];
                for (int j = 0; j < kx; j++) {
                    columnMax[j] = columnMax[j] > 0 ? Math.log(columnMax[j]) : Double.NEGATIVE_INFINITY;
                }
            }
            double[] factors = shiftColumns(true, eps);
            if (factors != null) {
                double largest = 0;
                for (double factor : factors) {
                    largest = Math.max(largest, Math.abs(Math.log(factor)));
                }
                if (largest > MAX_FACTOR_EXPONENT) {
                    buildKernel(true, true);
                    return;
                }
                scaleColumns(factors);
            }
            finishBuild();
        }

        /** Absorption (ALGORITHM.md §1) of the last pass's a and of b into the potentials; b becomes 1. */
        private void absorb(double[] b) {
            engine.rowScalings(a);
            state.absorb(f.eps(), a, b);
        }
    }

    /**
     * The largest exponent numerator {@code max_j (v_j - C_ij)} of a cost row, the virtual column (cost 0) included
     * when {@code kx > k}: u_i is its negative, so the row's largest kernel entry is 1. With {@code simd} through
     * {@link SimdPass#rowMax}, which gives the same value.
     */
    static double rowShift(double[] cost, int costRow, int k, int kx, double[] v, boolean simd) {
        double start = kx > k ? v[k] : Double.NEGATIVE_INFINITY;
        if (simd) {
            return SimdPass.rowMax(cost, costRow, k, v, start);
        }
        double rowMax = start;
        for (int j = 0; j < k; j++) {
            rowMax = Math.max(rowMax, v[j] - cost[costRow + j]);
        }
        return rowMax;
    }

    /**
     * Row i of the exp build (kernel entries {@code m[row .. row + kx)} from the cost row at {@code costRow}; column k,
     * when {@code kx > k}, is the virtual column with cost 0), updating the largest exponent of each column. With
     * {@code simd} the first columns go through {@link SimdPass#buildRow}, which gives the same bits.
     */
    static void buildRow(double[] cost, int costRow, int k, int kx, double ui, double[] v, double inverseEps,
                         double[] m, int row, double[] columnMax, boolean simd) {
        int j = simd ? SimdPass.buildRow(cost, costRow, k, ui, v, inverseEps, m, row, columnMax, FLUSH_EXPONENT) : 0;
        for (; j < kx; j++) {
            double exponent = (ui - (j < k ? cost[costRow + j] : 0.0) + v[j]) * inverseEps;
            columnMax[j] = Math.max(columnMax[j], exponent);
            m[row + j] = exponent < FLUSH_EXPONENT ? 0.0 : (float) FastMath.exp(exponent);
        }
    }

    /** This solver with Anderson only, without the Newton phase (to measure what Newton does). */
    public FastScaling withoutNewton() {
        newtonAllowed = false;
        return this;
    }

    @Override
    public double[] warmState() {
        return warm == null ? new double[0] : warm.toArray();
    }

    @Override
    public void restoreWarmState(double[] state) {
        warm = WarmState.fromArray(state);
    }

    @Override
    public String device() {
        return engine.device() + ", float32" + (accelerate ? ", anderson" : "");
    }

    @Override
    public void close() {
        engine.close();
        runner.close();
    }
}
