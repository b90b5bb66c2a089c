package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The Newton phase's formulas: the Hessian and gradient of the semi-dual against finite differences of the column
 * sums and of the objective, and the direction as the solution of the reduced system. Tolerance: the Gram matrix is
 * taken in float32 (SYRK), so entries agree to about 1e-6 of the largest one.
 */
class ColumnNewtonTest {
    private static final int N = 40;
    private static final int KX = 6;
    private static final double ROW_MASS = 1.0 / N;
    private static final double[] COLUMN_MASS = {0.3, 0.25, 0.2, 0.1, 0.1, 0.05};

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
        double[] a = new double[N];
        for (int i = 0; i < N; i++) {
            double sum = 0;
            for (int j = 0; j < KX; j++) {
                sum += m[i * KX + j] * b[j];
            }
            a[i] = ROW_MASS / sum;
        }
        return a;
    }

    /** M^T a, what the fused pass reports. */
    private static double[] columns(double[] m, double[] a) {
        double[] c = new double[KX];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < KX; j++) {
                c[j] += a[i] * m[i * KX + j];
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

    private static final double[] X = {0.3, -0.2, 0.5, 0.1, -0.4, 0.0};

    /** A copy of x with coordinate l moved by {@code by} (a finite-difference point). */
    private static double[] shifted(double[] x, int l, double by) {
        double[] out = x.clone();
        out[l] += by;
        return out;
    }

    @Test
    void theHessianIsTheJacobianOfTheColumnSumsAndTheGradientTheirExcess() {
        double[] m = kernel();
        double[] b = exp(X);
        double[] a = rows(m, b);
        ColumnNewton newton = new ColumnNewton(N, KX, ROW_MASS, COLUMN_MASS, new ChunkRunner(2));
        double[] gradient = new double[KX];
        newton.hessian(m, a, b, columns(m, a), gradient);
        double[] h = newton.hessianView();
        double[] s = columnSums(m, X);
        double largest = 0;
        for (double v : h) {
            largest = Math.max(largest, Math.abs(v));
        }
        double step = 1e-6;
        for (int l = 0; l < KX; l++) {
            double[] sUp = columnSums(m, shifted(X, l, step));
            double[] sDown = columnSums(m, shifted(X, l, -step));
            for (int j = 0; j < KX; j++) {
                double numeric = (sUp[j] - sDown[j]) / (2 * step);
                assertEquals(numeric, h[j * KX + l], 2e-6 * largest, "H[" + j + "][" + l + "]");
            }
        }
        for (int j = 0; j < KX; j++) {
            assertEquals(s[j] - COLUMN_MASS[j], gradient[j], 1e-15, "gradient " + j);
        }
    }

    @Test
    void theObjectivesSlopeIsTheGradient() {
        double[] m = kernel();
        ColumnNewton newton = new ColumnNewton(N, KX, ROW_MASS, COLUMN_MASS, new ChunkRunner(1));
        double[] s = columnSums(m, X);
        double step = 1e-6;
        for (int l = 0; l < KX; l++) {
            double[] up = shifted(X, l, step);
            double[] down = shifted(X, l, -step);
            double slope = (newton.objective(rows(m, exp(up)), exp(up))
                    - newton.objective(rows(m, exp(down)), exp(down))) / (2 * step);
            assertEquals(s[l] - COLUMN_MASS[l], slope, 1e-8, "d phi / d x_" + l);
        }
    }

    @Test
    void theDirectionSolvesTheReducedDampedSystemWithTheLastScalingHeld() {
        double[] m = kernel();
        double[] b = exp(X);
        double[] a = rows(m, b);
        ColumnNewton newton = new ColumnNewton(N, KX, ROW_MASS, COLUMN_MASS, new ChunkRunner(2));
        double[] gradient = new double[KX];
        double[] direction = new double[KX];
        assertTrue(newton.direction(m, a, b, columns(m, a), gradient, direction));
        assertEquals(0.0, direction[KX - 1]);
        double[] h = newton.hessianView();
        for (int p = 0; p < KX - 1; p++) {
            double lhs = ColumnNewton.FIRST_DAMPING * (gradient[p] + COLUMN_MASS[p]) * direction[p];
            for (int r = 0; r < KX - 1; r++) {
                lhs += h[p * KX + r] * direction[r];
            }
            assertEquals(gradient[p], lhs, 1e-9 * Math.abs(gradient[p]) + 1e-14, "row " + p + " of H d = g");
        }
    }
}
