package org.sp2ot.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class ClusteringMetricsTest {

    private static final double TOL = 1e-12;

    /** Every class in its own group, head first: enough for tests that do not look at the groups. */
    private static LongTailGroups groupsOf(int classes) {
        long[] sizes = new long[classes];
        int[] head = {};
        int[] medium = new int[classes];
        for (int c = 0; c < classes; c++) {
            sizes[c] = classes - c;
            medium[c] = c;
        }
        return new LongTailGroups(sizes, head, medium, new int[] {});
    }

    @Test
    void classAveragedAccuracyWeighsEveryClassEquallyUnlikeInstanceAccuracy() {
        long[][] counts = {{8, 0}, {1, 1}};
        SplitMetrics m = ClusteringMetrics.evaluate(counts, groupsOf(2));
        assertEquals((8.0 / 8 + 1.0 / 2) / 2, m.acc(), TOL);
        assertEquals(9.0 / 10, m.instanceAccuracy(), TOL);
        assertNotEquals(m.acc(), m.instanceAccuracy());
    }

    @Test
    void scoresAPermutedPerfectClusteringAsPerfect() {
        long[][] counts = {{0, 0, 5}, {3, 0, 0}, {0, 2, 0}};
        SplitMetrics m = ClusteringMetrics.evaluate(counts, groupsOf(3));
        assertEquals(1.0, m.acc(), TOL);
        assertEquals(1.0, m.nmi(), TOL);
        assertEquals(1.0, m.f1(), TOL);
        assertEquals(1.0, m.ari(), TOL);
        assertEquals(2, m.perClass().get(0).matchedCluster());
        assertEquals(0, m.perClass().get(1).matchedCluster());
        assertEquals(1, m.perClass().get(2).matchedCluster());
    }

    @Test
    void nmiOfATwoByTwoTableEqualsTheHandComputedValue() {
        // labels (0,0,1,1) against clusters (0,0,0,1)
        long[][] counts = {{2, 0}, {1, 1}};
        double mi = 2.0 / 4 * Math.log(4.0 * 2 / (2 * 3)) + 1.0 / 4 * Math.log(4.0 * 1 / (2 * 3))
                + 1.0 / 4 * Math.log(4.0 * 1 / (2 * 1));
        double hClasses = Math.log(2);
        double hClusters = -(0.75 * Math.log(0.75) + 0.25 * Math.log(0.25));
        assertEquals(mi / ((hClasses + hClusters) / 2), ClusteringMetrics.normalizedMutualInformation(counts), TOL);
        assertEquals(0.343711, ClusteringMetrics.normalizedMutualInformation(counts), 1e-6);
    }

    @Test
    void nmiIsZeroForIndependentLabellings() {
        long[][] counts = {{2, 4}, {1, 2}};
        assertEquals(0.0, ClusteringMetrics.normalizedMutualInformation(counts), 0.0);
    }

    @Test
    void nmiIsOneWhenClassesAndClustersAreBothASingleGroup() {
        assertEquals(1.0, ClusteringMetrics.normalizedMutualInformation(new long[][] {{0, 7}, {0, 0}}), 0.0);
    }

    @Test
    void nmiIsZeroWhenOneClusterHoldsSeveralClasses() {
        assertEquals(0.0, ClusteringMetrics.normalizedMutualInformation(new long[][] {{3}, {5}}), 0.0);
    }

    @Test
    void ariEqualsTheHandComputedValue() {
        // labels (0,0,1,1) against clusters (0,0,1,2): index 1, sums 2 and 1 over C(4,2) = 6 pairs
        long[][] counts = {{2, 0, 0}, {0, 1, 1}};
        double expected = 2.0 * 1 / 6;
        assertEquals((1 - expected) / ((2 + 1) / 2.0 - expected), ClusteringMetrics.adjustedRandIndex(counts), TOL);
        assertEquals(4.0 / 7, ClusteringMetrics.adjustedRandIndex(counts), TOL);
    }

    @Test
    void ariIsNegativeWhenPairsAgreeLessThanByChance() {
        // labels (0,0,1,1) against clusters (0,1,0,1)
        assertEquals(-0.5, ClusteringMetrics.adjustedRandIndex(new long[][] {{1, 1}, {1, 1}}), TOL);
    }

    @Test
    void ariIsOneWhenBothPartitionsAreAllSingletons() {
        assertEquals(1.0, ClusteringMetrics.adjustedRandIndex(new long[][] {{1, 0}, {0, 1}}), 0.0);
    }

    @Test
    void macroF1AveragesThePerClassF1AfterMatching() {
        long[][] counts = {{8, 0}, {1, 1}};
        SplitMetrics m = ClusteringMetrics.evaluate(counts, groupsOf(2));
        double f1Class0 = 2 * (8.0 / 9) * 1.0 / (8.0 / 9 + 1.0);
        double f1Class1 = 2 * 1.0 * 0.5 / (1.0 + 0.5);
        assertEquals(16.0 / 17, f1Class0, TOL);
        assertEquals(2.0 / 3, f1Class1, TOL);
        assertEquals((f1Class0 + f1Class1) / 2, m.f1(), TOL);
        assertEquals(8.0 / 9, m.perClass().get(0).precision(), TOL);
        assertEquals(0.5, m.perClass().get(1).recall(), TOL);
    }

    @Test
    void aClassLeftWithoutAClusterScoresZeroAndCountsInTheAverages() {
        long[][] counts = {{3}, {2}};
        SplitMetrics m = ClusteringMetrics.evaluate(counts, groupsOf(2));
        ClassResult unmatched = m.perClass().get(1);
        assertEquals(Hungarian.UNMATCHED, unmatched.matchedCluster());
        assertEquals(0.0, unmatched.recall(), 0.0);
        assertEquals(0.0, unmatched.precision(), 0.0);
        assertEquals(0.0, unmatched.f1(), 0.0);
        assertEquals(0.5, m.acc(), TOL);
        assertEquals(3.0 / 5, m.instanceAccuracy(), TOL);
    }

    @Test
    void surplusClustersCountAsErrorsOfTheirSamples() {
        long[][] counts = {{4, 1, 0}, {0, 0, 5}};
        SplitMetrics m = ClusteringMetrics.evaluate(counts, groupsOf(2));
        assertEquals((4.0 / 5 + 1.0) / 2, m.acc(), TOL);
        assertArrayEquals(new long[] {4, 1, 5}, m.clusterSizes());
    }

    @Test
    void aClassAbsentFromTheSplitIsLeftOutOfTheAveragesWithoutNaN() {
        long[][] counts = {{2, 0, 0}, {0, 3, 0}, {0, 0, 0}};
        SplitMetrics m = ClusteringMetrics.evaluate(counts, groupsOf(3));
        assertEquals(1.0, m.acc(), TOL);
        assertEquals(1.0, m.f1(), TOL);
        ClassResult absent = m.perClass().get(2);
        assertEquals(0, absent.size());
        assertEquals(0.0, absent.recall(), 0.0);
        assertEquals(0.0, absent.f1(), 0.0);
        for (double score : new double[] {m.acc(), m.nmi(), m.f1(), m.ari(), m.head(), m.medium(), m.tail()}) {
            assertFalse(Double.isNaN(score));
        }
    }

    @Test
    void groupAccuraciesAreMeanRecallsOfTheClassesInEachGroup() {
        // class recalls after matching: 1, 1/2, 3/4, 0; head {0}, medium {1, 2}, tail {3}
        long[][] counts = {{4, 0, 0, 0}, {0, 2, 2, 0}, {0, 0, 1, 3}, {1, 0, 0, 0}};
        LongTailGroups groups = new LongTailGroups(new long[] {40, 20, 10, 5}, new int[] {0}, new int[] {1, 2},
                new int[] {3});
        SplitMetrics m = ClusteringMetrics.evaluate(counts, groups);
        assertEquals(1.0, m.head(), TOL);
        assertEquals((0.5 + 0.75) / 2, m.medium(), TOL);
        assertEquals(0.0, m.tail(), TOL);
        assertEquals(ClassGroup.MEDIUM, m.perClass().get(2).group());
        assertEquals(10, m.perClass().get(2).trainSize());
    }

    @Test
    void aGroupWithoutClassesScoresZero() {
        SplitMetrics m = ClusteringMetrics.evaluate(new long[][] {{1, 0}, {0, 1}}, groupsOf(2));
        assertEquals(0.0, m.head(), 0.0);
        assertEquals(1.0, m.medium(), TOL);
    }

    @Test
    void rejectsATableWithoutSamples() {
        assertThrows(IllegalArgumentException.class,
                () -> ClusteringMetrics.evaluate(new long[][] {{0, 0}, {0, 0}}, groupsOf(2)));
    }

    @Test
    void rejectsATableWhoseClassesDifferFromTheTrainingProfile() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusteringMetrics.evaluate(new long[][] {{1, 0}, {0, 1}}, groupsOf(3)));
        assertEquals(true, e.getMessage().contains("training profile"), e.getMessage());
    }
}
