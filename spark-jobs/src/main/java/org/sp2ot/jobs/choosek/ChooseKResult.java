package org.sp2ot.jobs.choosek;

import java.util.List;

/**
 * What {@code choose-k} found: one score per candidate (increasing K), the suggestion, and how it was measured.
 *
 * @param candidates   in increasing K
 * @param best         the chosen candidate ({@link ClusterQuality#suggest})
 * @param suggested    the suggested K: the clusters the chosen candidate used (mean over the seeds, rounded)
 * @param tolerance    relative tolerance of the suggestion rule ({@link ClusterQuality#suggest})
 * @param samples      rows scored (the training split)
 * @param trainSamples rows each head was trained on (a sample when the split is larger than the cap)
 * @param edges        k-NN edges scored
 * @param epochs       epochs of each head
 * @param seeds        the two seeds of the stability criterion
 */
public record ChooseKResult(List<CandidateScore> candidates, int best, int suggested, double tolerance, long samples,
        long trainSamples, long edges, int epochs, long[] seeds) {

    public ChooseKResult {
        candidates = List.copyOf(candidates);
        seeds = seeds.clone();
    }
}
