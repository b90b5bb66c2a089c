package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class FeatureMatrixTest {

    @Test
    void nanFeatureIsRejectedNamingTheIdAndDimension() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new FeatureMatrix(new long[] {4, 9}, new float[] {1, 2, 3, Float.NaN}, 2));
        assertEquals("features of id 9 contain NaN at dimension 1; remove or re-extract that sample", error.getMessage());
    }

    @Test
    void repeatedIdsAreRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new FeatureMatrix(new long[] {4, 4}, new float[2], 1));
        assertEquals("feature ids must be unique and ascending; id 4 follows 4", error.getMessage());
    }

    @Test
    void indexOfMapsGlobalIdsToRowsAndGatherCopiesRows() {
        FeatureMatrix matrix = new FeatureMatrix(new long[] {10, 20, 30}, new float[] {1, 2, 3, 4, 5, 6}, 2);
        assertEquals(2, matrix.indexOf(30));
        assertEquals(-1, matrix.indexOf(15));
        assertArrayEquals(new float[] {5, 6, 1, 2}, matrix.gather(new int[] {2, 0}, 0, 2));
        assertEquals(24, matrix.valueBytes());
    }
}
