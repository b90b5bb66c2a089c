package org.sp2ot.solver.bench;

import java.util.SplittableRandom;

/**
 * Synthetic logits shaped like the training's cosine head (ALGORITHM.md §4): {@code logits = 10 cos(x_i, w_j)} with
 * unit prototypes w_j and unit samples x_i drawn around the prototype of a latent class, so that
 * {@code P = softmax(logits)} has the peakedness of a trained head. Classes are uniform or long-tailed with
 * imbalance ratio 100 ({@code p_c ∝ 0.01^(c/(K-1))}, as CIFAR-100-LT). Seed-determined.
 */
public final class BenchInputs {
    /** Feature dimension of the synthetic features. */
    public static final int DIM = 64;
    /** Scale of the cosine head (ALGORITHM.md §4). */
    public static final double SCALE = 10.0;
    /** Noise around the class prototype; cos(x, own prototype) is then about 0.7. */
    public static final double NOISE = 1.0;

    private BenchInputs() {
    }

    /**
     * Row-major n*k cosine-head logits.
     *
     * @param longTailed draw latent classes with imbalance 100 instead of uniformly
     */
    public static float[] cosineLogits(int n, int k, boolean longTailed, long seed) {
        return cosineLogits(n, k, longTailed, seed, null);
    }

    /**
     * Row-major n*k cosine-head logits, and the latent class of each row into {@code classes} (n entries) unless it
     * is null.
     */
    public static float[] cosineLogits(int n, int k, boolean longTailed, long seed, int[] classes) {
        if (n < 1 || k < 1) {
            throw new IllegalArgumentException("need n >= 1 and k >= 1, got n=" + n + ", k=" + k);
        }
        SplittableRandom random = new SplittableRandom(seed);
        double[][] prototypes = new double[k][];
        for (int j = 0; j < k; j++) {
            prototypes[j] = unitGaussian(random, 0.0, null);
        }
        double[] cumulative = classCumulative(k, longTailed);
        float[] logits = new float[n * k];
        for (int i = 0; i < n; i++) {
            int c = draw(cumulative, random.nextDouble());
            if (classes != null) {
                classes[i] = c;
            }
            double[] x = unitGaussian(random, NOISE, prototypes[c]);
            for (int j = 0; j < k; j++) {
                double cos = 0;
                for (int d = 0; d < DIM; d++) {
                    cos += x[d] * prototypes[j][d];
                }
                logits[i * k + j] = (float) (SCALE * cos);
            }
        }
        return logits;
    }

    /**
     * A k-NN-like graph over rows with latent classes: each row gets {@code degree} distinct neighbours of its own
     * class (any rows when the class is too small), weights uniform in (0.5, 1] as a Gaussian kernel of close
     * neighbours gives. Seed-determined.
     */
    public static org.sp2ot.solver.KnnGraph classGraph(int[] classes, int degree, long seed) {
        int n = classes.length;
        if (degree < 1 || degree >= n) {
            throw new IllegalArgumentException("graph degree must lie in 1..n-1=" + (n - 1) + ", got " + degree);
        }
        java.util.Map<Integer, java.util.List<Integer>> members = new java.util.HashMap<>();
        for (int i = 0; i < n; i++) {
            members.computeIfAbsent(classes[i], c -> new java.util.ArrayList<>()).add(i);
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[] neighbors = new int[n * degree];
        float[] weights = new float[n * degree];
        for (int i = 0; i < n; i++) {
            java.util.List<Integer> pool = members.get(classes[i]);
            boolean own = pool.size() > degree;
            java.util.Set<Integer> chosen = new java.util.HashSet<>();
            for (int r = 0; r < degree; r++) {
                int j;
                do {
                    j = own ? pool.get(random.nextInt(pool.size())) : random.nextInt(n);
                } while (j == i || !chosen.add(j));
                neighbors[i * degree + r] = j;
                weights[i * degree + r] = (float) (1.0 - 0.5 * random.nextDouble());
            }
        }
        return new org.sp2ot.solver.KnnGraph(n, degree, neighbors, weights);
    }

    private static double[] classCumulative(int k, boolean longTailed) {
        double[] cumulative = new double[k];
        double total = 0;
        for (int c = 0; c < k; c++) {
            total += longTailed && k > 1 ? Math.pow(0.01, c / (double) (k - 1)) : 1.0;
            cumulative[c] = total;
        }
        for (int c = 0; c < k; c++) {
            cumulative[c] /= total;
        }
        return cumulative;
    }

    private static int draw(double[] cumulative, double p) {
        for (int c = 0; c < cumulative.length; c++) {
            if (p < cumulative[c]) {
                return c;
            }
        }
        return cumulative.length - 1;
    }

    /** A unit vector {@code normalize(center + noise * g / sqrt(DIM))}, g standard normal (center null: pure noise). */
    private static double[] unitGaussian(SplittableRandom random, double noise, double[] center) {
        double[] x = new double[DIM];
        double norm = 0;
        double scale = center == null ? 1.0 : noise / Math.sqrt(DIM);
        for (int d = 0; d < DIM; d++) {
            double g = gaussian(random) * scale;
            x[d] = (center == null ? 0.0 : center[d]) + g;
            norm += x[d] * x[d];
        }
        norm = Math.sqrt(norm);
        for (int d = 0; d < DIM; d++) {
            x[d] /= norm;
        }
        return x;
    }

    private static double gaussian(SplittableRandom random) {
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
