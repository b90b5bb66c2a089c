package org.sp2ot.ml.progress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StageProgressTest {

    @Test
    void aLineGivesTheShareTheMeanRateAndTheEtaAtThatRate() {
        // 200 of 1000 in 10 s: 20/s, the remaining 800 take 40 s
        assertEquals("extract: 200/1000 images (20.0%, 20.00/s) ETA 0m40s",
                StageProgress.line("extract", "images", 200, 1000, 10));
    }

    @Test
    void beforeAnythingIsDoneTheEtaIsUnknown() {
        assertEquals("knn: 0/28 block pairs (0.0%, 0.00/s) ETA ?", StageProgress.line("knn", "block pairs", 0, 28, 3));
    }

    @Test
    void fastRatesAreShownWithoutDecimals() {
        assertEquals("extract: 5000/10000 images (50.0%, 500/s) ETA 0m10s",
                StageProgress.line("extract", "images", 5000, 10000, 10));
    }
}
