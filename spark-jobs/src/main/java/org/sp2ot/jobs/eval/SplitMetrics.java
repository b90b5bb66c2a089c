package org.sp2ot.jobs.eval;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.sp2ot.datasets.LongTailProfile.Group;

/**
 * The scores of one clustering on one split (ALGORITHM.md §6). All scores are fractions in [0, 1] (ARI in
 * [-1, 1]); none is ever NaN.
 *
 * @param samples          labelled samples in the split
 * @param acc              class-averaged accuracy: mean per-class recall after Hungarian matching
 * @param nmi              normalised mutual information, arithmetic-mean normalisation
 * @param f1               macro F1 over classes after matching
 * @param ari              adjusted Rand index
 * @param instanceAccuracy matched samples / all samples (the instance accuracy; reported for contrast, it is not
 *                         the paper's ACC)
 * @param head             mean per-class accuracy of the head classes present in the split (0 if none)
 * @param medium           the same for the medium classes
 * @param tail             the same for the tail classes
 * @param classSizes       samples per class in the split, indexed by label
 * @param clusterSizes     samples per cluster in the split, indexed by cluster id (empty clusters included)
 * @param perClass         one row per class, in label order
 */
public record SplitMetrics(long samples, double acc, double nmi, double f1, double ari, double instanceAccuracy,
                           double head, double medium, double tail, long[] classSizes, long[] clusterSizes,
                           List<ClassResult> perClass) {

    public SplitMetrics {
        classSizes = classSizes.clone();
        clusterSizes = clusterSizes.clone();
        perClass = List.copyOf(perClass);
    }

    @Override
    public long[] classSizes() {
        return classSizes.clone();
    }

    @Override
    public long[] clusterSizes() {
        return clusterSizes.clone();
    }

    /** Equal when every score, size and per-class row is equal (arrays compared by content). */
    @Override
    public boolean equals(Object other) {
        return other instanceof SplitMetrics m && samples == m.samples
                && Double.compare(acc, m.acc) == 0 && Double.compare(nmi, m.nmi) == 0
                && Double.compare(f1, m.f1) == 0 && Double.compare(ari, m.ari) == 0
                && Double.compare(instanceAccuracy, m.instanceAccuracy) == 0
                && Double.compare(head, m.head) == 0 && Double.compare(medium, m.medium) == 0
                && Double.compare(tail, m.tail) == 0 && Arrays.equals(classSizes, m.classSizes)
                && Arrays.equals(clusterSizes, m.clusterSizes) && perClass.equals(m.perClass);
    }

    @Override
    public int hashCode() {
        return Objects.hash(samples, acc, nmi, f1, ari, instanceAccuracy, head, medium, tail,
                Arrays.hashCode(classSizes), Arrays.hashCode(clusterSizes), perClass);
    }

    /** The scores only (the per-class table can be thousands of rows long). */
    @Override
    public String toString() {
        return String.format(Locale.ROOT, "SplitMetrics[samples=%d, acc=%.4f, nmi=%.4f, f1=%.4f, ari=%.4f, "
                + "head=%.4f, medium=%.4f, tail=%.4f, classes=%d, clusters=%d]", samples, acc, nmi, f1, ari, head,
                medium, tail, classSizes.length, clusterSizes.length);
    }

    /** The mean per-class accuracy of {@code group}. */
    public double groupAccuracy(Group group) {
        return switch (group) {
            case HEAD -> head;
            case MEDIUM -> medium;
            case TAIL -> tail;
        };
    }
}
