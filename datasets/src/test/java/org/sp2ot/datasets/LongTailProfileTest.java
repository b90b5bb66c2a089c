package org.sp2ot.datasets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

class LongTailProfileTest {

    @Test
    void countsLabelsPerClass() {
        LongTailProfile p = LongTailProfile.fromLabels(new int[] {2, 0, 2, 2, 1, 0}, 4);
        assertArrayEquals(new long[] {2, 1, 3, 0}, p.counts());
        assertEquals(6, p.total());
        assertEquals(4, p.numClasses());
    }

    @Test
    void ordersClassesByCountDescendingWithTiesToTheSmallerLabel() {
        LongTailProfile p = LongTailProfile.fromCounts(new long[] {5, 9, 5, 1, 9});
        assertArrayEquals(new int[] {1, 4, 0, 2, 3}, p.classesByCountDescending());
    }

    @Test
    void imbalanceIsLargestOverSmallestPresentClass() {
        assertEquals(100.0, LongTailProfile.fromCounts(new long[] {500, 50, 5}).imbalanceRatio(), 0.0);
        assertEquals(10.0, LongTailProfile.fromCounts(new long[] {0, 50, 5}).imbalanceRatio(), 0.0);
        assertEquals(1.0, LongTailProfile.fromCounts(new long[] {3, 3}).imbalanceRatio(), 0.0);
    }

    @Test
    void splitsTenClassesThreeFourThree() {
        long[] counts = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
        LongTailProfile p = LongTailProfile.fromCounts(counts);
        assertArrayEquals(new int[] {9, 8, 7}, p.headClasses());
        assertArrayEquals(new int[] {6, 5, 4, 3}, p.mediumClasses());
        assertArrayEquals(new int[] {2, 1, 0}, p.tailClasses());
        assertEquals(LongTailProfile.Group.HEAD, p.groupOf(7));
        assertEquals(LongTailProfile.Group.MEDIUM, p.groupOf(3));
        assertEquals(LongTailProfile.Group.TAIL, p.groupOf(0));
    }

    @Test
    void groupsPartitionAllClassesForAnyK() {
        for (int k = 1; k <= 40; k++) {
            LongTailProfile p = LongTailProfile.fromCounts(new long[k]);
            int expectedEdge = (int) Math.round(0.3 * k);
            assertEquals(expectedEdge, p.headClasses().length, "K=" + k);
            assertEquals(expectedEdge, p.tailClasses().length, "K=" + k);
            int[] all = IntStream.concat(IntStream.concat(Arrays.stream(p.headClasses()),
                    Arrays.stream(p.mediumClasses())), Arrays.stream(p.tailClasses())).sorted().toArray();
            assertArrayEquals(IntStream.range(0, k).toArray(), all, "K=" + k);
        }
    }

    @Test
    void hundredClassesGiveThirtyFortyThirty() {
        LongTailProfile p = LongTailProfile.fromCounts(LongTailProfile.exponentialCounts(500, 100, 100));
        assertEquals(30, p.headClasses().length);
        assertEquals(40, p.mediumClasses().length);
        assertEquals(30, p.tailClasses().length);
        assertArrayEquals(IntStream.range(0, 30).toArray(), p.headClasses());
    }

    @Test
    void exponentialProfileMatchesTheCifar100LtFormula() {
        long[] counts = LongTailProfile.exponentialCounts(500, 100, 100);
        assertEquals(500, counts[0]);
        assertEquals(5, counts[99]);
        for (int c = 0; c < 100; c++) {
            assertEquals((long) Math.floor(500 * Math.pow(0.01, c / 99.0)), counts[c], "class " + c);
        }
        assertEquals(10847, Arrays.stream(counts).sum());
    }

    @Test
    void exponentialProfileWithImbalanceOneIsBalanced() {
        long[] counts = LongTailProfile.exponentialCounts(7, 1, 5);
        assertArrayEquals(new long[] {7, 7, 7, 7, 7}, counts);
    }

    @Test
    void rejectsLabelsOutOfRangeNamingTheSample() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LongTailProfile.fromLabels(new int[] {0, 1, 3}, 3));
        assertTrue(e.getMessage().contains("sample 2") && e.getMessage().contains("label 3"), e.getMessage());
    }

    @Test
    void rejectsNegativeCountsAndBadProfiles() {
        assertThrows(IllegalArgumentException.class, () -> LongTailProfile.fromCounts(new long[] {3, -1}));
        assertThrows(IllegalArgumentException.class, () -> LongTailProfile.fromCounts(new long[0]));
        assertThrows(IllegalArgumentException.class, () -> LongTailProfile.exponentialCounts(500, 0.5, 10));
    }
}
