package org.sp2ot.ml.knn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The automatic k-NN block size (KnnOptions.chooseBlockSize) and an explicit one overriding it. */
class KnnOptionsTest {

    @Test
    void largeTablesGetTheLargestBlockWhenThereArePairsEnoughForEveryCore() {
        assertEquals(4096, KnnOptions.chooseBlockSize(108_909, 768, 2), "large preset: 27 blocks, 378 pairs");
        assertEquals(4096, KnnOptions.chooseBlockSize(8_668, 384, 2), "demo: 3 blocks, 6 pairs >= 2 per core");
    }

    @Test
    void manyCoresOnFewRowsGetSmallerBlocksSoEveryCoreHasTwoPairs() {
        // 16 cores need >= 32 pairs: 2048 (3 pairs), 1024 (6), 512 (21) are too few; 256 gives 78.
        assertEquals(256, KnnOptions.chooseBlockSize(3_000, 768, 16));
        assertEquals(1024, KnnOptions.chooseBlockSize(8_668, 384, 8), "2048 gives 5 blocks, 15 pairs < 16; 1024 gives 45");
    }

    @Test
    void wideFeaturesAreBoundedByTheBlockMemory() {
        // Two blocks of 65,536 floats per row in 256 MB: 512 rows.
        assertEquals(512, KnnOptions.chooseBlockSize(1_000_000, 65_536, 2));
    }

    @Test
    void fewerRowsThanTheSmallestBlockMakeOneBlockAndAnExplicitSizeWins() {
        assertEquals(10, KnnOptions.chooseBlockSize(10, 3, 4));
        assertEquals(10, KnnOptions.defaults().blockSizeFor(10, 3, 4));
        assertEquals(333, KnnOptions.defaults().withBlockSize(333).blockSizeFor(108_909, 768, 2));
        assertThrows(IllegalArgumentException.class, () -> KnnOptions.defaults().withBlockSize(-1));
    }
}
