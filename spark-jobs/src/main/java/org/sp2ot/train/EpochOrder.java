package org.sp2ot.train;

import java.util.SplittableRandom;

/**
 * The sample order of one epoch, a pure function of (seed, epoch): a resumed run needs no saved random state to
 * visit the samples exactly as an uninterrupted one.
 */
public final class EpochOrder {

    private EpochOrder() {
    }

    /** A uniformly random permutation of {@code 0..n-1} (Fisher-Yates) from a generator seeded by (seed, epoch). */
    public static int[] permutation(long seed, int epoch, int n) {
        SplittableRandom random = new SplittableRandom(mix(seed, epoch));
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return order;
    }

    private static long mix(long seed, int epoch) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
