package org.sp2ot.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HungarianTest {

    @Test
    void findsTheMaximumOfBruteForceOnRandomSquareRectangularAndTiedMatrices() {
        Random random = new Random(7);
        int[][] shapes = {{1, 1}, {2, 2}, {3, 3}, {4, 4}, {5, 5}, {6, 6}, {2, 5}, {3, 6}, {5, 2}, {6, 3}, {4, 7},
            {7, 4}};
        for (int[] shape : shapes) {
            for (int trial = 0; trial < 30; trial++) {
                int bound = trial % 2 == 0 ? 4 : 1000;
                long[][] w = new long[shape[0]][shape[1]];
                for (long[] row : w) {
                    for (int c = 0; c < row.length; c++) {
                        row[c] = random.nextInt(bound);
                    }
                }
                int[] matching = Hungarian.maximize(w);
                assertValidMatching(w, matching);
                assertEquals(bruteForceMaximum(w), Hungarian.matchedWeight(w, matching),
                        "shape " + shape[0] + "x" + shape[1] + " trial " + trial);
            }
        }
    }

    @Test
    void matchesEachClusterToItsDominantClassOnAPermutedDiagonal() {
        long[][] w = {{0, 9, 1}, {1, 0, 8}, {7, 1, 0}};
        assertArrayEquals(new int[] {1, 2, 0}, Hungarian.maximize(w));
    }

    @Test
    void prefersTheLargerTotalOverTheGreedyChoice() {
        long[][] w = {{10, 9}, {9, 1}};
        assertArrayEquals(new int[] {1, 0}, Hungarian.maximize(w));
    }

    @Test
    void leavesTheSurplusRowsUnmatchedWhenRowsOutnumberColumns() {
        long[][] w = {{1}, {5}, {2}};
        assertArrayEquals(new int[] {Hungarian.UNMATCHED, 0, Hungarian.UNMATCHED}, Hungarian.maximize(w));
    }

    @Test
    void matchesNothingWhenThereAreNoColumns() {
        assertArrayEquals(new int[] {Hungarian.UNMATCHED, Hungarian.UNMATCHED}, Hungarian.maximize(new long[2][0]));
    }

    @Test
    void isExactForCountsBeyondDoublePrecision() {
        long big = (1L << 60) + 1;
        long[][] w = {{big, big - 1}, {big - 1, big - 3}};
        assertArrayEquals(new int[] {1, 0}, Hungarian.maximize(w));
    }

    @Test
    void rejectsRaggedMatrices() {
        long[][] ragged = {{1, 2}, {3}};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Hungarian.maximize(ragged));
        assertTrue(e.getMessage().contains("row 1"), e.getMessage());
    }

    @Test
    void rejectsNegativeWeights() {
        assertThrows(IllegalArgumentException.class, () -> Hungarian.maximize(new long[][] {{1, -2}}));
    }

    private static void assertValidMatching(long[][] w, int[] matching) {
        int rows = w.length;
        int columns = w[0].length;
        assertEquals(rows, matching.length);
        Set<Integer> used = new HashSet<>();
        int matched = 0;
        for (int column : matching) {
            if (column != Hungarian.UNMATCHED) {
                assertTrue(column >= 0 && column < columns);
                assertTrue(used.add(column), "column used twice");
                matched++;
            }
        }
        assertEquals(Math.min(rows, columns), matched);
    }

    private static long bruteForceMaximum(long[][] w) {
        int rows = w.length;
        int columns = w[0].length;
        if (rows > columns) {
            long[][] t = new long[columns][rows];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    t[c][r] = w[r][c];
                }
            }
            return bruteForceMaximum(t);
        }
        return bestFrom(w, 0, new boolean[columns]);
    }

    private static long bestFrom(long[][] w, int row, boolean[] usedColumns) {
        if (row == w.length) {
            return 0;
        }
        long best = Long.MIN_VALUE;
        for (int c = 0; c < usedColumns.length; c++) {
            if (!usedColumns[c]) {
                usedColumns[c] = true;
                best = Math.max(best, w[row][c] + bestFrom(w, row + 1, usedColumns));
                usedColumns[c] = false;
            }
        }
        return best;
    }
}
