package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.Arrays;

import org.junit.jupiter.api.Test;

class EpochOrderTest {

    @Test
    void orderIsAPermutationDeterminedBySeedAndEpoch() {
        int[] order = EpochOrder.permutation(0, 3, 100);
        assertArrayEquals(order, EpochOrder.permutation(0, 3, 100));
        int[] sorted = order.clone();
        Arrays.sort(sorted);
        int[] identity = new int[100];
        Arrays.setAll(identity, i -> i);
        assertArrayEquals(identity, sorted);
    }

    @Test
    void epochsAndSeedsGiveDifferentOrders() {
        assertFalse(Arrays.equals(EpochOrder.permutation(0, 1, 100), EpochOrder.permutation(0, 2, 100)));
        assertFalse(Arrays.equals(EpochOrder.permutation(0, 1, 100), EpochOrder.permutation(1, 1, 100)));
    }
}
