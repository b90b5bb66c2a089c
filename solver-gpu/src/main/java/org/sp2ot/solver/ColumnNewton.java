package org.sp2ot.solver;

/**
 * Newton steps on the column scalings of an equality-column problem (OT, POT: every column an equality, rows
 * equalities {@code a = (1/N) / (M b)}), the finishing phase of {@link FastScaling} on those problems.
 *
 * <p>With {@code x = log b} and the rows solved exactly, the scaling iteration's fixed point is the minimum of the
 * convex semi-dual
 * <pre>
 *   phi(x) = sum_i Pa_i log (M e^x)_i - sum_j Pb_j x_j,   grad_j = s_j - Pb_j,   H = diag(s) - Q^T diag(1/Pa) Q
 * </pre>
 * where {@code Q = diag(a) M diag(b)} is the plan with exact rows and {@code s = Q^T 1} its column sums. phi is
 * invariant under {@code x -> x + c 1}; the last coordinate is held fixed (the gauge {@code b_last = 1} of the
 * Anderson phase), which leaves a positive definite {@code (kx-1) x (kx-1)} system. Balanced Sinkhorn contracts
 * slowly on long-tailed data (hundreds of passes at N = 5120, K = 100, even accelerated); Newton converges
 * quadratically once close. The Hessian costs {@code N kx^2 / 2} multiply-adds (one SYRK through BLAS), so it pays
 * only for moderate kx ({@link #MAX_COLUMNS}). The fixed point and the stop rule are the scaling iteration's: only
 * the path to it changes.
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
    private final double rowMass;
    private final double[] columnMass;
    private final float[] plan;
    private final double[] gram;
    private final float[][] chunkGrams;
    private final double[] reduced;
    private final ChunkRunner runner;

    ColumnNewton(int n, int kx, double rowMass, double[] columnMass, ChunkRunner runner) {
        this.n = n;
        this.kx = kx;
        this.rowMass = rowMass;
        this.columnMass = columnMass.clone();
        this.plan = new float[n * kx];
        this.gram = new double[kx * kx];
        this.chunkGrams = new float[ChunkRunner.CHUNKS][kx * kx];
        this.reduced = new double[(kx - 1) * (kx - 1)];
        this.runner = runner;
    }

    /** Whether this workspace is for a problem of this shape and these marginals. */
    boolean fits(int otherN, int otherKx, double otherRowMass, double[] otherColumnMass) {
        return n == otherN && kx == otherKx && rowMass == otherRowMass
                && java.util.Arrays.equals(columnMass, otherColumnMass);
    }

    /** Whether Newton is used for a problem of kx columns (at least 2, at most {@link #MAX_COLUMNS}). */
    static boolean applies(int kx) {
        return kx >= 2 && kx <= MAX_COLUMNS && Blas.AVAILABLE;
    }

    /**
     * The semi-dual phi at the point b whose pass gave the exact row scalings a: {@code (M b)_i = Pa / a_i}, so
     * {@code phi = sum_i Pa log(Pa / a_i) - sum_j Pb_j log b_j}.
     */
    double objective(double[] a, double[] b) {
        double sum = 0;
        double logRowMass = Math.log(rowMass);
        for (int i = 0; i < n; i++) {
            sum += rowMass * (logRowMass - Math.log(a[i]));
        }
        for (int j = 0; j < kx; j++) {
            sum -= columnMass[j] * Math.log(b[j]);
        }
        return sum;
    }

    /**
     * The Newton direction at the point b: solves {@code (H + mu diag(s)) d = grad} on the first kx-1 coordinates
     * ({@code d_last = 0}) with the smallest damping mu that factors; the step is {@code x -> x - d}.
     * {@code columns} is the pass's {@code M^T a}.
     *
     * @param gradient receives {@code s_j - Pb_j}
     * @return false when the reduced Hessian is not numerically positive definite
     */
    boolean direction(double[] kernel, double[] a, double[] b, double[] columns, double[] gradient,
            double[] direction) {
        hessian(kernel, a, b, columns, gradient);
        int d = kx - 1;
        // Levenberg-Marquardt: H + mu diag(s). On sharp plans (a row's mass in one column) the diagonal of H is the
        // small difference of s_j and n sum_i q_ij^2, and the float Gram's rounding (1e-7 of s_j) can make H
        // indefinite; a column that holds almost no mass makes it nearly singular. mu grows until the factor
        // exists (large mu tends to a Sinkhorn step on the column scalings); the trust region bounds each step.
        for (double mu : DAMPING) {
            for (int p = 0; p < d; p++) {
                System.arraycopy(gram, p * kx, reduced, p * d, d);
                reduced[p * d + p] += mu * (gradient[p] + columnMass[p]);
            }
            double[] rhs = java.util.Arrays.copyOf(gradient, d);
            if (Cholesky.solveInPlace(reduced, d, rhs)) {
                System.arraycopy(rhs, 0, direction, 0, d);
                direction[kx - 1] = 0.0;
                return true;
            }
        }
        return false;
    }

    /** The first Levenberg-Marquardt factor (the direction of a well-conditioned H is then Newton's to 1e-6). */
    static final double FIRST_DAMPING = 1e-6;
    /** Levenberg-Marquardt factors tried in turn until the Cholesky factor exists (1e-6: above float rounding). */
    private static final double[] DAMPING = {FIRST_DAMPING, 1e-3, 1e-1, 1.0};

    /**
     * {@code H = diag(s) - Q^T diag(1/Pa) Q} into {@link #gram} (row-major, both triangles) and the gradient
     * {@code s - Pb}. Each row chunk builds its plan rows {@code q_ij = a_i M_ij b_j} and their Gram matrix (one
     * SYRK); the chunks' matrices are added in chunk order, so the result does not depend on the thread count.
     */
    void hessian(double[] kernel, double[] a, double[] b, double[] columns, double[] gradient) {
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
        for (int p = 0; p < kx; p++) {
            for (int r = p + 1; r < kx; r++) {
                gram[r * kx + p] = gram[p * kx + r];
            }
            double s = b[p] * columns[p];
            gram[p * kx + p] += s;
            gradient[p] = s - columnMass[p];
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
         * Solves {@code (A + RELATIVE_SHIFT max(diag A) I) x = rhs} for a symmetric positive definite d x d
         * row-major A (overwritten by its factor); x replaces rhs.
         *
         * @return false when a pivot is not positive
         */
        static boolean solveInPlace(double[] a, int d, double[] rhs) {
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
            return true;
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
         * as it was.
         */
        static void ssyrk(int m, int k, float alpha, float[] a, int offset, float[] c) {
            dev.ludovic.netlib.blas.BLAS.getInstance().ssyrk("L", "N", m, k, alpha, a, offset, m, 0.0f, c, 0, m);
        }
    }
}
