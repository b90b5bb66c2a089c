package org.sp2ot.jobs.choosek;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClusterQualityTest {

    @Test
    void equalSizesHaveKEffectiveClustersAndOneClusterHasOne() {
        assertEquals(4.0, ClusterQuality.effectiveClusters(new long[] {5, 5, 5, 5}), 1e-12);
        assertEquals(1.0, ClusterQuality.effectiveClusters(new long[] {0, 9, 0}), 1e-12);
        assertEquals(2, ClusterQuality.nonEmpty(new long[] {0, 9, 0, 1}));
    }

    @Test
    void theRandomBaselineIsTheSumOfSquaredShares() {
        // shares 1/2, 1/4, 1/4: 1/4 + 1/16 + 1/16
        assertEquals(0.375, ClusterQuality.randomAgreement(new long[] {2, 1, 1}), 1e-12);
    }

    @Test
    void adjustedAgreementIsOneForAllEdgesInsideAndZeroAtTheRandomBaseline() {
        long[] sizes = {50, 50};
        assertEquals(1.0, ClusterQuality.adjustedAgreement(100, 100, sizes), 1e-12);
        assertEquals(0.0, ClusterQuality.adjustedAgreement(50, 100, sizes), 1e-12);
        assertEquals(-1.0, ClusterQuality.adjustedAgreement(0, 100, sizes), 1e-12);
        assertEquals(0.0, ClusterQuality.adjustedAgreement(100, 100, new long[] {100, 0}), 1e-12);
    }

    @Test
    void theScoreIsTheProductOfTheFactorsClampedAtZero() {
        assertEquals(0.9 * 0.8, ClusterQuality.score(0.9, 0.8), 1e-12);
        assertEquals(0.0, ClusterQuality.score(-0.1, 0.8), 1e-12);
        assertEquals(0.0, ClusterQuality.score(0.9, -0.2), 1e-12);
    }

    @Test
    void theSuggestionIsTheLargestKWithinTheToleranceOfTheBest() {
        int[] ks = {2, 3, 4, 5, 6};
        assertEquals(3, ClusterQuality.suggest(ks, new double[] {0.97, 0.99, 1.0, 0.96, 0.7}, 0.05));
        assertEquals(2, ClusterQuality.suggest(ks, new double[] {0.97, 0.99, 1.0, 0.94, 0.7}, 0.05));
        assertEquals(2, ClusterQuality.suggest(ks, new double[] {0.5, 0.6, 1.0, 0.8, 0.7}, 0.0));
    }
}
