package org.sp2ot.jobs.choosek;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.sp2ot.jobs.cli.UsageException;

class KCandidatesTest {

    @Test
    void aListIsSortedWithoutRepeats() {
        assertEquals(List.of(5, 10, 20), KCandidates.parse("20, 5,10,5"));
    }

    @Test
    void aRangeIncludesBothEndsAndDefaultsToStepOne() {
        assertEquals(List.of(5, 10, 15, 20), KCandidates.parse("5:20:5"));
        assertEquals(List.of(2, 3, 4), KCandidates.parse("2:4"));
        assertEquals(List.of(5, 12, 19), KCandidates.parse("5:20:7"));
    }

    @Test
    void badSpecificationsNameTheProblemAndTheForms() {
        for (String bad : new String[] {"", "a,b", "1:5", "5:2", "5:10:0", "7", "3:4:5:6", "7,7"}) {
            UsageException e = assertThrows(UsageException.class, () -> KCandidates.parse(bad), bad);
            assertTrue(e.getMessage().contains("--k 5:50:5"), e.getMessage());
        }
    }
}
