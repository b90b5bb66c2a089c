package org.sp2ot.solver;

/**
 * Newton steps on the column scalings of a virtual-column problem (P2OT, UOT, POT, OT and the SP2OT inner solves:
 * rows are equalities {@code a = (1/N) / (M b)}), the finishing phase of {@link FastScaling}.
 *
 * <p>With {@code x = log b} and the rows solved exactly, the scaling iteration's fixed point is the minimum of the
 * convex semi-dual
 * <pre>
 *   phi(x) = sum_i Pa_i log (M e^x)_i - sum_{j equality} Pb_j x_j + (fi / (1 - fi)) sum_{j relaxed} r_j(x_j),
 *   r_j = Pb_j exp(-(1 - fi) x_j / fi) w_j^(1 / fi),
 *   grad_j = s_j - Pb_j (equality) or s_j - r_j (relaxed),
 *   H = diag(s) - Q^T diag(1/Pa) Q + diag((1 - fi) / fi r_j over the relaxed columns)
 * </pre>
 * where {@code Q = diag(a) M diag(b)} is the plan with exact rows, {@code s = Q^T 1} its column sums, and
 * {@code w_j = exp(v_j (fi - 1) / eps)} the power step's stabilisation weight ({@code (gamma/eps) Pb_j e^(-g_j/gamma)}
 * is the conjugate of the KL relaxation at the column potential {@code g_j = v_j + eps x_j}, and
 * {@code gamma / eps = fi / (1 - fi)}). Setting the gradient to 0 gives the power step
 * {@code b_j = (Pb_j / (M^T a)_j)^fi w_j}, so the fixed point is the iteration's. With every column an equality
 * (POT, OT) phi is invariant under {@code x -> x + c 1}; the last coordinate is then held fixed (the gauge
 * {@code b_last = 1} of the Anderson phase), which leaves a positive definite {@code (kx-1) x (kx-1)} system; a
 * relaxed column makes the whole system positive definite. Sinkhorn contracts slowly on long-tailed data (hundreds of
 * passes at N = 5120, K = 100 for balanced OT, even accelerated); Newton converges quadratically once close. The
 * Hessian costs {@code N kx^2 / 2} multiply-adds (one SYRK through BLAS), so it pays only for moderate kx
 * ({@link #MAX_COLUMNS}). The fixed point and the stop rule are the scaling iteration's: only the path to it changes.
 */
final class ColumnNewton {
    /**
     * Largest kx for which Newton is used: at N = 5120 the SYRK of kx = 101 takes about 1 ms against 0.3–0.5 ms per
     * pass, and at kx = 1000 about 100 ms against 3–4 ms per pass, more than the passes it saves.
     */
    static final int MAX_COLUMNS = 256;
    /**
     * Passes after which Newton takes over from Anderson (Anderson can stall for hundreds of passes on these
     * problems; a solve it finishes sooner never pays for a Hessian).
     */
    static final int AFTER_PASSES = 10;
    /** Passes over which the residual's contraction rate is measured ({@link #pays}). */
    static final int RATE_WINDOW = 5;
    /**
     * Predicted remaining passes above which Newton takes over. A Newton step costs one pass plus a Hessian of about
     * 2–4 passes at kx = 101. Measured on warm-started P2OT training solves at K = 100, which Anderson finishes in
     * about 20 passes: Newton from pass 10 (or above 12 predicted) cut the passes by a third but took more time;
     * above 25 it is at parity.
     */
    static final double WORTH_PASSES = 25.0;
    /** Relative change of the objective below which it counts as flat (rounding), see the line search. */
    static final double FLAT = 1e-13;
    /** Largest change of any {@code log b_j} in one Newton step (a trust region, as Anderson's extrapolation cap). */
    static final double MAX_STEP = 6.0;
    /** Armijo's sufficient-decrease constant of the backtracking line search. */
    static final double ARMIJO = 1e-4;
    /** Smallest step fraction tried before the solver falls back to Anderson. */
    static final double MIN_FRACTION = 1.0 / 64;

    private final int n;
    private final int kx;
    private final float[] plan;
    private final double[] gram;
    private final float[][] chunkGrams;
    private final double[] reduced;
    private final double[] sums;
    private final ChunkRunner runner;
    private double rowMass;
    private double[] columnMass;
    private int relaxedColumns;
    private double fi = 1.0;

    /**
     * A workspace for problems of n rows and kx columns, first configured for {@code relaxedColumns} KL-relaxed
     * columns (the first ones) with power-step exponent fi; see {@link #configure}.
     */
    ColumnNewton(int n, int kx, double rowMass, double[] columnMass, int relaxedColumns, double fi,
            ChunkRunner runner) {
        this.n = n;
        this.kx = kx;
        this.plan = new float[n * kx];
        this.gram = new double[kx * kx];
        this.chunkGrams = new float[ChunkRunner.CHUNKS][kx * kx];
        this.reduced = new double[kx * kx];
        this.sums = new double[kx];
        this.runner = runner;
        configure(rowMass, columnMass, relaxedColumns, fi);
    }

    /** An equality-column workspace (every column an equality: POT, OT). */
    ColumnNewton(int n, int kx, double rowMass, double[] columnMass, ChunkRunner runner) {
        this(n, kx, rowMass, columnMass, 0, 1.0, runner);
    }

    /** Whether this workspace is for problems of this shape (the marginals are set by {@link #configure}). */
    boolean fits(int otherN, int otherKx) {
        return n == otherN && kx == otherKx;
    }

    /**
     * The problem's marginals: row mass Pa, column masses Pb, the number of KL-relaxed columns (the first
     * {@code relaxedColumns}; 0 when {@code fi = 1}) and the power step's exponent fi.
     */
    void configure(double newRowMass, double[] newColumnMass, int newRelaxedColumns, double newFi) {
        if (newColumnMass.length != kx || newRelaxedColumns < 0 || newRelaxedColumns > kx
                || !(newFi > 0 && newFi <= 1) || newFi == 1.0 && newRelaxedColumns > 0) {
            throw new IllegalArgumentException("ColumnNewton: " + newColumnMass.length + " column masses for " + kx
                    + " columns, " + newRelaxedColumns + " relaxed, fi " + newFi);
        }
        this.rowMass = newRowMass;
        this.columnMass = newColumnMass.clone();
        this.relaxedColumns = newRelaxedColumns;
        this.fi = newFi;
    }

    /** Whether every column is an equality: then the last scaling is held (the gauge). */
    boolean gauged() {
        return relaxedColumns == 0;
    }

    /**
     * Whether Newton pays from here: the residual contracted from {@code windowAgo} ({@link #RATE_WINDOW} passes
     * earlier) to {@code residual}; at that rate reaching tol takes more than {@link #WORTH_PASSES} passes, or the
     * residual is not contracting.
     */
    static boolean pays(double windowAgo, double residual, double tol) {
        if (!(windowAgo > 0) || !(residual < windowAgo)) {
            return true;
        }
        double perPass = Math.log(residual / windowAgo) / RATE_WINDOW;
        return Math.log(tol / residual) / perPass > WORTH_PASSES;
    }

    /** Whether Newton is used for a problem of kx columns (at least 2, at most {@link #MAX_COLUMNS}). */
    static boolean applies(int kx) {
        return kx >= 2 && kx <= MAX_COLUMNS && Blas.AVAILABLE;
    }

    /**
     * The target mass {@code r_j = Pb_j exp(-(1 - fi) x_j / fi) w_j^(1/fi)} of relaxed column j at
     * {@code x_j = log b_j}, from the power step's log weight {@code log w_j}; its column sum s_j equals it at the
     * fixed point.
     */
    double target(int j, double logB, double logWeight) {
        return columnMass[j] * Math.exp((logWeight - (1.0 - fi) * logB) / fi);
    }

    /**
     * The semi-dual phi at the point b whose pass gave the exact row scalings a: {@code (M b)_i = Pa / a_i}, so
     * {@code phi = sum_i Pa log(Pa / a_i) - sum_{equality} Pb_j log b_j + fi / (1 - fi) sum_{relaxed} r_j}.
     *
     * @param logWeights the power step's {@code log w_j} (read for the relaxed columns only)
     */
    double objective(double[] a, double[] b, double[] logWeights) {
        double sum = 0;
        double logRowMass = Math.log(rowMass);
        for (int i = 0; i < n; i++) {
            sum += rowMass * (logRowMass - Math.log(a[i]));
        }
        for (int j = 0; j < kx; j++) {
            if (j < relaxedColumns) {
                sum += fi / (1.0 - fi) * target(j, Math.log(b[j]), logWeights[j]);
            } else {
                sum -= columnMass[j] * Math.log(b[j]);
            }
        }
        return sum;
    }

    /**
     * The Newton direction at the point b: solves {@code (H + mu diag(s)) d = grad} with the smallest damping mu that
     * factors, on the first kx-1 coordinates with {@code d_last = 0} when {@link #gauged}, else on all of them; the
     * step is {@code x -> x - d}. {@code columns} is the pass's {@code M^T a}.
     *
     * @param gradient receives the gradient of phi
     * @return false when the reduced Hessian is not numerically positive definite
     */
    boolean direction(double[] kernel, double[] a, double[] b, double[] columns, double[] logWeights,
            double[] gradient, double[] direction) {
        hessian(kernel, a, b, columns, logWeights, gradient);
        int d = free();
        // Levenberg-Marquardt: H + mu diag(s). On sharp plans (a row's mass in one column) the diagonal of H is the
        // small difference of s_j and n sum_i q_ij^2, and the float Gram's rounding (1e-7 of s_j) can make H
        // indefinite; a column that holds almost no mass makes it nearly singular. mu grows until the factor
        // exists (large mu tends to a Sinkhorn step on the column scalings); the trust region bounds each step.
        for (double mu : DAMPING) {
            for (int p = 0; p < d; p++) {
                System.arraycopy(gram, p * kx, reduced, p * d, d);
                reduced[p * d + p] += mu * sums[p];
            }
            if (Cholesky.factorInPlace(reduced, d)) {
                solve(gradient, direction);
                return true;
            }
        }
        return false;
    }

    private int free() {
        return gauged() ? kx - 1 : kx;
    }

    private void solve(double[] gradient, double[] direction) {
        int d = free();
        System.arraycopy(gradient, 0, direction, 0, d);
        Cholesky.solveFactored(reduced, d, direction);
        if (d < kx) {
            direction[kx - 1] = 0.0;
        }
    }

    /** The gradient of phi at b from the pass's {@code M^T a}; the column sums go to {@link #sums}. */
    private void gradient(double[] b, double[] columns, double[] logWeights, double[] gradient) {
        for (int p = 0; p < kx; p++) {
            double s = b[p] * columns[p];
            sums[p] = s;
            gradient[p] = s - (p < relaxedColumns ? target(p, Math.log(b[p]), logWeights[p]) : columnMass[p]);
        }
    }

    /** The first Levenberg-Marquardt factor (the direction of a well-conditioned H is then Newton's to 1e-6). */
    static final double FIRST_DAMPING = 1e-6;
    /** Levenberg-Marquardt factors tried in turn until the Cholesky factor exists (1e-6: above float rounding). */
    private static final double[] DAMPING = {FIRST_DAMPING, 1e-3, 1e-1, 1.0};

    /**
     * H into {@link #gram} (row-major, both triangles) and the gradient of phi. Each row chunk builds its plan rows
     * {@code q_ij = a_i M_ij b_j} and their Gram matrix (one SYRK); the chunks' matrices are added in chunk order, so
     * the result does not depend on the thread count.
     */
    void hessian(double[] kernel, double[] a, double[] b, double[] columns, double[] logWeights, double[] gradient) {
        float[] q = plan;
        float alpha = (float) (-1.0 / rowMass);
        runner.run(chunk -> {
            int from = ChunkRunner.chunkStart(n, chunk);
            int to = ChunkRunner.chunkStart(n, chunk + 1);
            for (int i = from; i < to; i++) {
                int row = i * kx;
                double ai = a[i];
                for (int j = 0; j < kx; j++) {
                    q[row + j] = (float) (ai * kernel[row + j] * b[j]);
                }
            }
            // column-major, the chunk's rows are the kx x (to - from) matrix A; chunkGram = -(1/Pa) A A^T
            Blas.ssyrk(kx, to - from, alpha, q, from * kx, chunkGrams[chunk]);
        });
        java.util.Arrays.fill(gram, 0.0);
        for (int chunk = 0; chunk < ChunkRunner.CHUNKS; chunk++) {
            float[] part = chunkGrams[chunk];
            for (int p = 0; p < kx; p++) {
                for (int r = p; r < kx; r++) {
                    gram[p * kx + r] += part[p * kx + r];
                }
            }
        }
        gradient(b, columns, logWeights, gradient);
        for (int p = 0; p < kx; p++) {
            for (int r = p + 1; r < kx; r++) {
                gram[r * kx + p] = gram[p * kx + r];
            }
            gram[p * kx + p] += sums[p];
            if (p < relaxedColumns) {
                // the target's own slope: r_j = s_j - grad_j
                gram[p * kx + p] += (1.0 - fi) / fi * (sums[p] - gradient[p]);
            }
        }
    }

    /** The Hessian of the last {@link #direction} or {@link #hessian} call (row-major kx x kx; a view). */
    double[] hessianView() {
        return gram;
    }

    /** Dense symmetric positive definite solve. */
    static final class Cholesky {
        private Cholesky() {
        }

        /** Diagonal shift against rounding, relative to the largest diagonal entry. */
        static final double RELATIVE_SHIFT = 1e-12;

        /**
         * Factors {@code A + RELATIVE_SHIFT max(diag A) I = L L^T} for a symmetric positive definite d x d row-major A;
         * L overwrites A's lower triangle.
         *
         * @return false when a pivot is not positive
         */
        static boolean factorInPlace(double[] a, int d) {
            double largest = 0;
            for (int p = 0; p < d; p++) {
                largest = Math.max(largest, a[p * d + p]);
            }
            if (!(largest > 0)) {
                return false;
            }
            double shift = RELATIVE_SHIFT * largest;
            for (int p = 0; p < d; p++) {
                int rowP = p * d;
                for (int r = 0; r < p; r++) {
                    int rowR = r * d;
                    double sum = a[rowP + r];
                    for (int t = 0; t < r; t++) {
                        sum -= a[rowP + t] * a[rowR + t];
                    }
                    a[rowP + r] = sum / a[rowR + r];
                }
                double diagonal = a[rowP + p] + shift;
                for (int t = 0; t < p; t++) {
                    diagonal -= a[rowP + t] * a[rowP + t];
                }
                if (!(diagonal > 0)) {
                    return false;
                }
                a[rowP + p] = Math.sqrt(diagonal);
            }
            return true;
        }

        /** Solves {@code L L^T x = rhs} with the factor of {@link #factorInPlace}; x replaces rhs. */
        static void solveFactored(double[] a, int d, double[] rhs) {
            for (int p = 0; p < d; p++) {
                double sum = rhs[p];
                for (int t = 0; t < p; t++) {
                    sum -= a[p * d + t] * rhs[t];
                }
                rhs[p] = sum / a[p * d + p];
            }
            for (int p = d - 1; p >= 0; p--) {
                double sum = rhs[p];
                for (int t = p + 1; t < d; t++) {
                    sum -= a[t * d + p] * rhs[t];
                }
                rhs[p] = sum / a[p * d + p];
            }
        }
    }

    /** Native BLAS through netlib-java when it is on the class path (it is wherever Spark is). */
    static final class Blas {
        static final boolean AVAILABLE = available();

        private Blas() {
        }

        private static boolean available() {
            try {
                Class.forName("dev.ludovic.netlib.blas.BLAS");
                return true;
            } catch (ClassNotFoundException | LinkageError e) {
                return false;
            }
        }

        /**
         * {@code C = alpha A A^T} for the column-major m x k matrix A (a row-major k x m array from offset), into
         * the row-major upper triangle of the m x m array c (its column-major lower triangle); the rest of c is left
         * as it was. With k = 0 (a row chunk without rows: fewer rows than chunks) that triangle is 0; netlib rejects
         * a zero-column operand at the array's end, so it is not called then.
         */
        static void ssyrk(int m, int k, float alpha, float[] a, int offset, float[] c) {
            if (k == 0) {
                for (int p = 0; p < m; p++) {
                    java.util.Arrays.fill(c, p * m + p, (p + 1) * m, 0.0f);
                }
                return;
            }
            dev.ludovic.netlib.blas.BLAS.getInstance().ssyrk("L", "N", m, k, alpha, a, offset, m, 0.0f, c, 0, m);
        }
    }
}
