package org.sp2ot.jobs.eval;

import java.util.List;
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

    /** The mean per-class accuracy of {@code group}. */
    public double groupAccuracy(Group group) {
        return switch (group) {
            case HEAD -> head;
            case MEDIUM -> medium;
            case TAIL -> tail;
        };
    }
}
