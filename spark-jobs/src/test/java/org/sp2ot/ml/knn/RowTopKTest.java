package org.sp2ot.ml.knn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

class RowTopKTest {

    private static long[] sortedIds(RowTopK selection, int row) {
        long[] ids = new long[selection.size(row)];
        selection.sortedInto(row, ids, new float[ids.length]);
        return ids;
    }

    @Test
    void keepsTheKHighestScoresBestFirstWhateverTheOfferOrder() {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(1));
        RowTopK selection = new RowTopK(new long[] {100}, 4);

        for (int candidate : order) {
            selection.offer(0, candidate * 0.5f, candidate);
        }

        long[] ids = new long[4];
        float[] scores = new float[4];
        assertEquals(4, selection.sortedInto(0, ids, scores));
        assertArrayEquals(new long[] {49, 48, 47, 46}, ids);
        assertArrayEquals(new float[] {24.5f, 24f, 23.5f, 23f}, scores);
    }

    @Test
    void equalScoresAreBrokenBySmallerId() {
        RowTopK selection = new RowTopK(new long[] {0}, 3);

        for (long id : new long[] {9, 4, 7, 2, 8, 5}) {
            selection.offer(0, 1.0f, id);
        }
        selection.offer(0, 0.5f, 1);

        assertArrayEquals(new long[] {2, 4, 5}, sortedIds(selection, 0));
    }

    @Test
    void keepsFewerThanKWhenFewerWereOffered() {
        RowTopK selection = new RowTopK(new long[] {0, 1}, 5);

        selection.offer(1, 0.3f, 8);
        selection.offer(1, 0.9f, 6);

        assertEquals(0, selection.size(0));
        assertArrayEquals(new long[] {6, 8}, sortedIds(selection, 1));
    }

    @Test
    void mergingPartialSelectionsEqualsSelectingOverTheUnion() {
        Random random = new Random(2);
        long[] rows = {10, 11, 12};
        RowTopK whole = new RowTopK(rows, 5);
        RowTopK first = new RowTopK(rows, 5);
        RowTopK second = new RowTopK(rows, 5);
        for (int row = 0; row < rows.length; row++) {
            for (long id = 0; id < 40; id++) {
                float score = random.nextInt(8) / 8f;
                whole.offer(row, score, id);
                (id % 3 == 0 ? first : second).offer(row, score, id);
            }
        }

        first.mergeFrom(second);

        for (int row = 0; row < rows.length; row++) {
            assertArrayEquals(sortedIds(whole, row), sortedIds(first, row));
        }
    }

    @Test
    void mergingSelectionsOverDifferentRowsIsRefused() {
        RowTopK a = new RowTopK(new long[] {1, 2}, 3);
        RowTopK b = new RowTopK(new long[] {1, 3}, 3);

        assertThrows(IllegalArgumentException.class, () -> a.mergeFrom(b));
    }
}
