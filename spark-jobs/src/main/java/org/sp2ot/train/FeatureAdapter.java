package org.sp2ot.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The trainable adapter between the frozen features and the head (issue 9, "a trainable adapter ... the analog of
 * the paper's fine-tuned block"; ALGORITHM.md §4 notes the paper fine-tunes the backbone's last block): a residual MLP
 * {@code y = x + W2 relu(W1 x + b1) + b2} with {@code W1} ({@code hidden x dim}), {@code b1}, {@code W2}
 * ({@code dim x hidden}) and {@code b2}.
 *
 * <p>{@link #initial} sets {@code W2 = 0} and {@code b2 = 0}, so the untrained adapter is the identity and training
 * starts exactly where the head alone starts (a k-means-initialised head keeps its k-means start); {@code W1} and
 * {@code b1} are uniform in {@code [-1/sqrt(dim), 1/sqrt(dim)]} (a linear layer's default), so the hidden units carry
 * signal and {@code W2} receives a gradient from the first step.
 *
 * <p>Parameters live in one flat array: {@code W1} row-major, {@code b1}, {@code W2} row-major, {@code b2}. Forward
 * and backward are single-precision GEMMs through native BLAS, as {@link ClusterHead}'s are. {@link #identity} (no
 * hidden units) is the "no adapter" case and returns its input.
 */
public final class FeatureAdapter implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int dim;
    private final int hidden;
    private final float[] params;

    /**
     * An adapter with the given parameters (copied).
     *
     * @param hidden hidden units (0 = the identity, with no parameters)
     * @param params {@link #parameterCount(int, int)} values laid out as in the class comment
     */
    public FeatureAdapter(int dim, int hidden, float[] params) {
        if (dim < 1 || hidden < 0) {
            throw new IllegalArgumentException("adapter needs dim >= 1 and hidden >= 0, got dim=" + dim + ", hidden="
                    + hidden);
        }
        if (params.length != parameterCount(dim, hidden)) {
            throw new IllegalArgumentException("an adapter with dim=" + dim + ", hidden=" + hidden + " has "
                    + parameterCount(dim, hidden) + " parameters, got " + params.length);
        }
        for (float p : params) {
            if (!Float.isFinite(p)) {
                throw new IllegalArgumentException("adapter parameters must be finite, found " + p);
            }
        }
        this.dim = dim;
        this.hidden = hidden;
        this.params = params.clone();
    }

    /** The "no adapter" case: {@link #forward} returns its input. */
    public static FeatureAdapter identity(int dim) {
        return new FeatureAdapter(dim, 0, new float[0]);
    }

    /** A fresh residual MLP, determined by {@code seed}: {@code W1, b1} uniform, {@code W2 = 0, b2 = 0} (the identity). */
    public static FeatureAdapter initial(int dim, int hidden, long seed) {
        if (hidden < 1) {
            throw new IllegalArgumentException("adapter hidden units must be >= 1, got " + hidden);
        }
        float[] params = new float[parameterCount(dim, hidden)];
        SplittableRandom random = new SplittableRandom(seed ^ 0xADA97E11L);
        double bound = 1.0 / Math.sqrt(dim);
        for (int i = 0; i < hidden * dim + hidden; i++) {
            params[i] = (float) ((random.nextDouble() * 2 - 1) * bound);
        }
        return new FeatureAdapter(dim, hidden, params);
    }

    /** {@code 2 * hidden * dim + hidden + dim}, or 0 without hidden units. */
    public static int parameterCount(int dim, int hidden) {
        if (hidden == 0) {
            return 0;
        }
        long count = 2L * hidden * dim + hidden + dim;
        if (count > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("adapter with dim=" + dim + ", hidden=" + hidden + " is too large");
        }
        return (int) count;
    }

    public int dim() {
        return dim;
    }

    public int hidden() {
        return hidden;
    }

    /** Whether this adapter has no hidden units (returns its input). */
    public boolean isIdentity() {
        return hidden == 0;
    }

    /** A copy of the flat parameter array. */
    public float[] parameters() {
        return params.clone();
    }

    /** The live parameter array, for the optimiser's in-place update (package-private on purpose). */
    float[] parametersInPlace() {
        return params;
    }

    /** The forward pass of a batch: the output and the hidden pre-activations the backward pass needs. */
    public record Pass(float[] output, float[] preActivation, int rows) {
    }

    /** The adapted rows of {@code x} ({@code rows*dim} row-major); {@code x} itself for the identity. */
    public float[] apply(float[] x, int rows) {
        return forward(x, rows).output();
    }

    /** The forward pass of {@code rows} rows ({@code x} row-major {@code rows*dim}). */
    public Pass forward(float[] x, int rows) {
        checkInput(x, rows);
        if (hidden == 0 || rows == 0) {
            return new Pass(hidden == 0 ? x : new float[0], new float[0], rows);
        }
        BLAS blas = BLAS.getInstance();
        int b1 = hidden * dim;
        int w2 = b1 + hidden;
        int b2 = w2 + dim * hidden;
        float[] pre = new float[rows * hidden];
        // Row-major pre (rows x hidden) = X . W1^T: column-major pre^T = W1 (hidden x dim) . X^T.
        blas.sgemm("T", "N", hidden, rows, dim, 1.0f, params, 0, dim, x, 0, dim, 0.0f, pre, 0, hidden);
        float[] activation = new float[rows * hidden];
        float[] y = new float[rows * dim];
        IntStream.range(0, rows).parallel().forEach(i -> {
            for (int h = 0; h < hidden; h++) {
                float value = pre[i * hidden + h] + params[b1 + h];
                pre[i * hidden + h] = value;
                activation[i * hidden + h] = value > 0 ? value : 0;
            }
            for (int d = 0; d < dim; d++) {
                y[i * dim + d] = x[i * dim + d] + params[b2 + d];
            }
        });
        // Row-major Y (rows x dim) += H . W2^T: column-major Y^T += W2 (dim x hidden) . H^T.
        blas.sgemm("T", "N", dim, rows, hidden, 1.0f, params, w2, hidden, activation, 0, hidden, 1.0f, y, 0, dim);
        return new Pass(y, pre, rows);
    }

    /**
     * The gradient with respect to the parameters, given {@code dY} ({@code rows*dim}), the gradient of the loss with
     * respect to {@link #forward}'s output on the same {@code x}: {@code dW2 = dY^T H}, {@code db2 = sum_i dY_i},
     * {@code dA = (dY W2) * [pre > 0]}, {@code dW1 = dA^T X}, {@code db1 = sum_i dA_i} (H = relu(pre)).
     */
    public float[] backward(float[] x, Pass pass, float[] dY) {
        int rows = pass.rows();
        checkInput(x, rows);
        if (dY.length != rows * dim) {
            throw new IllegalArgumentException("dY has " + dY.length + " values, expected rows*dim = " + rows * dim);
        }
        float[] grad = new float[params.length];
        if (hidden == 0 || rows == 0) {
            return grad;
        }
        BLAS blas = BLAS.getInstance();
        int b1 = hidden * dim;
        int w2 = b1 + hidden;
        int b2 = w2 + dim * hidden;
        float[] pre = pass.preActivation();
        float[] activation = new float[rows * hidden];
        for (int i = 0; i < activation.length; i++) {
            activation[i] = pre[i] > 0 ? pre[i] : 0;
        }
        // Row-major dW2 (dim x hidden) = dY^T . H: column-major dW2^T = H^T (hidden x rows) . dY (rows x dim).
        blas.sgemm("N", "T", hidden, dim, rows, 1.0f, activation, 0, hidden, dY, 0, dim, 0.0f, grad, w2, hidden);
        // Row-major dA (rows x hidden) = dY . W2: column-major dA^T = W2^T (hidden x dim) . dY^T.
        float[] dA = new float[rows * hidden];
        blas.sgemm("N", "N", hidden, rows, dim, 1.0f, params, w2, hidden, dY, 0, dim, 0.0f, dA, 0, hidden);
        for (int i = 0; i < dA.length; i++) {
            if (!(pre[i] > 0)) {
                dA[i] = 0;
            }
        }
        // Row-major dW1 (hidden x dim) = dA^T . X: column-major dW1^T = X^T (dim x rows) . dA (rows x hidden).
        blas.sgemm("N", "T", dim, hidden, rows, 1.0f, x, 0, dim, dA, 0, hidden, 0.0f, grad, 0, dim);
        for (int i = 0; i < rows; i++) {
            for (int h = 0; h < hidden; h++) {
                grad[b1 + h] += dA[i * hidden + h];
            }
            for (int d = 0; d < dim; d++) {
                grad[b2 + d] += dY[i * dim + d];
            }
        }
        return grad;
    }

    private void checkInput(float[] x, int rows) {
        if (rows < 0 || x.length < (long) rows * dim) {
            throw new IllegalArgumentException("features hold " + x.length + " values, fewer than rows*dim = "
                    + (long) rows * dim + " (rows=" + rows + ", dim=" + dim + ")");
        }
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof FeatureAdapter a && a.dim == dim && a.hidden == hidden
                && Arrays.equals(a.params, params);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(params) + dim * 7 + hidden;
    }

    @Override
    public String toString() {
        return hidden == 0 ? "identity adapter(dim=" + dim + ")"
                : "residual-mlp adapter(dim=" + dim + ", hidden=" + hidden + ")";
    }
}
