package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogitsBankTest {

    @Test
    void writesOverwriteTheOldestRowsAndWrapAround() {
        LogitsBank bank = new LogitsBank(4, 1);
        bank.fill(new float[] {10, 11, 12, 13}, new int[] {0, 1, 2, 3});
        assertArrayEquals(new int[] {0, 1, 2}, bank.write(new float[] {20, 21, 22}, new int[] {7, 8, 9}, 3));
        assertArrayEquals(new int[] {3, 0}, bank.write(new float[] {30, 31}, new int[] {5, 6}, 2));
        assertArrayEquals(new float[] {31, 21, 22, 30}, bank.logits());
        assertArrayEquals(new int[] {6, 8, 9, 5}, bank.ids());
        assertEquals(1, bank.nextPosition());
    }

    @Test
    void staleRowsKeepTheirLogits() {
        LogitsBank bank = new LogitsBank(3, 2);
        bank.fill(new float[] {1, 2, 3, 4, 5, 6}, new int[] {0, 1, 2});
        bank.write(new float[] {9, 9}, new int[] {4}, 1);
        assertArrayEquals(new float[] {9, 9, 3, 4, 5, 6}, bank.logits());
    }

    @Test
    void gatherReadsBackTheRowsAtTheWrittenPositions() {
        LogitsBank bank = new LogitsBank(3, 2);
        bank.fill(new float[6], new int[3]);
        float[] bankTargets = {1, 2, 3, 4, 5, 6};
        assertArrayEquals(new float[] {5, 6, 1, 2}, bank.gatherRows(bankTargets, new int[] {2, 0}));
    }

    @Test
    void restoredStateEqualsTheSavedOne() {
        LogitsBank bank = new LogitsBank(3, 1);
        bank.fill(new float[] {1, 2, 3}, new int[] {0, 1, 2});
        bank.write(new float[] {4}, new int[] {5}, 1);
        LogitsBank copy = new LogitsBank(3, 1);
        copy.restore(bank.state());
        assertEquals(bank.state(), copy.state());
    }

    @Test
    void writingBeforeFillingOrMoreRowsThanCapacityIsRejected() {
        LogitsBank bank = new LogitsBank(2, 1);
        assertThrows(IllegalStateException.class, () -> bank.write(new float[1], new int[1], 1));
        bank.fill(new float[2], new int[2]);
        assertThrows(IllegalArgumentException.class, () -> bank.write(new float[3], new int[3], 3));
    }
}
