package org.sp2ot.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.sp2ot.datasets.LongTailProfile;
import org.sp2ot.datasets.LongTailProfile.Group;

class ClusteringMetricsTest {

    private static final double TOL = 1e-12;

    /** A profile with training sizes K, K-1, ..., 1 (head, medium, tail by label order). */
    private static LongTailProfile groupsOf(int classes) {
        long[] sizes = new long[classes];
        for (int c = 0; c < classes; c++) {
            sizes[c] = classes - c;
        }
        return LongTailProfile.fromCounts(sizes);
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
    void equalMetricsAreEqualValuesDespiteTheirArrays() {
        long[][] counts = {{8, 0}, {1, 1}};
        SplitMetrics a = ClusteringMetrics.evaluate(counts, groupsOf(2));
        SplitMetrics b = ClusteringMetrics.evaluate(new long[][] {{8, 0}, {1, 1}}, groupsOf(2));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, ClusteringMetrics.evaluate(new long[][] {{8, 0}, {0, 2}}, groupsOf(2)));
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
        LongTailProfile groups = LongTailProfile.fromCounts(new long[] {40, 20, 10, 5});
        SplitMetrics m = ClusteringMetrics.evaluate(counts, groups);
        assertEquals(1.0, m.head(), TOL);
        assertEquals((0.5 + 0.75) / 2, m.medium(), TOL);
        assertEquals(0.0, m.tail(), TOL);
        assertEquals(Group.MEDIUM, m.perClass().get(2).group());
        assertEquals(10, m.perClass().get(2).trainSize());
    }

    @Test
    void aGroupWithoutClassesScoresZero() {
        // two classes: round(0.3 * 2) = 1 head and 1 tail class, no medium class
        SplitMetrics m = ClusteringMetrics.evaluate(new long[][] {{1, 0}, {0, 1}}, groupsOf(2));
        assertEquals(1.0, m.head(), TOL);
        assertEquals(0.0, m.medium(), 0.0);
        assertEquals(1.0, m.tail(), TOL);
    }

    @Test
    void tenClassesSplitThreeFourThreeByTrainingSizeEvenOnABalancedTestSplit() {
        long[] trainSizes = {5, 50, 20, 100, 1, 30, 10, 70, 2, 40};
        int[] head = {3, 7, 1};
        int[] medium = {9, 5, 2, 6};
        int[] tail = {0, 8, 4};
        long[][] test = new long[10][10];
        for (int c = 0; c < 10; c++) {
            test[c][c] = 2;
        }
        for (int c : tail) {
            test[c][c] = 1;
            test[c][3] = 1;
        }
        SplitMetrics m = ClusteringMetrics.evaluate(test, LongTailProfile.fromCounts(trainSizes));
        assertGroup(m, head, Group.HEAD);
        assertGroup(m, medium, Group.MEDIUM);
        assertGroup(m, tail, Group.TAIL);
        assertEquals(1.0, m.head(), TOL);
        assertEquals(1.0, m.medium(), TOL);
        assertEquals(0.5, m.tail(), TOL);
        assertEquals((7 * 1.0 + 3 * 0.5) / 10, m.acc(), TOL);
    }

    private static void assertGroup(SplitMetrics m, int[] classes, Group group) {
        for (int c : classes) {
            assertEquals(group, m.perClass().get(c).group(), "class " + c);
        }
        assertEquals(classes.length, m.perClass().stream().filter(r -> r.group() == group).count());
    }

    @Test
    void countsLabelsAgainstClustersIntoAContingencyTable() {
        int[] labels = {0, 0, 1, 1, 1};
        int[] clusters = {2, 2, 0, 2, 0};
        assertArrayEquals(new long[][] {{0, 0, 2}, {2, 0, 1}}, ClusteringMetrics.contingency(labels, clusters, 2, 3));
    }

    @Test
    void rejectsAClusterIdOutOfRangeNamingTheSample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ClusteringMetrics.contingency(new int[] {0, 1}, new int[] {0, 3}, 2, 3));
        assertTrue(e.getMessage().contains("sample 1"), e.getMessage());
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
        assertTrue(e.getMessage().contains("training profile"), e.getMessage());
    }
}
