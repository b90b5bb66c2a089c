package org.sp2ot.train;

import java.util.Locale;
import java.util.Optional;

/**
 * Collapse is never silent (issue 9): a clustering that leaves fewer than half of its K clusters non-empty is
 * flagged with the likely cause and the setting to change. Used at the end of training (console) and by the
 * evaluation ({@code metrics.json}, report) on every method's assignment, k-means included.
 */
public final class CollapseCheck {

    private CollapseCheck() {
    }

    /** Clusters holding at least one row. */
    public static int clustersUsed(long[] clusterSizes) {
        return Trainer.nonEmpty(clusterSizes);
    }

    /** The share of all rows in the largest cluster (0 when there are no rows). */
    public static double largestShare(long[] clusterSizes) {
        return Trainer.largestShare(clusterSizes);
    }

    /** Whether fewer than half of the K clusters hold a row ({@code used < K / 2}, K the array's length). */
    public static boolean collapsed(long[] clusterSizes) {
        return 2L * clustersUsed(clusterSizes) < clusterSizes.length;
    }

    /**
     * The warning for a collapsed clustering, or empty.
     *
     * @param method the method name ({@code sp2ot}, {@code p2ot}, {@code uot}, {@code pot}, {@code ot},
     *               {@code kmeans}); decides the likely cause named
     */
    public static Optional<String> diagnose(String method, long[] clusterSizes) {
        if (!collapsed(clusterSizes)) {
            return Optional.empty();
        }
        return Optional.of(String.format(Locale.ROOT,
                "%s collapsed: only %d of %d clusters hold any row (the largest holds %.1f%%). %s", method,
                clustersUsed(clusterSizes), clusterSizes.length, 100 * largestShare(clusterSizes), cause(method)));
    }

    /** The likely cause of a collapse for each method, and the setting to change. */
    static String cause(String method) {
        return switch (method == null ? "" : method.toLowerCase(Locale.ROOT)) {
            case "sp2ot" -> "Likely cause: the graph term outweighs the OT marginals (its pull grows like lam0 * k / N, "
                    + "so a bank smaller than 5120 rows makes lam0 stronger, ALGORITHM.md §9). Set train.lam-scaling = "
                    + "bank or lower train.lam0; a lower train.lr or train.init = kmeans also helps.";
            case "p2ot", "pot" -> "Likely cause: while little mass is transported (small rho) a few confident clusters "
                    + "absorb it and the head follows them. Raise train.rho0, lower train.lr, or start from k-means "
                    + "(train.init = kmeans).";
            case "uot" -> "Likely cause: the KL relaxation of the cluster sizes is too loose. Raise train.gamma or "
                    + "lower train.lr.";
            case "ot" -> "Likely cause: the head moves faster than the pseudo-labels (balanced OT prevents collapse of "
                    + "the labels, not of the argmax). Lower train.lr or raise train.bank-factor.";
            case "kmeans" -> "Likely cause: the features have fewer distinct points than K, or K is far above the "
                    + "number of classes. Lower train.k or check the features.";
            default -> "Lower train.lr, or start from k-means (train.init = kmeans).";
        };
    }
}
