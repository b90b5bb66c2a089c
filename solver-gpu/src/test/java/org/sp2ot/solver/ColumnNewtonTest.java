package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The Newton phase's formulas, for an equality-column problem (OT, POT: the last scaling held) and a KL-relaxed one
 * (P2OT: 5 relaxed columns and the virtual equality column): the objective against the semi-dual written out from
 * the potentials, its slope against the gradient, the Hessian against finite differences of the gradient, the
 * direction as the solution of the damped system, and the power step's fixed point as the zero of the gradient.
 * Tolerance: the Gram matrix is taken in float32 (SYRK), so entries agree to about 1e-6 of the largest one.
 */
class ColumnNewtonTest {
    private static final int N = 40;
    private static final int KX = 6;
    private static final double ROW_MASS = 1.0 / N;
    private static final double[] COLUMN_MASS = {0.3, 0.25, 0.2, 0.1, 0.1, 0.05};
    private static final double EPS = 0.1;
    private static final double GAMMA = 1.0;
    private static final double FI = GAMMA / (GAMMA + EPS);
    /** Column potentials v of the stabilised kernel (they enter the relaxed columns' targets). */
    private static final double[] V = {0.12, -0.3, 0.05, 0.21, -0.08, 0.0};
    private static final double[] X = {0.3, -0.2, 0.5, 0.1, -0.4, 0.0};

    /** The two kinds of problem: every column an equality, or the first KX-1 KL-relaxed. */
    enum Kind {
        EQUALITY(0, 1.0), RELAXED(KX - 1, FI);

        final int relaxed;
        final double fi;

        Kind(int relaxed, double fi) {
            this.relaxed = relaxed;
            this.fi = fi;
        }

        ColumnNewton workspace(int threads) {
            return new ColumnNewton(N, KX, ROW_MASS, COLUMN_MASS, relaxed, fi, new ChunkRunner(threads));
        }

        /** The power step's log weights {@code v_j (fi - 1) / eps}, as FastScaling computes them. */
        double[] logWeights() {
            double[] w = new double[KX];
            for (int j = 0; j < relaxed; j++) {
                w[j] = V[j] * (fi - 1) / EPS;
            }
            return w;
        }

        /**
         * The semi-dual written from the column potentials {@code g = v + eps x}: {@code sum_i Pa log (M e^x)_i}
         * minus {@code Pb_j x_j} per equality column plus {@code (gamma / eps) Pb_j exp(-g_j / gamma)} per relaxed one.
         */
        double semiDual(double[] m, double[] x) {
            double[] b = exp(x);
            double sum = 0;
            for (int i = 0; i < N; i++) {
                double row = 0;
                for (int j = 0; j < KX; j++) {
                    row += m[i * KX + j] * b[j];
                }
                sum += ROW_MASS * Math.log(row);
            }
            for (int j = 0; j < KX; j++) {
                sum += j < relaxed ? GAMMA / EPS * COLUMN_MASS[j] * Math.exp(-(V[j] + EPS * x[j]) / GAMMA)
                        : -COLUMN_MASS[j] * x[j];
            }
            return sum;
        }

        /** The gradient from the same potentials: {@code s_j - Pb_j exp(-g_j / gamma)} relaxed, {@code s_j - Pb_j}. */
        double[] gradient(double[] m, double[] x) {
            double[] s = columnSums(m, x);
            for (int j = 0; j < KX; j++) {
                s[j] -= j < relaxed ? COLUMN_MASS[j] * Math.exp(-(V[j] + EPS * x[j]) / GAMMA) : COLUMN_MASS[j];
            }
            return s;
        }
    }

    private static double[] kernel() {
        SplittableRandom random = new SplittableRandom(5);
        double[] m = new double[N * KX];
        for (int i = 0; i < m.length; i++) {
            m[i] = (float) Math.exp(-4 * random.nextDouble());
        }
        return m;
    }

    /** Exact rows at b: a_i = Pa / (M b)_i. */
    private static double[] rows(double[] m, double[] b) {
        return rows(m, b, N, KX);
    }

    /** Exact rows of an n x kx kernel at b, with Pa = 1/n. */
    private static double[] rows(double[] m, double[] b, int n, int kx) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < kx; j++) {
                sum += m[i * kx + j] * b[j];
            }
            a[i] = (1.0 / n) / sum;
        }
        return a;
    }

    /** M^T a, what the fused pass reports. */
    private static double[] columns(double[] m, double[] a) {
        return columns(m, a, N, KX);
    }

    /** M^T a of an n x kx kernel. */
    private static double[] columns(double[] m, double[] a, int n, int kx) {
        double[] c = new double[kx];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < kx; j++) {
                c[j] += a[i] * m[i * kx + j];
            }
        }
        return c;
    }

    /** Column sums of the plan with exact rows at b = e^x. */
    private static double[] columnSums(double[] m, double[] x) {
        double[] b = exp(x);
        double[] c = columns(m, rows(m, b));
        for (int j = 0; j < KX; j++) {
            c[j] *= b[j];
        }
        return c;
    }

    private static double[] exp(double[] x) {
        double[] b = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            b[j] = Math.exp(x[j]);
        }
        return b;
    }

    /** A copy of x with coordinate l moved by {@code by} (a finite-difference point). */
    private static double[] shifted(double[] x, int l, double by) {
        double[] out = x.clone();
        out[l] += by;
        return out;
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theObjectiveIsTheSemiDualOfThePotentials(Kind kind) {
        double[] m = kernel();
        double[] b = exp(X);
        double objective = kind.workspace(1).objective(rows(m, b), b, kind.logWeights());
        assertEquals(kind.semiDual(m, X), objective, 1e-13);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theHessianIsTheJacobianOfTheGradient(Kind kind) {
        double[] m = kernel();
        double[] b = exp(X);
        double[] a = rows(m, b);
        ColumnNewton newton = kind.workspace(2);
        double[] gradient = new double[KX];
        newton.hessian(m, a, b, columns(m, a), kind.logWeights(), gradient);
        double[] h = newton.hessianView();
        double largest = 0;
        for (double v : h) {
            largest = Math.max(largest, Math.abs(v));
        }
        double step = 1e-6;
        for (int l = 0; l < KX; l++) {
            double[] up = kind.gradient(m, shifted(X, l, step));
            double[] down = kind.gradient(m, shifted(X, l, -step));
            for (int j = 0; j < KX; j++) {
                double numeric = (up[j] - down[j]) / (2 * step);
                assertEquals(numeric, h[j * KX + l], 2e-6 * largest, "H[" + j + "][" + l + "]");
            }
        }
        double[] expected = kind.gradient(m, X);
        for (int j = 0; j < KX; j++) {
            assertEquals(expected[j], gradient[j], 1e-15, "gradient " + j);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theObjectivesSlopeIsTheGradient(Kind kind) {
        double[] m = kernel();
        ColumnNewton newton = kind.workspace(1);
        double[] gradient = kind.gradient(m, X);
        double step = 1e-6;
        for (int l = 0; l < KX; l++) {
            double[] up = shifted(X, l, step);
            double[] down = shifted(X, l, -step);
            double slope = (newton.objective(rows(m, exp(up)), exp(up), kind.logWeights())
                    - newton.objective(rows(m, exp(down)), exp(down), kind.logWeights())) / (2 * step);
            assertEquals(gradient[l], slope, 1e-8, "d phi / d x_" + l);
        }
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void theDirectionSolvesTheDampedSystemWithTheLastScalingHeldOnlyForEqualities(Kind kind) {
        double[] m = kernel();
        double[] b = exp(X);
        double[] a = rows(m, b);
        ColumnNewton newton = kind.workspace(2);
        double[] gradient = new double[KX];
        double[] direction = new double[KX];
        assertTrue(newton.direction(m, a, b, columns(m, a), kind.logWeights(), gradient, direction));
        int free = kind == Kind.EQUALITY ? KX - 1 : KX;
        if (kind == Kind.EQUALITY) {
            assertEquals(0.0, direction[KX - 1]);
        }
        double[] h = newton.hessianView();
        double[] s = columnSums(m, X);
        for (int p = 0; p < free; p++) {
            double lhs = ColumnNewton.FIRST_DAMPING * s[p] * direction[p];
            for (int r = 0; r < free; r++) {
                lhs += h[p * KX + r] * direction[r];
            }
            assertEquals(gradient[p], lhs, 1e-9 * Math.abs(gradient[p]) + 1e-14, "row " + p + " of H d = g");
        }
    }

    /**
     * The plain power-step iteration {@code b_j = (Pb_j / (M^T a)_j)^fi w_j} run to its fixed point: there the
     * gradient of the relaxed semi-dual vanishes, so Newton and the scaling iteration share their fixed point.
     */
    @org.junit.jupiter.api.Test
    void thePowerStepsFixedPointIsWhereTheRelaxedGradientVanishes() {
        double[] m = kernel();
        double[] logW = Kind.RELAXED.logWeights();
        double[] b = new double[KX];
        java.util.Arrays.fill(b, 1.0);
        for (int pass = 0; pass < 5000; pass++) {
            double[] c = columns(m, rows(m, b));
            for (int j = 0; j < KX; j++) {
                double plain = COLUMN_MASS[j] / c[j];
                b[j] = j < Kind.RELAXED.relaxed ? Math.exp(FI * Math.log(plain) + logW[j]) : plain;
            }
        }
        double[] x = new double[KX];
        for (int j = 0; j < KX; j++) {
            x[j] = Math.log(b[j]);
        }
        double[] a = rows(m, b);
        double[] gradient = new double[KX];
        Kind.RELAXED.workspace(1).hessian(m, a, b, columns(m, a), logW, gradient);
        for (int j = 0; j < KX; j++) {
            assertEquals(0.0, gradient[j], 1e-12, "gradient " + j + " at the power step's fixed point");
        }
    }

    @org.junit.jupiter.api.Test
    void newtonPaysWhenTheResidualStallsOrContractsTooSlowlyForTheRemainingPasses() {
        assertTrue(ColumnNewton.pays(1e-3, 2e-3, 1e-6), "a growing residual");
        assertTrue(ColumnNewton.pays(1e-3, 5e-4, 1e-6), "halving every 5 passes: about 45 passes to go");
        assertTrue(!ColumnNewton.pays(1e-3, 1e-5, 1e-6), "a factor 100 in 5 passes: about 3 passes to go");
    }

    /** Fewer rows than the runner has chunks (a small bank): empty chunks add nothing to the Hessian. */
    @org.junit.jupiter.api.Test
    void theHessianOfFewerRowsThanChunksIsTheDirectSum() {
        int rows = 3;
        int kx = 4;
        double[] m = {1.0, 0.5, 0.25, 0.1, 0.2, 1.0, 0.3, 0.6, 0.9, 0.05, 1.0, 0.4};
        double[] b = {1.0, 0.8, 1.3, 0.7};
        double[] a = rows(m, b, rows, kx);
        double[] columns = columns(m, a, rows, kx);
        double[] mass = {0.25, 0.25, 0.25, 0.25};
        ColumnNewton newton = new ColumnNewton(rows, kx, 1.0 / rows, mass, new ChunkRunner(2));
        newton.hessian(m, a, b, columns, new double[kx], new double[kx]);
        double[] h = newton.hessianView();
        for (int p = 0; p < kx; p++) {
            for (int r = 0; r < kx; r++) {
                double expected = p == r ? b[p] * columns[p] : 0.0;
                for (int i = 0; i < rows; i++) {
                    expected -= rows * (a[i] * m[i * kx + p] * b[p]) * (a[i] * m[i * kx + r] * b[r]);
                }
                assertEquals(expected, h[p * kx + r], 1e-6, "H[" + p + "][" + r + "]");
            }
        }
    }
}
