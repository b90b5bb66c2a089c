package org.sp2ot.datasets;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * The per-class training counts of a long-tailed data set and what follows from them: the classes by size, the
 * imbalance ratio and the head / medium / tail groups of ALGORITHM.md §6. Plain Java: arrays in, answers out.
 *
 * <p>Groups: with classes ordered by training count descending (ties: smaller label first), the first
 * {@code round(0.3 K)} classes are the head, the last {@code round(0.3 K)} the tail and the rest the medium group
 * (30% / 40% / 30%). {@code round} is {@link Math#round(double)} (halves up), so K = 5 gives 2 / 1 / 2.
 */
public final class LongTailProfile {

    /** Which of the three size groups of ALGORITHM.md §6 a class belongs to. */
    public enum Group {
        HEAD, MEDIUM, TAIL
    }

    private final long[] counts;
    private final int[] byCountDescending;

    private LongTailProfile(long[] counts) {
        this.counts = counts;
        this.byCountDescending = IntStream.range(0, counts.length).boxed()
                .sorted(Comparator.<Integer>comparingLong(c -> -counts[c]).thenComparingInt(c -> c))
                .mapToInt(Integer::intValue).toArray();
    }

    /**
     * The profile of a labelled training set.
     *
     * @param labels one label per sample, each in {@code [0, numClasses)}
     * @throws IllegalArgumentException naming the first sample whose label is out of range
     */
    public static LongTailProfile fromLabels(int[] labels, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be at least 1, got " + numClasses);
        }
        long[] counts = new long[numClasses];
        for (int i = 0; i < labels.length; i++) {
            int label = labels[i];
            if (label < 0 || label >= numClasses) {
                throw new IllegalArgumentException("label " + label + " of sample " + i + " is outside [0, "
                        + numClasses + "); pass the number of classes the labels use");
            }
            counts[label]++;
        }
        return new LongTailProfile(counts);
    }

    /**
     * The profile given the training count of every class ({@code countsPerClass[c]} for class c).
     *
     * @throws IllegalArgumentException when empty or a count is negative
     */
    public static LongTailProfile fromCounts(long[] countsPerClass) {
        if (countsPerClass.length == 0) {
            throw new IllegalArgumentException("a profile needs at least one class");
        }
        for (int c = 0; c < countsPerClass.length; c++) {
            if (countsPerClass[c] < 0) {
                throw new IllegalArgumentException("class " + c + " has negative count " + countsPerClass[c]);
            }
        }
        return new LongTailProfile(countsPerClass.clone());
    }

    /**
     * The exponential long-tail profile of ALGORITHM.md §5 (CIFAR-100-LT): class c keeps
     * {@code floor(nMax * (1/imbalance)^(c / (K-1)))} samples, so class 0 has {@code nMax} and class K-1 has
     * {@code nMax / imbalance}. With K = 1 the single class keeps {@code nMax}.
     *
     * @param nMax       the count of the largest class (500 for CIFAR-100)
     * @param imbalance  the ratio largest / smallest, at least 1 (100 for CIFAR-100-LT)
     * @param numClasses K
     */
    public static long[] exponentialCounts(long nMax, double imbalance, int numClasses) {
        if (nMax < 1 || numClasses < 1 || !(imbalance >= 1) || Double.isInfinite(imbalance)) {
            throw new IllegalArgumentException("exponential profile needs nMax >= 1, numClasses >= 1 and a finite "
                    + "imbalance >= 1; got nMax=" + nMax + ", numClasses=" + numClasses + ", imbalance=" + imbalance);
        }
        long[] counts = new long[numClasses];
        double base = 1.0 / imbalance;
        for (int c = 0; c < numClasses; c++) {
            double exponent = numClasses == 1 ? 0.0 : c / (numClasses - 1.0);
            counts[c] = (long) Math.floor(nMax * Math.pow(base, exponent));
        }
        return counts;
    }

    /** K, the number of classes (including any with zero count). */
    public int numClasses() {
        return counts.length;
    }

    /** The training count of class {@code c}. */
    public long count(int c) {
        return counts[c];
    }

    /** All counts, indexed by class. */
    public long[] counts() {
        return counts.clone();
    }

    /** The total number of samples. */
    public long total() {
        return Arrays.stream(counts).sum();
    }

    /** Class labels ordered by count descending; ties broken by the smaller label first. */
    public int[] classesByCountDescending() {
        return byCountDescending.clone();
    }

    /**
     * Largest class count divided by the smallest non-zero one (classes absent from the training set are not a
     * tail, they are missing); 1 for a balanced set, and NaN when every count is zero.
     */
    public double imbalanceRatio() {
        long max = 0;
        long min = Long.MAX_VALUE;
        for (long n : counts) {
            max = Math.max(max, n);
            if (n > 0) {
                min = Math.min(min, n);
            }
        }
        return max == 0 ? Double.NaN : (double) max / min;
    }

    /** The {@code round(0.3 K)} largest classes, largest first. */
    public int[] headClasses() {
        return Arrays.copyOfRange(byCountDescending, 0, groupSize());
    }

    /** The classes between head and tail, largest first. */
    public int[] mediumClasses() {
        return Arrays.copyOfRange(byCountDescending, groupSize(), counts.length - groupSize());
    }

    /** The {@code round(0.3 K)} smallest classes, largest first. */
    public int[] tailClasses() {
        return Arrays.copyOfRange(byCountDescending, counts.length - groupSize(), counts.length);
    }

    /** The group of class {@code c}. */
    public Group groupOf(int c) {
        if (c < 0 || c >= counts.length) {
            throw new IllegalArgumentException("class " + c + " is outside [0, " + counts.length + ")");
        }
        int rank = 0;
        while (byCountDescending[rank] != c) {
            rank++;
        }
        if (rank < groupSize()) {
            return Group.HEAD;
        }
        return rank >= counts.length - groupSize() ? Group.TAIL : Group.MEDIUM;
    }

    /** ALGORITHM.md §6: head and tail each hold {@code round(0.3 K)} classes. */
    private int groupSize() {
        return (int) Math.round(0.3 * counts.length);
    }
}
