package org.sp2ot.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.IntStream;

import dev.ludovic.netlib.lapack.LAPACK;
import org.netlib.util.intW;

/**
 * The fitted feature transform applied before the head (issue 9, "preprocessing"): {@code y = P (x - mu)}, then
 * optionally {@code y / ||y||}. It is fitted once on the training rows, applied to them for training, saved with the
 * model and applied by the model's predictor to every row it assigns, so training and assignment see the same
 * features. The k-NN graph is not affected: it stays on the raw features, whose scale the Gaussian kernel of
 * ALGORITHM.md §3 expects (§9).
 *
 * <ul>
 *   <li>{@code center}: {@code mu} = the training mean (else 0);</li>
 *   <li>{@code pcaDim > 0}: {@code P} = the top {@code pcaDim} principal directions of the centred training rows
 *       (eigenvectors of the covariance, LAPACK {@code dsyev}), each scaled by {@code 1/sqrt(lambda + 1e-8 *
 *       lambda_max)} when {@code whiten} (unit variance per component); PCA always centres;</li>
 *   <li>{@code l2}: rows scaled to unit norm last.</li>
 * </ul>
 *
 * @param inDim the raw feature dimension
 * @param mean {@code inDim} values (zeros when not centring)
 * @param projection {@code outDim x inDim} row-major, or null for the identity
 * @param l2 whether rows are L2-normalised last
 */
public record FeaturePreprocessing(int inDim, float[] mean, float[] projection, boolean l2) implements Serializable {

    /**
     * What to fit.
     *
     * @param center subtract the training mean
     * @param pcaDim project to this many principal components (0 = no projection)
     * @param whiten scale each component to unit variance (with {@code pcaDim > 0})
     * @param l2 L2-normalise the result
     */
    public record Spec(boolean center, int pcaDim, boolean whiten, boolean l2) implements Serializable {
        /** No preprocessing: the head sees the raw features. */
        public static final Spec NONE = new Spec(false, 0, false, false);

        public Spec {
            if (pcaDim < 0) {
                throw new IllegalArgumentException("preprocess pca-dim must be >= 0 (0 = none), got " + pcaDim);
            }
            if (whiten && pcaDim == 0) {
                throw new IllegalArgumentException("preprocess whiten needs pca-dim > 0 (whitening is per component)");
            }
        }

        /** Whether the transform is the identity. */
        public boolean isIdentity() {
            return !center && pcaDim == 0 && !l2;
        }

        /** e.g. {@code center+pca64-whiten+l2}, or {@code none}. */
        public String describe() {
            if (isIdentity()) {
                return "none";
            }
            StringBuilder text = new StringBuilder();
            if (center || pcaDim > 0) {
                text.append("center");
            }
            if (pcaDim > 0) {
                text.append(String.format(Locale.ROOT, "+pca%d%s", pcaDim, whiten ? "-whiten" : ""));
            }
            if (l2) {
                text.append(text.length() == 0 ? "l2" : "+l2");
            }
            return text.toString();
        }
    }

    public FeaturePreprocessing {
        if (mean.length != inDim) {
            throw new IllegalArgumentException("preprocessing mean has " + mean.length + " values, expected " + inDim);
        }
        if (projection != null && (projection.length == 0 || projection.length % inDim != 0)) {
            throw new IllegalArgumentException("preprocessing projection has " + projection.length
                    + " values, not a multiple of the input dimension " + inDim);
        }
    }

    /** The identity on {@code dim} features. */
    public static FeaturePreprocessing identity(int dim) {
        return new FeaturePreprocessing(dim, new float[dim], null, false);
    }

    /** Whether {@link #apply} returns its input unchanged. */
    public boolean isIdentity() {
        if (projection != null || l2) {
            return false;
        }
        for (float m : mean) {
            if (m != 0) {
                return false;
            }
        }
        return true;
    }

    /** The dimension of the transformed rows. */
    public int outDim() {
        return projection == null ? inDim : projection.length / inDim;
    }

    /**
     * Fits the transform on {@code n} training rows.
     *
     * @throws IllegalArgumentException when {@code pcaDim} exceeds the feature dimension or the row count
     */
    public static FeaturePreprocessing fit(float[] x, int n, int dim, Spec spec) {
        if (spec.pcaDim() > dim || spec.pcaDim() > n) {
            throw new IllegalArgumentException("preprocess pca-dim = " + spec.pcaDim() + " exceeds the feature "
                    + "dimension " + dim + " or the " + n + " training rows; lower it");
        }
        float[] mean = new float[dim];
        if (spec.center() || spec.pcaDim() > 0) {
            double[] sums = new double[dim];
            for (int i = 0; i < n; i++) {
                for (int d = 0; d < dim; d++) {
                    sums[d] += x[i * dim + d];
                }
            }
            for (int d = 0; d < dim; d++) {
                mean[d] = (float) (sums[d] / n);
            }
        }
        float[] projection = spec.pcaDim() > 0 ? principalProjection(x, n, dim, mean, spec.pcaDim(), spec.whiten())
                : null;
        return new FeaturePreprocessing(dim, mean, projection, spec.l2());
    }

    /** The top {@code p} eigenvectors of the covariance as rows, scaled to unit variance when whitening. */
    static float[] principalProjection(float[] x, int n, int dim, float[] mean, int p, boolean whiten) {
        double[] cov = new double[dim * dim];
        IntStream.range(0, dim).parallel().forEach(a -> {
            for (int i = 0; i < n; i++) {
                double xa = x[i * dim + a] - mean[a];
                if (xa == 0) {
                    continue;
                }
                int row = i * dim;
                for (int b = a; b < dim; b++) {
                    cov[a * dim + b] += xa * (x[row + b] - mean[b]);
                }
            }
        });
        for (int a = 0; a < dim; a++) {
            for (int b = a; b < dim; b++) {
                cov[a * dim + b] /= Math.max(1, n - 1);
                cov[b * dim + a] = cov[a * dim + b];
            }
        }
        double[] eigenvalues = new double[dim];
        double[] work = new double[1];
        intW info = new intW(0);
        LAPACK lapack = LAPACK.getInstance();
        lapack.dsyev("V", "U", dim, cov, dim, eigenvalues, work, -1, info);
        work = new double[(int) work[0]];
        lapack.dsyev("V", "U", dim, cov, dim, eigenvalues, work, work.length, info);
        if (info.val != 0) {
            throw new IllegalStateException("the eigendecomposition of the feature covariance failed (LAPACK dsyev "
                    + "info " + info.val + "); check the features for NaN or use preprocess pca-dim = 0");
        }
        // dsyev: ascending eigenvalues, eigenvector j in column j (column-major = row j of the row-major array)
        double largest = Math.max(eigenvalues[dim - 1], 0);
        float[] projection = new float[p * dim];
        for (int c = 0; c < p; c++) {
            int j = dim - 1 - c;
            double scale = whiten ? 1 / Math.sqrt(Math.max(eigenvalues[j], 0) + 1e-8 * largest + 1e-30) : 1;
            int sign = signOfLargest(cov, j * dim, dim);
            for (int d = 0; d < dim; d++) {
                projection[c * dim + d] = (float) (sign * cov[j * dim + d] * scale);
            }
        }
        return projection;
    }

    /** +1 or -1 so that the largest-magnitude entry of the vector is positive (a deterministic sign). */
    private static int signOfLargest(double[] v, int offset, int length) {
        int best = 0;
        for (int d = 1; d < length; d++) {
            if (Math.abs(v[offset + d]) > Math.abs(v[offset + best])) {
                best = d;
            }
        }
        return v[offset + best] < 0 ? -1 : 1;
    }

    /** One row transformed. */
    public float[] apply(float[] row) {
        if (row.length != inDim) {
            throw new IllegalArgumentException("the preprocessing expects " + inDim + " features, got " + row.length);
        }
        float[] out = new float[outDim()];
        applyInto(row, 0, out, 0);
        return out;
    }

    /** {@code n} rows transformed (row-major in, row-major out of {@link #outDim()}). */
    public float[] applyAll(float[] x, int n) {
        if (x.length != n * inDim) {
            throw new IllegalArgumentException("the preprocessing expects " + n + " x " + inDim + " values, got "
                    + x.length);
        }
        if (isIdentity()) {
            return x.clone();
        }
        int out = outDim();
        float[] y = new float[n * out];
        IntStream.range(0, n).parallel().forEach(i -> applyInto(x, i * inDim, y, i * out));
        return y;
    }

    private void applyInto(float[] x, int offset, float[] y, int outOffset) {
        int out = outDim();
        if (projection == null) {
            for (int d = 0; d < inDim; d++) {
                y[outOffset + d] = x[offset + d] - mean[d];
            }
        } else {
            float[] centred = new float[inDim];
            for (int d = 0; d < inDim; d++) {
                centred[d] = x[offset + d] - mean[d];
            }
            for (int c = 0; c < out; c++) {
                y[outOffset + c] = (float) ClusterHead.dot(projection, c * inDim, centred, 0, inDim);
            }
        }
        if (l2) {
            double norm = Math.sqrt(ClusterHead.dot(y, outOffset, y, outOffset, out));
            if (norm > ClusterHead.NORM_FLOOR) {
                for (int c = 0; c < out; c++) {
                    y[outOffset + c] = (float) (y[outOffset + c] / norm);
                }
            }
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FeaturePreprocessing p && p.inDim == inDim && p.l2 == l2
                && Arrays.equals(p.mean, mean) && Arrays.equals(p.projection, projection);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(mean) + Arrays.hashCode(projection)) + Boolean.hashCode(l2);
    }

    @Override
    public String toString() {
        return "FeaturePreprocessing[inDim=" + inDim + ", outDim=" + outDim() + ", centred="
                + !isZero(mean) + ", projected=" + (projection != null) + ", l2=" + l2 + "]";
    }

    private static boolean isZero(float[] values) {
        for (float v : values) {
            if (v != 0) {
                return false;
            }
        }
        return true;
    }
}
