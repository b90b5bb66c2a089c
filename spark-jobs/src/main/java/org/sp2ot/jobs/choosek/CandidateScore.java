package org.sp2ot.jobs.choosek;

/**
 * The label-free criteria of one candidate K (means over the seeds where a criterion is per seed).
 *
 * @param k                  the number of clusters the head was given
 * @param nonEmpty           clusters holding at least one sample
 * @param effectiveClusters  {@link ClusterQuality#effectiveClusters}
 * @param graphAgreement     share of k-NN edges inside one cluster
 * @param randomAgreement    the same share for random ids of the same sizes ({@link ClusterQuality#randomAgreement})
 * @param adjustedAgreement  {@link ClusterQuality#adjustedAgreement}
 * @param stability          adjusted Rand index between the assignments of two seeds
 * @param score              {@link ClusterQuality#score}
 * @param seconds            training and scoring time of the candidate
 */
public record CandidateScore(int k, double nonEmpty, double effectiveClusters, double graphAgreement,
        double randomAgreement, double adjustedAgreement, double stability, double score, double seconds) {

    /** Non-empty clusters as a share of K. */
    public double nonEmptyShare() {
        return nonEmpty / k;
    }

    /** Effective clusters as a share of K. */
    public double effectiveShare() {
        return effectiveClusters / k;
    }
}
