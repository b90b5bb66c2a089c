package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;

import org.junit.jupiter.api.Test;

class CollapseCheckTest {

    @Test
    void fewerThanHalfTheClustersUsedIsFlaggedNamingCauseAndSetting() {
        long[] sizes = {600, 0, 0, 130, 0, 0, 0, 0, 0, 0};
        Optional<String> warning = CollapseCheck.diagnose("sp2ot", sizes);
        assertTrue(warning.isPresent());
        assertTrue(warning.get().contains("only 2 of 10 clusters"), warning.get());
        assertTrue(warning.get().contains("82.2%"), warning.get());
        assertTrue(warning.get().contains("train.lam-scaling"), warning.get());
        assertTrue(CollapseCheck.diagnose("uot", sizes).orElseThrow().contains("train.gamma"));
    }

    @Test
    void halfTheClustersUsedIsNotACollapse() {
        assertFalse(CollapseCheck.diagnose("p2ot", new long[] {5, 5, 0, 0}).isPresent());
        assertTrue(CollapseCheck.diagnose("p2ot", new long[] {5, 0, 0, 0}).isPresent());
        assertEquals(1, CollapseCheck.clustersUsed(new long[] {5, 0, 0, 0}));
        assertEquals(1.0, CollapseCheck.largestShare(new long[] {5, 0, 0, 0}), 0.0);
    }

    @Test
    void aConstructedTrainingCollapseIsFlagged() {
        // every row identical: whatever the head does, one cluster takes every row
        int n = 200;
        float[] values = new float[n * ToyData.DIM];
        long[] ids = new long[n];
        for (int i = 0; i < n; i++) {
            ids[i] = i;
            values[i * ToyData.DIM] = 1;
        }
        TrainSettings settings = TrainSettings.builder(4).method(org.sp2ot.solver.Method.P2OT).epochs(2)
                .batchSize(50).bankSize(100).selection(ModelSelection.LAST)
                .solver(org.sp2ot.solver.SolverSettings.defaults().withBackend(org.sp2ot.solver.Backend.REFERENCE))
                .build();
        TrainResult result = new Trainer(settings, new FeatureMatrix(ids, values, ToyData.DIM), null, null, null)
                .train();
        assertEquals(1, result.history().get(1).clustersUsed());
        assertEquals(1.0, result.history().get(1).largestShare(), 0.0);
        assertTrue(CollapseCheck.diagnose("p2ot", result.clusterSizes()).isPresent());
    }
}
