package org.sp2ot.jobs.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.sp2ot.datasets.LongTailProfile;
import org.sp2ot.datasets.LongTailProfile.Group;

/**
 * The evaluation protocol of ALGORITHM.md §6, computed from a contingency table
 * {@code counts[class][cluster]} (samples of a class that fell into a cluster). Classes and clusters may differ in
 * number. Pure arithmetic: no Spark, no I/O.
 *
 * <p>Degenerate inputs never give NaN. A class with no sample in the split is left out of every class average
 * (ACC, F1, head/medium/tail) and shown with zeros in the per-class table; a group with no class present scores 0;
 * an empty or unmatched cluster gives its class precision 0. NMI and ARI follow scikit-learn's limit cases (see
 * their methods).
 */
public final class ClusteringMetrics {

    private ClusteringMetrics() {
    }

    /**
     * All scores of one split.
     *
     * @param counts       {@code counts[class][cluster]}, one row per class of the profile, rows of equal length
     * @param trainProfile the TRAINING split's class sizes; they decide head/medium/tail for every split, the
     *                     balanced test split included
     * @throws IllegalArgumentException for an empty, ragged or negative table, or a class count other than the
     *                                  profile's
     */
    public static SplitMetrics evaluate(long[][] counts, LongTailProfile trainProfile) {
        validate(counts);
        if (counts.length != trainProfile.numClasses()) {
            throw new IllegalArgumentException("the contingency table has " + counts.length + " classes but the"
                    + " training profile has " + trainProfile.numClasses() + "; both must index the same labels");
        }
        Group[] groupOfClass = groupsByClass(trainProfile);
        long[] classSizes = rowSums(counts);
        long[] clusterSizes = columnSums(counts);
        int[] matching = Hungarian.maximize(counts);
        List<ClassResult> perClass = new ArrayList<>(counts.length);
        for (int c = 0; c < counts.length; c++) {
            int cluster = matching[c];
            long matched = cluster == Hungarian.UNMATCHED ? 0 : counts[c][cluster];
            long clusterSize = cluster == Hungarian.UNMATCHED ? 0 : clusterSizes[cluster];
            double recall = ratioOrZero(matched, classSizes[c]);
            double precision = ratioOrZero(matched, clusterSize);
            perClass.add(new ClassResult(c, classSizes[c], trainProfile.count(c), groupOfClass[c], cluster, matched,
                    recall, precision, f1Score(precision, recall)));
        }
        return new SplitMetrics(total(classSizes), classAveragedAccuracy(perClass),
                normalizedMutualInformation(counts), macroF1(perClass), adjustedRandIndex(counts),
                instanceAccuracy(counts, matching), groupAccuracy(perClass, Group.HEAD),
                groupAccuracy(perClass, Group.MEDIUM), groupAccuracy(perClass, Group.TAIL),
                classSizes, clusterSizes, perClass);
    }

    /**
     * The contingency table of per-sample labels and cluster ids, for callers that hold both as arrays (e.g. a
     * trainer scoring an epoch); {@link EvaluateStage} builds the same table in Spark.
     *
     * @return {@code counts[class][cluster]}, {@code numClasses × numClusters}
     * @throws IllegalArgumentException for arrays of different lengths or an id out of range, naming the sample
     */
    public static long[][] contingency(int[] labels, int[] clusters, int numClasses, int numClusters) {
        if (labels.length != clusters.length) {
            throw new IllegalArgumentException(labels.length + " labels but " + clusters.length + " cluster ids;"
                    + " give one of each per sample");
        }
        long[][] counts = new long[numClasses][numClusters];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses || clusters[i] < 0 || clusters[i] >= numClusters) {
                throw new IllegalArgumentException("sample " + i + " has label " + labels[i] + " and cluster "
                        + clusters[i] + "; labels must lie in [0, " + numClasses + ") and clusters in [0, "
                        + numClusters + ")");
            }
            counts[labels[i]][clusters[i]]++;
        }
        return counts;
    }

    /**
     * ACC (ALGORITHM.md §6): the mean, over the classes present in the split, of each class's recall under the
     * Hungarian matching. Every class weighs the same, so on a long-tailed split a tail class counts as much as a
     * head class; this is not the instance accuracy.
     */
    public static double classAveragedAccuracy(List<ClassResult> perClass) {
        return meanOverPresentClasses(perClass, null, ClassResult::recall);
    }

    /** Matched samples over all samples (instance accuracy), for contrast with {@link #classAveragedAccuracy}. */
    public static double instanceAccuracy(long[][] counts, int[] matching) {
        return ratioOrZero(Hungarian.matchedWeight(counts, matching), total(rowSums(counts)));
    }

    /** F1 (ALGORITHM.md §6): the mean, over the classes present in the split, of the per-class F1 after matching. */
    public static double macroF1(List<ClassResult> perClass) {
        return meanOverPresentClasses(perClass, null, ClassResult::f1);
    }

    /**
     * Head / medium / tail accuracy (ALGORITHM.md §6): the mean recall of the classes of {@code group} present in
     * the split; 0 when none is present.
     */
    public static double groupAccuracy(List<ClassResult> perClass, Group group) {
        return meanOverPresentClasses(perClass, group, ClassResult::recall);
    }

    /** The harmonic mean {@code 2pr / (p + r)}, 0 when both are 0. */
    public static double f1Score(double precision, double recall) {
        double sum = precision + recall;
        return sum == 0 ? 0 : 2 * precision * recall / sum;
    }

    /**
     * NMI (ALGORITHM.md §6): {@code MI(U, V) / ((H(U) + H(V)) / 2)}, natural logarithms (the base cancels), as
     * scikit-learn's default {@code normalized_mutual_info_score}. Limit cases as scikit-learn: 1 when classes and
     * clusters are each a single group (nothing to split, a perfect match); 0 when MI is 0.
     */
    public static double normalizedMutualInformation(long[][] counts) {
        validate(counts);
        long[] a = rowSums(counts);
        long[] b = columnSums(counts);
        if (nonZero(a) == 1 && nonZero(b) == 1) {
            return 1.0;
        }
        double n = total(a);
        double mi = 0;
        for (int i = 0; i < counts.length; i++) {
            for (int j = 0; j < counts[i].length; j++) {
                long nij = counts[i][j];
                if (nij > 0) {
                    mi += nij / n * Math.log(n * nij / ((double) a[i] * b[j]));
                }
            }
        }
        if (mi <= 0) {
            return 0.0;
        }
        double normalizer = (entropy(a, n) + entropy(b, n)) / 2;
        return Math.min(1.0, mi / normalizer);
    }

    /**
     * ARI (ALGORITHM.md §6), Hubert and Arabie's adjusted Rand index:
     * {@code (Σ C(n_ij,2) − E) / ((Σ C(a_i,2) + Σ C(b_j,2)) / 2 − E)} with
     * {@code E = Σ C(a_i,2) · Σ C(b_j,2) / C(n,2)}. When the two partitions agree on every pair (both one group,
     * both all singletons, or a single sample) the ratio is 0/0 and the score is 1, as in scikit-learn.
     */
    public static double adjustedRandIndex(long[][] counts) {
        validate(counts);
        long index = 0;
        for (long[] row : counts) {
            for (long nij : row) {
                index += pairs(nij);
            }
        }
        long sumA = 0;
        long n = 0;
        for (long ai : rowSums(counts)) {
            sumA += pairs(ai);
            n += ai;
        }
        long sumB = 0;
        for (long bj : columnSums(counts)) {
            sumB += pairs(bj);
        }
        if (index == sumA && index == sumB) {
            return 1.0;
        }
        double expected = (double) sumA * sumB / pairs(n);
        double max = (sumA + sumB) / 2.0;
        return (index - expected) / (max - expected);
    }

    private static double meanOverPresentClasses(List<ClassResult> perClass, Group groupOrAll,
                                                 ToDoubleFunction<ClassResult> score) {
        double sum = 0;
        int present = 0;
        for (ClassResult row : perClass) {
            if (row.size() > 0 && (groupOrAll == null || row.group() == groupOrAll)) {
                sum += score.applyAsDouble(row);
                present++;
            }
        }
        return present == 0 ? 0 : sum / present;
    }

    private static Group[] groupsByClass(LongTailProfile profile) {
        Group[] groups = new Group[profile.numClasses()];
        for (int c : profile.headClasses()) {
            groups[c] = Group.HEAD;
        }
        for (int c : profile.mediumClasses()) {
            groups[c] = Group.MEDIUM;
        }
        for (int c : profile.tailClasses()) {
            groups[c] = Group.TAIL;
        }
        return groups;
    }

    private static double entropy(long[] sizes, double n) {
        double h = 0;
        for (long s : sizes) {
            if (s > 0) {
                double p = s / n;
                h -= p * Math.log(p);
            }
        }
        return h;
    }

    private static long pairs(long m) {
        return m * (m - 1) / 2;
    }

    private static double ratioOrZero(long numerator, long denominator) {
        return denominator == 0 ? 0 : (double) numerator / denominator;
    }

    private static int nonZero(long[] values) {
        int k = 0;
        for (long v : values) {
            if (v != 0) {
                k++;
            }
        }
        return k;
    }

    private static long total(long[] values) {
        long t = 0;
        for (long v : values) {
            t += v;
        }
        return t;
    }

    static long[] rowSums(long[][] counts) {
        long[] sums = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            sums[i] = total(counts[i]);
        }
        return sums;
    }

    static long[] columnSums(long[][] counts) {
        long[] sums = new long[counts.length == 0 ? 0 : counts[0].length];
        for (long[] row : counts) {
            for (int j = 0; j < row.length; j++) {
                sums[j] += row[j];
            }
        }
        return sums;
    }

    private static void validate(long[][] counts) {
        if (counts.length == 0 || counts[0].length == 0) {
            throw new IllegalArgumentException("the contingency table is empty: there must be at least one class"
                    + " and one cluster");
        }
        long n = 0;
        for (int i = 0; i < counts.length; i++) {
            if (counts[i].length != counts[0].length) {
                throw new IllegalArgumentException("contingency row " + i + " has " + counts[i].length
                        + " clusters, row 0 has " + counts[0].length);
            }
            for (long v : counts[i]) {
                if (v < 0) {
                    throw new IllegalArgumentException("contingency row " + i + " holds a negative count " + v);
                }
                n += v;
            }
        }
        if (n == 0) {
            throw new IllegalArgumentException("the contingency table holds no sample; there is nothing to score");
        }
    }
}
