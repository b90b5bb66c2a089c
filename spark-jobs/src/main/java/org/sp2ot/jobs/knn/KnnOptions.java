package org.sp2ot.jobs.knn;

import java.io.Serializable;

/**
 * Settings of the k-NN graph build (ALGORITHM.md §3).
 *
 * @param k           neighbours kept per row, self excluded (20 by default); must be below N - 1
 * @param kernel      how a cosine similarity becomes an edge weight (gauss by default)
 * @param sigma       the gauss kernel's bandwidth ("kernel_param", 2 by default)
 * @param blockSize   rows per block: one task holds two blocks ({@code 2 * blockSize * d} floats) plus a
 *                    {@code 256 x blockSize} scratch strip and the two blocks' top-k lists, whatever N is
 * @param expectedDim the feature dimension the rows must have, or 0 to take it from the data (the dimension most
 *                    rows have; rows of any other dimension are rejected by id)
 */
public record KnnOptions(int k, KnnKernel kernel, double sigma, int blockSize, int expectedDim)
        implements Serializable {
    public static final int DEFAULT_K = 20;
    public static final double DEFAULT_SIGMA = 2.0;
    public static final int DEFAULT_BLOCK_SIZE = 4096;

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
        if (blockSize < 1) {
            throw new IllegalArgumentException("block size must be at least 1, got " + blockSize);
        }
        if (expectedDim < 0) {
            throw new IllegalArgumentException("expected dimension must be positive (or 0 for any), got "
                    + expectedDim);
        }
    }

    /** k = 20, gauss kernel, sigma = 2, blocks of 4096 rows, dimension taken from the data (ALGORITHM.md §3). */
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
}
