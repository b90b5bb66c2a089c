package org.sp2ot.ml.knn;

import java.util.Locale;

import org.sp2ot.solver.Choices;

/**
 * The affinity kernel that turns the cosine similarity of two L2-normalised feature vectors into the edge weight
 * {@code s_ij} of the k-NN semantic graph (ALGORITHM.md §3).
 */
public enum KnnKernel {
    /** {@code exp(-||x_i - x_j||^2 / (2 sigma^2 d))}: the authors' code default ("gauss"). */
    GAUSS,
    /** The cosine similarity itself ("cos", paper Table VIII). */
    COS;

    /** Parses {@code gauss} or {@code cos} (case-insensitive); a clear error for anything else. */
    public static KnnKernel parse(String name) {
        return Choices.parse("kernel", values(), KnnKernel::cliName, name);
    }

    /** The name written on the command line and in configuration. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * The edge weight for two unit vectors whose cosine similarity is {@code cosine}.
     *
     * @param cosine cosine similarity, clamped to [-1, 1] (a float GEMM can overshoot 1 by an ulp for duplicates)
     * @param dim    the feature dimension d
     * @param sigma  the gauss kernel's bandwidth (ignored by {@link #COS})
     */
    public float weight(float cosine, int dim, double sigma) {
        double c = Math.max(-1.0, Math.min(1.0, cosine));
        return switch (this) {
            case GAUSS -> (float) gaussianWeight(unitSquaredDistance(c), dim, sigma);
            case COS -> (float) c;
        };
    }

    /**
     * The gauss kernel of ALGORITHM.md §3: {@code s = exp(-||x_i - x_j||^2 / (2 sigma^2 d))}.
     *
     * @param squaredDistance {@code ||x_i - x_j||^2}
     * @param dim             the feature dimension d
     * @param sigma           the bandwidth ("kernel_param", 2 by default)
     */
    public static double gaussianWeight(double squaredDistance, int dim, double sigma) {
        return Math.exp(-squaredDistance / (2.0 * sigma * sigma * dim));
    }

    /**
     * {@code ||x_i - x_j||^2 = 2 - 2 cos(x_i, x_j)} for unit vectors: the graph is built on L2-normalised features,
     * so the distance the gauss kernel sees follows from the cosine the GEMM gives.
     */
    public static double unitSquaredDistance(double cosine) {
        return 2.0 - 2.0 * cosine;
    }
}
