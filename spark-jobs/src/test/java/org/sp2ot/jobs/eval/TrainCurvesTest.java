package org.sp2ot.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

class TrainCurvesTest {

    @Test
    void everyChartedFieldOfTheLogIsReadInOrder() {
        TrainCurves curves = TrainCurves.parse(ReportViewsFixtures.FULL_LOG, "log");
        assertArrayEquals(new double[] {1, 2, 3}, curves.epochs());
        assertEquals(List.of("loss", "rho", "lam", "mean_weight", "clusters_used", "largest_share"),
                List.copyOf(curves.series().keySet()));
        assertArrayEquals(new double[] {3, 4, 4}, curves.series().get("clusters_used"));
        assertArrayEquals(new double[] {0.5, 0.4, 0.3}, curves.series().get("largest_share"));
    }

    @Test
    void fieldsAbsentFromTheLogAreLeftOutAndMissingValuesAreNaN() {
        TrainCurves curves = TrainCurves.parse(ReportViewsFixtures.OLD_LOG, "log");
        assertEquals(List.of("loss", "rho", "lam"), List.copyOf(curves.series().keySet()));
        TrainCurves gap = TrainCurves.parse("{\"epoch\":1,\"loss\":1.0}\n{\"epoch\":2,\"loss\":null}\n", "log");
        assertTrue(Double.isNaN(gap.series().get("loss")[1]));
    }

    @Test
    void aLineThatIsNotJsonIsNamed() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TrainCurves.parse("{\"epoch\":1}\nnot json\n", "train-log/p2ot.jsonl"));
        assertTrue(e.getMessage().contains("train-log/p2ot.jsonl line 2"), e.getMessage());
    }
}
