package org.sp2ot.jobs.choosek;

/**
 * Label-free criteria of one clustering, for choosing K. Pure arithmetic on counts: no Spark, no I/O.
 */
public final class ClusterQuality {

    private ClusterQuality() {
    }

    /** Clusters holding at least one sample. */
    public static int nonEmpty(long[] sizes) {
        int used = 0;
        for (long size : sizes) {
            if (size > 0) {
                used++;
            }
        }
        return used;
    }

    /**
     * The effective number of clusters, {@code exp(H)} with {@code H = -sum_c p_c ln p_c} and {@code p_c} the share
     * of samples in cluster c: K for equal sizes, 1 when one cluster holds everything; a cluster of a few samples
     * counts for little, unlike in {@link #nonEmpty}.
     */
    public static double effectiveClusters(long[] sizes) {
        double n = total(sizes);
        if (n == 0) {
            return 0;
        }
        double entropy = 0;
        for (long size : sizes) {
            if (size > 0) {
                double p = size / n;
                entropy -= p * Math.log(p);
            }
        }
        return Math.exp(entropy);
    }

    /**
     * The share of graph edges that would join two samples of one cluster if cluster ids were dealt at random with
     * these sizes: {@code sum_c (n_c / N)^2} (the size-matched random baseline of the graph agreement).
     */
    public static double randomAgreement(long[] sizes) {
        double n = total(sizes);
        if (n == 0) {
            return 0;
        }
        double sum = 0;
        for (long size : sizes) {
            double p = size / n;
            sum += p * p;
        }
        return sum;
    }

    /**
     * Graph agreement above chance, {@code (a - b) / (1 - b)} with {@code a = inside / edges} the share of k-NN edges
     * inside one cluster and {@code b} the {@link #randomAgreement} of the sizes: 1 when every edge stays inside a
     * cluster, 0 for a clustering no better than random ids of the same sizes (Cohen's kappa form). 0 when there are
     * no edges or a single cluster holds everything ({@code b = 1}).
     */
    public static double adjustedAgreement(long inside, long edges, long[] sizes) {
        if (edges <= 0) {
            return 0;
        }
        double b = randomAgreement(sizes);
        if (b >= 1) {
            return 0;
        }
        return ((double) inside / edges - b) / (1 - b);
    }

    /**
     * The combined score of a candidate: graph agreement above chance times the stability across seeds, each
     * clamped at 0; both must be high for the score to be.
     */
    public static double score(double adjustedAgreement, double stability) {
        return Math.max(0, adjustedAgreement) * Math.max(0, stability);
    }

    /**
     * The best candidate: the largest K whose score is within {@code tolerance} (relative) of the best score.
     * Merging true groups keeps graph edges inside clusters, so scores below the true K stay near the best; cutting
     * a true group cuts edges and makes the cut seed-dependent, so scores above it fall. The finest partition that
     * is still about as good as the best is chosen. (P2OT may leave clusters of a too large K empty, the KL-relaxed
     * sizes allow it: the K to suggest is then the number of clusters the chosen candidate used.)
     *
     * @param ks     candidates in increasing order
     * @param scores their scores
     * @return the index of the chosen candidate in {@code ks}
     */
    public static int suggest(int[] ks, double[] scores, double tolerance) {
        if (ks.length == 0 || ks.length != scores.length) {
            throw new IllegalArgumentException("need one score per candidate, got " + ks.length + " candidates and "
                    + scores.length + " scores");
        }
        double best = Double.NEGATIVE_INFINITY;
        for (double s : scores) {
            best = Math.max(best, s);
        }
        int pick = 0;
        for (int i = 0; i < ks.length; i++) {
            if (scores[i] >= best * (1 - tolerance) && ks[i] >= ks[pick]) {
                pick = i;
            }
        }
        return pick;
    }

    private static double total(long[] sizes) {
        double n = 0;
        for (long size : sizes) {
            n += size;
        }
        return n;
    }
}
