package org.sp2ot.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The trainable clustering head on frozen features (ALGORITHM.md §4, "Model").
 *
 * <p>{@link HeadKind#COSINE}: {@code z_ij = scale * <x_i/||x_i||, v_j/||v_j||>}. The prototypes are weight-normalised
 * with the gain fixed to 1, so the direction parameters {@code v_j} are what is trained and only their direction
 * matters. {@link HeadKind#LINEAR}: {@code z_ij = <x_i, w_j> + b_j}.
 *
 * <p>Parameters live in one flat array: K rows of {@code dim} (prototype {@code j} at {@code j*dim}), followed for the
 * linear head by K biases. Forward and backward are single-precision GEMMs through native BLAS (netlib's JNI
 * binding to OpenBLAS where installed, its Java fallback otherwise), as the k-NN blocks are: at batch 512, d = 768,
 * K = 1000 that is about 2.4 GFLOP per step. The result is deterministic for a given BLAS library and thread count
 * (a resumed run on the same machine repeats an uninterrupted one bit for bit).
 */
public final class ClusterHead implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Below this norm a feature vector or prototype is treated as having norm {@code NORM_FLOOR} (as torch's normalize). */
    static final double NORM_FLOOR = 1e-12;

    private final HeadKind kind;
    private final int dim;
    private final int k;
    private final double scale;
    private final float[] params;

    /**
     * A head with the given parameters (copied).
     *
     * @param scale the cosine head's logit scale (10 in ALGORITHM.md §4); ignored by the linear head
     * @param params {@link #parameterCount(HeadKind, int, int)} values laid out as described in the class comment
     */
    public ClusterHead(HeadKind kind, int dim, int k, double scale, float[] params) {
        if (dim < 1 || k < 1) {
            throw new IllegalArgumentException("head needs dim >= 1 and k >= 1, got dim=" + dim + ", k=" + k);
        }
        if (params.length != parameterCount(kind, dim, k)) {
            throw new IllegalArgumentException("a " + kind.configName() + " head with dim=" + dim + ", k=" + k + " has "
                    + parameterCount(kind, dim, k) + " parameters, got " + params.length);
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("head scale must be a positive finite number, got " + scale);
        }
        this.kind = kind;
        this.dim = dim;
        this.k = k;
        this.scale = scale;
        this.params = params.clone();
    }

    /**
     * A freshly initialised head, determined by {@code seed}: entries uniform in {@code [-1/sqrt(dim), 1/sqrt(dim)]}
     * (the usual default of a linear layer), biases likewise.
     */
    public static ClusterHead initial(HeadKind kind, int dim, int k, double scale, long seed) {
        if (dim < 1 || k < 1) {
            throw new IllegalArgumentException("head needs dim >= 1 and k >= 1, got dim=" + dim + ", k=" + k);
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] params = new float[parameterCount(kind, dim, k)];
        double bound = 1.0 / Math.sqrt(dim);
        for (int i = 0; i < params.length; i++) {
            params[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return new ClusterHead(kind, dim, k, scale, params);
    }

    /** Number of parameters of a head: {@code k*dim} (cosine) or {@code k*dim + k} (linear). */
    public static int parameterCount(HeadKind kind, int dim, int k) {
        long count = (long) k * dim + (kind == HeadKind.LINEAR ? k : 0);
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("head with dim=" + dim + ", k=" + k + " is too large for one array");
        }
        return (int) count;
    }

    public HeadKind kind() {
        return kind;
    }

    public int dim() {
        return dim;
    }

    public int k() {
        return k;
    }

    public double scale() {
        return scale;
    }

    /** A copy of the flat parameter array. */
    public float[] parameters() {
        return params.clone();
    }

    /** The live parameter array, for the optimiser's in-place update (package-private on purpose). */
    float[] parametersInPlace() {
        return params;
    }

    /** An independent copy of this head. */
    public ClusterHead copy() {
        return new ClusterHead(kind, dim, k, scale, params);
    }

    /**
     * The logits of {@code rows} feature rows ({@code x} row-major, {@code rows*dim}), as a {@code rows*k} array.
     */
    public float[] forward(float[] x, int rows) {
        checkInput(x, rows);
        float[] weights = effectiveWeights();
        float[] logits = new float[rows * k];
        if (rows == 0) {
            return logits;
        }
        // Row-major logits (rows x k) = X (rows x dim) . W^T: column-major logits^T = W (k x dim) . X^T.
        BLAS.getInstance().sgemm("T", "N", k, rows, dim, 1.0f, weights, 0, dim, x, 0, dim, 0.0f, logits, 0, k);
        IntStream.range(0, rows).parallel().forEach(i -> {
            int row = i * k;
            if (kind == HeadKind.COSINE) {
                double factor = rowFactor(x, i);
                for (int j = 0; j < k; j++) {
                    logits[row + j] = (float) (factor * logits[row + j]);
                }
            } else {
                for (int j = 0; j < k; j++) {
                    logits[row + j] += weights[k * dim + j];
                }
            }
        });
        return logits;
    }

    /** The cosine head's {@code scale / ||x_i||} of row i ({@link #NORM_FLOOR} for a zero row). */
    private double rowFactor(float[] x, int i) {
        return scale / Math.max(Math.sqrt(dot(x, i * dim, x, i * dim, dim)), NORM_FLOOR);
    }

    /**
     * The logits of one feature vector stored at {@code x[offset .. offset+dim)} into {@code out[0..k)}; for
     * prediction one row at a time, with {@code effectiveWeights} from {@link #effectiveWeights()} computed once.
     */
    public void logitsOfRow(float[] x, int offset, float[] effectiveWeights, float[] out, int outOffset) {
        if (kind == HeadKind.COSINE) {
            double factor = scale / Math.max(Math.sqrt(dot(x, offset, x, offset, dim)), NORM_FLOOR);
            for (int j = 0; j < k; j++) {
                out[outOffset + j] = (float) (factor * dot(x, offset, effectiveWeights, j * dim, dim));
            }
        } else {
            for (int j = 0; j < k; j++) {
                out[outOffset + j] = (float) (dot(x, offset, effectiveWeights, j * dim, dim) + effectiveWeights[k * dim + j]);
            }
        }
    }

    /**
     * The weights the forward pass multiplies with: for the cosine head the unit prototypes {@code v_j/||v_j||}
     * (weight normalisation with gain 1), for the linear head the parameters themselves (weights then biases).
     */
    public float[] effectiveWeights() {
        if (kind == HeadKind.LINEAR) {
            return params.clone();
        }
        float[] unit = new float[k * dim];
        for (int j = 0; j < k; j++) {
            double inverseNorm = 1.0 / Math.max(Math.sqrt(dot(params, j * dim, params, j * dim, dim)), NORM_FLOOR);
            for (int c = 0; c < dim; c++) {
                unit[j * dim + c] = (float) (params[j * dim + c] * inverseNorm);
            }
        }
        return unit;
    }

    /**
     * The gradient of a loss with respect to this head's parameters, given the gradient {@code dLogits}
     * ({@code rows*k}) of that loss with respect to the logits of {@link #forward(float[], int)} on the same {@code x}.
     *
     * <p>Cosine head, with {@code u_j = v_j/||v_j||} and {@code G_j = scale * sum_i dz_ij x_i/||x_i||}: the gradient
     * through the weight normalisation is {@code dL/dv_j = (G_j - <G_j,u_j> u_j) / ||v_j||} (the component of G_j
     * orthogonal to the prototype, divided by its norm). Linear head: {@code dL/dw_j = sum_i dz_ij x_i},
     * {@code dL/db_j = sum_i dz_ij}.
     */
    public float[] backward(float[] x, int rows, float[] dLogits) {
        checkInput(x, rows);
        if (dLogits.length != rows * k) {
            throw new IllegalArgumentException("dLogits has " + dLogits.length + " values, expected rows*k = " + rows * k);
        }
        float[] grad = new float[params.length];
        if (rows == 0) {
            return grad;
        }
        float[] scaled = dLogits;
        if (kind == HeadKind.COSINE) {
            scaled = new float[rows * k];
            float[] target = scaled;
            IntStream.range(0, rows).parallel().forEach(i -> {
                double factor = rowFactor(x, i);
                for (int j = 0; j < k; j++) {
                    target[i * k + j] = (float) (dLogits[i * k + j] * factor);
                }
            });
        }
        // Row-major G (k x dim) = dZ'^T (k x rows) . X (rows x dim): column-major G^T = X^T . dZ'.
        float[] g = new float[k * dim];
        BLAS.getInstance().sgemm("N", "T", dim, k, rows, 1.0f, x, 0, dim, scaled, 0, k, 0.0f, g, 0, dim);
        IntStream.range(0, k).parallel().forEach(j -> prototypeGradient(g, rows, dLogits, j, grad));
        return grad;
    }

    /**
     * The gradient of a loss with respect to the head's input {@code x} (for a trainable {@link FeatureAdapter} in
     * front of the head), given {@code dLogits} as in {@link #backward}.
     *
     * <p>Cosine head, with {@code n_i = x_i/||x_i||} and {@code g_i = scale * sum_j dz_ij u_j}:
     * {@code dL/dx_i = (g_i - <g_i,n_i> n_i) / ||x_i||}. Linear head: {@code dL/dx_i = sum_j dz_ij w_j}.
     */
    public float[] inputGradient(float[] x, int rows, float[] dLogits) {
        checkInput(x, rows);
        if (dLogits.length != rows * k) {
            throw new IllegalArgumentException("dLogits has " + dLogits.length + " values, expected rows*k = " + rows * k);
        }
        float[] dx = new float[rows * dim];
        if (rows == 0) {
            return dx;
        }
        float[] weights = effectiveWeights();
        // Row-major dX (rows x dim) = dZ (rows x k) . W (k x dim): column-major dX^T = W^T (dim x k) . dZ^T.
        BLAS.getInstance().sgemm("N", "N", dim, rows, k, 1.0f, weights, 0, dim, dLogits, 0, k, 0.0f, dx, 0, dim);
        if (kind == HeadKind.COSINE) {
            IntStream.range(0, rows).parallel().forEach(i -> {
                int row = i * dim;
                double norm = Math.max(Math.sqrt(dot(x, row, x, row, dim)), NORM_FLOOR);
                double along = dot(dx, row, x, row, dim) / norm;
                for (int c = 0; c < dim; c++) {
                    dx[row + c] = (float) ((scale * dx[row + c] - scale * along * x[row + c] / norm) / norm);
                }
            });
        }
        return dx;
    }

    /** Turns {@code G_j} (row j of g) into the gradient of prototype j (and its bias). */
    private void prototypeGradient(float[] g, int rows, float[] dLogits, int j, float[] grad) {
        int base = j * dim;
        if (kind == HeadKind.COSINE) {
            double norm = Math.max(Math.sqrt(dot(params, base, params, base, dim)), NORM_FLOOR);
            double projection = dot(g, base, params, base, dim) / norm;
            for (int c = 0; c < dim; c++) {
                grad[base + c] = (float) ((g[base + c] - projection * params[base + c] / norm) / norm);
            }
        } else {
            System.arraycopy(g, base, grad, base, dim);
            double biasGrad = 0;
            for (int i = 0; i < rows; i++) {
                biasGrad += dLogits[i * k + j];
            }
            grad[k * dim + j] = (float) biasGrad;
        }
    }

    private void checkInput(float[] x, int rows) {
        if (rows < 0 || x.length < (long) rows * dim) {
            throw new IllegalArgumentException("features hold " + x.length + " values, fewer than rows*dim = "
                    + (long) rows * dim + " (rows=" + rows + ", dim=" + dim + ")");
        }
    }

    static double dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int c = 0;
        for (; c + 3 < length; c += 4) {
            s0 += (double) a[aOffset + c] * b[bOffset + c];
            s1 += (double) a[aOffset + c + 1] * b[bOffset + c + 1];
            s2 += (double) a[aOffset + c + 2] * b[bOffset + c + 2];
            s3 += (double) a[aOffset + c + 3] * b[bOffset + c + 3];
        }
        for (; c < length; c++) {
            s0 += (double) a[aOffset + c] * b[bOffset + c];
        }
        return (s0 + s1) + (s2 + s3);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ClusterHead head && head.kind == kind && head.dim == dim && head.k == k
                && head.scale == scale && Arrays.equals(head.params, params);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(params) + kind.hashCode() * 7 + dim * 3 + k;
    }

    @Override
    public String toString() {
        return kind.configName() + " head(dim=" + dim + ", k=" + k + (kind == HeadKind.COSINE ? ", scale=" + scale : "") + ")";
    }
}
