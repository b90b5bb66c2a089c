package org.sp2ot.ml.knn;

import java.io.Serializable;

/**
 * Settings of the k-NN graph build (ALGORITHM.md §3).
 *
 * @param k           neighbours kept per row, self excluded (20 by default); must be below N - 1
 * @param kernel      how a cosine similarity becomes an edge weight (gauss by default)
 * @param sigma       the gauss kernel's bandwidth ("kernel_param", 2 by default)
 * @param blockSize   rows per block: one task holds two blocks ({@code 2 * blockSize * d} floats) plus a
 *                    {@code 256 x blockSize} scratch strip and the two blocks' top-k lists, whatever N is;
 *                    {@link #AUTO_BLOCK_SIZE} (0, the default) chooses it from N, d and the cores
 *                    ({@link #chooseBlockSize})
 * @param expectedDim the feature dimension the rows must have, or 0 to take it from the data (the dimension most
 *                    rows have; rows of any other dimension are rejected by id)
 */
public record KnnOptions(int k, KnnKernel kernel, double sigma, int blockSize, int expectedDim)
        implements Serializable {
    public static final int DEFAULT_K = 20;
    public static final double DEFAULT_SIGMA = 2.0;
    /** Block size 0: chosen by {@link #chooseBlockSize} from N, d and the executors' cores. */
    public static final int AUTO_BLOCK_SIZE = 0;
    public static final int DEFAULT_BLOCK_SIZE = AUTO_BLOCK_SIZE;
    /** The largest block chosen automatically: SGEMM is near its peak there and a pair's top-k merge is cheap. */
    static final int MAX_AUTO_BLOCK = 4096;
    /** The smallest block chosen automatically (below it the per-pair overheads dominate the GEMM). */
    static final int MIN_AUTO_BLOCK = 256;
    /** Memory for a task's two blocks when chosen automatically: 2 * blockSize * d floats at most. */
    static final long AUTO_BLOCK_BYTES = 256L << 20;

    public KnnOptions {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        if (kernel == null) {
            throw new IllegalArgumentException("kernel must be gauss or cos, got null");
        }
        if (!(sigma > 0.0) || Double.isInfinite(sigma)) {
            throw new IllegalArgumentException("sigma must be a positive finite number, got " + sigma);
        }
        if (blockSize < 0) {
            throw new IllegalArgumentException("block size must be at least 1 (or 0 = chosen from N, d and the "
                    + "cores), got " + blockSize);
        }
        if (expectedDim < 0) {
            throw new IllegalArgumentException("expected dimension must be positive (or 0 for any), got "
                    + expectedDim);
        }
    }

    /**
     * k = 20, gauss kernel, sigma = 2, block size chosen from the data, dimension taken from the data (ALGORITHM.md
     * §3).
     */
    public static KnnOptions defaults() {
        return new KnnOptions(DEFAULT_K, KnnKernel.GAUSS, DEFAULT_SIGMA, DEFAULT_BLOCK_SIZE, 0);
    }

    public KnnOptions withK(int newK) {
        return new KnnOptions(newK, kernel, sigma, blockSize, expectedDim);
    }

    public KnnOptions withKernel(KnnKernel newKernel) {
        return new KnnOptions(k, newKernel, sigma, blockSize, expectedDim);
    }

    public KnnOptions withSigma(double newSigma) {
        return new KnnOptions(k, kernel, newSigma, blockSize, expectedDim);
    }

    public KnnOptions withBlockSize(int newBlockSize) {
        return new KnnOptions(k, kernel, sigma, newBlockSize, expectedDim);
    }

    public KnnOptions withExpectedDim(int newExpectedDim) {
        return new KnnOptions(k, kernel, sigma, blockSize, newExpectedDim);
    }

    /** The block size to use for {@code n} rows of {@code dim} on {@code cores} task slots. */
    public int blockSizeFor(long n, int dim, int cores) {
        return blockSize == AUTO_BLOCK_SIZE ? chooseBlockSize(n, dim, cores) : blockSize;
    }

    /**
     * The automatic block size: the largest power of two up to {@value #MAX_AUTO_BLOCK} rows (measured fastest with
     * one BLAS thread per task, see README "k-NN graph defaults") such that two blocks fit in
     * {@link #AUTO_BLOCK_BYTES} and the upper-triangle block pairs, {@code b (b + 1) / 2} for {@code b} blocks, give
     * every task slot at least two pairs (so no core idles while one large pair finishes); never below
     * {@value #MIN_AUTO_BLOCK} rows unless N itself is smaller.
     */
    public static int chooseBlockSize(long n, int dim, int cores) {
        int size = MAX_AUTO_BLOCK;
        while (size > MIN_AUTO_BLOCK && 2L * size * Math.max(1, dim) * Float.BYTES > AUTO_BLOCK_BYTES) {
            size /= 2;
        }
        while (size > MIN_AUTO_BLOCK) {
            long blocks = (n + size - 1) / size;
            if (blocks * (blocks + 1) / 2 >= 2L * Math.max(1, cores)) {
                break;
            }
            size /= 2;
        }
        return (int) Math.max(1, Math.min(size, n));
    }
}
