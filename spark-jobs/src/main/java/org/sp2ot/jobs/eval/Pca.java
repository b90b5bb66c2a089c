package org.sp2ot.jobs.eval;

import java.util.Random;

/**
 * A two-dimensional map of feature rows: their projection on the two leading principal components, found by power
 * iteration on the covariance (with deflation of the first), without forming the d x d matrix. Pure arithmetic.
 */
public final class Pca {

    private static final int ITERATIONS = 200;

    private Pca() {
    }

    /**
     * @param rows n rows of d values, row-major
     * @return n rows of (pc1, pc2), row-major
     */
    public static double[] project2d(float[] rows, int n, int d, long seed) {
        if (n < 1 || d < 1 || rows.length != (long) n * d) {
            throw new IllegalArgumentException("need n x d values, got " + rows.length + " for n=" + n + ", d=" + d);
        }
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += rows[i * d + j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= n;
        }
        Random random = new Random(seed);
        double[] first = leadingComponent(rows, n, d, mean, null, random);
        double[] second = d > 1 ? leadingComponent(rows, n, d, mean, first, random) : new double[d];
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double a = 0;
            double b = 0;
            for (int j = 0; j < d; j++) {
                double centred = rows[i * d + j] - mean[j];
                a += centred * first[j];
                b += centred * second[j];
            }
            out[2 * i] = a;
            out[2 * i + 1] = b;
        }
        return out;
    }

    /** The unit vector maximising the variance of the centred rows, orthogonal to {@code against} when given. */
    static double[] leadingComponent(float[] rows, int n, int d, double[] mean, double[] against, Random random) {
        double[] v = new double[d];
        for (int j = 0; j < d; j++) {
            v[j] = random.nextGaussian();
        }
        orthogonalise(v, against);
        normalise(v);
        double[] scores = new double[n];
        for (int it = 0; it < ITERATIONS; it++) {
            for (int i = 0; i < n; i++) {
                double s = 0;
                for (int j = 0; j < d; j++) {
                    s += (rows[i * d + j] - mean[j]) * v[j];
                }
                scores[i] = s;
            }
            double[] next = new double[d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    next[j] += (rows[i * d + j] - mean[j]) * scores[i];
                }
            }
            orthogonalise(next, against);
            if (normalise(next) == 0) {
                return v;
            }
            double change = 0;
            for (int j = 0; j < d; j++) {
                change = Math.max(change, Math.abs(Math.abs(next[j]) - Math.abs(v[j])));
            }
            v = next;
            if (change < 1e-9) {
                break;
            }
        }
        return v;
    }

    private static void orthogonalise(double[] v, double[] against) {
        if (against == null) {
            return;
        }
        double dot = 0;
        for (int j = 0; j < v.length; j++) {
            dot += v[j] * against[j];
        }
        for (int j = 0; j < v.length; j++) {
            v[j] -= dot * against[j];
        }
    }

    private static double normalise(double[] v) {
        double norm = 0;
        for (double x : v) {
            norm += x * x;
        }
        norm = Math.sqrt(norm);
        if (norm > 0) {
            for (int j = 0; j < v.length; j++) {
                v[j] /= norm;
            }
        }
        return norm;
    }
}
