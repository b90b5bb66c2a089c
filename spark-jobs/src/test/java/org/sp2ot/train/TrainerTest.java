package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.solver.Backend;
import org.sp2ot.solver.KnnGraph;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.SolverSettings;
import org.sp2ot.ml.data.HadoopCheckpointStore;

class TrainerTest {
    private static final ToyData TOY = new ToyData(7, 300, 200, 100);

    private static TrainSettings.Builder toySettings(Method method) {
        return TrainSettings.builder(3).method(method).epochs(4).batchSize(64).bankSize(256).learningRate(0.05)
                .solver(SolverSettings.defaults().withBackend(Backend.REFERENCE));
    }

    @Test
    void separableImbalancedClustersAreRecoveredWithP2ot() {
        TrainResult result = new Trainer(toySettings(Method.P2OT).epochs(10).build(), TOY.features, null, null,
                null).train();
        int[] clusters = Predictions.of(result.head(), TOY.features.values(), TOY.features.n()).clusters();
        assertTrue(TOY.matchedAccuracy(clusters, 3) >= 0.95, "accuracy " + TOY.matchedAccuracy(clusters, 3));
    }

    @Test
    void epochStatsReportClustersInUseLargestShareAndMeanWeight() {
        TrainResult result = new Trainer(toySettings(Method.P2OT).epochs(10).build(), TOY.features, null, null,
                null).train();
        EpochStats last = result.history().get(result.history().size() - 1);
        assertEquals(3, last.clustersUsed());
        // classes of 300, 200 and 100 rows, recovered: the largest cluster holds about half of the rows
        assertEquals(0.5, last.largestShare(), 0.05);
        double meanWeight = 0;
        for (float w : result.sampleWeights()) {
            meanWeight += w;
        }
        assertEquals(meanWeight / TOY.features.n(), last.meanWeight(), 1e-6);
        String json = last.toJson();
        assertTrue(json.contains("\"clusters_used\":3"), json);
        assertTrue(json.contains("\"largest_share\":" + last.largestShare()), json);
        assertTrue(json.contains("\"mean_weight\":" + last.meanWeight()), json);
    }

    @Test
    void clusterCountsOfConstructedLogits() {
        long[] sizes = new long[4];
        Trainer.countArgmax(new float[] {1, 0, 0, 0, 0, 2, 0, 0, 3, 0, 0, 0}, 3, 4, sizes);
        assertArrayEquals(new long[] {2, 1, 0, 0}, sizes);
        assertEquals(2, Trainer.nonEmpty(sizes));
        assertEquals(2.0 / 3, Trainer.largestShare(sizes), 1e-12);
    }

    @Test
    void sp2otRunsTheMmLoopOnTheBankAffinityWithTheScheduledLam() {
        TrainResult result = new Trainer(toySettings(Method.SP2OT).epochs(1).build(), TOY.features,
                sameClassGraph(TOY, 5), null, null).train();
        EpochStats last = result.history().get(0);
        assertEquals((1 - last.rho()) * SolverSettings.defaults().lam0(), last.lam(), 1e-9);
        assertTrue(last.meanMmSteps() > 1, "mean MM steps " + last.meanMmSteps());
    }

    @Test
    void resumingAfterAStopGivesExactlyTheUninterruptedHead(@TempDir Path dir) throws IOException {
        TrainSettings settings = toySettings(Method.P2OT).solver(SolverSettings.defaults().withBackend(Backend.FAST))
                .build();
        Configuration conf = new Configuration();
        HadoopCheckpointStore interrupted = new HadoopCheckpointStore(conf, dir.resolve("a").toString(), 2);
        TrainResult firstHalf = new Trainer(settings, TOY.features, null, interrupted, null).trainUntil(2);
        assertEquals(2, firstHalf.history().size());
        TrainResult resumed = new Trainer(settings, TOY.features, null, interrupted, null).train();

        TrainResult uninterrupted = new Trainer(settings, TOY.features, null,
                new HadoopCheckpointStore(conf, dir.resolve("b").toString(), 2), null).train();

        assertArrayEquals(uninterrupted.lastHead().parameters(), resumed.lastHead().parameters());
        assertArrayEquals(uninterrupted.head().parameters(), resumed.head().parameters());
        assertArrayEquals(uninterrupted.sampleWeights(), resumed.sampleWeights());
        assertArrayEquals(uninterrupted.lossPerEpoch(), resumed.lossPerEpoch());
    }

    @Test
    void checkpointsAreWrittenEveryNEpochsAndAfterTheLast(@TempDir Path dir) throws IOException {
        HadoopCheckpointStore store = new HadoopCheckpointStore(new Configuration(), dir.toString(), 5);
        new Trainer(toySettings(Method.P2OT).epochs(5).checkpointEvery(2).build(), TOY.features, null, store, null)
                .train();
        try (var files = Files.list(dir)) {
            assertEquals(List.of("epoch-2", "epoch-4", "epoch-5"), files.map(f -> f.getFileName().toString())
                    .filter(name -> name.startsWith("epoch-")).sorted().toList());
        }
    }

    @Test
    void lowestLossSelectionReturnsTheHeadOfTheBestEpoch() {
        // Under the sigmoid rho schedule the loss rises once rho grows, so the best of 6 epochs is an early one.
        TrainSettings settings = toySettings(Method.P2OT).epochs(6).selection(ModelSelection.LOWEST_LOSS).build();
        TrainResult result = new Trainer(settings, TOY.features, null, null, null).train();
        double[] losses = result.lossPerEpoch();
        int best = 0;
        for (int e = 1; e < losses.length; e++) {
            if (losses[e] < losses[best]) {
                best = e;
            }
        }
        assertTrue(best + 1 < losses.length, "the case needs a best epoch before the last: " + Arrays.toString(losses));
        assertEquals(best + 1, result.selectedEpoch());
        // Schedules span the configured epochs, so stopping after the best epoch reproduces that epoch's head.
        TrainResult stoppedAtBest = new Trainer(settings, TOY.features, null, null, null).trainUntil(best + 1);
        assertArrayEquals(stoppedAtBest.lastHead().parameters(), result.head().parameters());
        assertFalse(Arrays.equals(result.lastHead().parameters(), result.head().parameters()),
                "the selected head must not be the last epoch's");
    }

    @Test
    void lossPerRhoSelectionReturnsTheEpochWithTheLowestLossOverMeanRho() {
        TrainResult result = new Trainer(toySettings(Method.P2OT).epochs(6).selection(ModelSelection.LOSS_PER_RHO)
                .build(), TOY.features, null, null, null).train();
        int steps = (TOY.features.n() + 63) / 64;
        long total = 6L * steps;
        int best = 0;
        double bestValue = Double.POSITIVE_INFINITY;
        for (int e = 0; e < 6; e++) {
            double rhoSum = 0;
            for (int s = 0; s < steps; s++) {
                rhoSum += RhoSchedule.SIGMOID.rho(0.1, (long) e * steps + s, total);
            }
            double value = result.history().get(e).loss() / (rhoSum / steps);
            if (value < bestValue) {
                bestValue = value;
                best = e;
            }
        }
        assertEquals(best + 1, result.selectedEpoch());
    }

    @Test
    void lastSelectionReturnsTheFinalHead() {
        TrainResult result = new Trainer(toySettings(Method.P2OT).selection(ModelSelection.LAST).build(), TOY.features,
                null, null, null).train();
        assertEquals(result.lastHead(), result.head());
        assertEquals(4, result.selectedEpoch());
    }

    @Test
    void everySampleGetsALastEpochWeightBetweenZeroAndOne() {
        TrainResult result = new Trainer(toySettings(Method.P2OT).bankSize(0).build(), TOY.features, null, null, null)
                .train();
        for (float weight : result.sampleWeights()) {
            assertTrue(weight >= 0 && weight <= 1.0001f, "weight " + weight);
        }
    }

    @Test
    void listenerHearsEveryEpochInOrder() {
        List<Integer> epochs = new ArrayList<>();
        new Trainer(toySettings(Method.P2OT).build(), TOY.features, null, null,
                (stats, total, history) -> epochs.add(stats.epoch())).train();
        assertEquals(List.of(1, 2, 3, 4), epochs);
    }

    @Test
    void moreClustersThanSamplesIsRejectedNamingK() {
        ToyData tiny = new ToyData(1, 2, 1, 1);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(TrainSettings.builder(5).batchSize(2).bankSize(0).method(Method.P2OT).build(),
                        tiny.features, null, null, null));
        assertTrue(error.getMessage().contains("k=5 exceeds the number of samples N=4"), error.getMessage());
    }

    @Test
    void batchLargerThanTheDataIsRejectedNamingBatchSize() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(toySettings(Method.P2OT).batchSize(700).bankSize(0).build(), TOY.features, null,
                        null, null));
        assertTrue(error.getMessage().contains("batchSize=700 exceeds the number of samples N=600"), error.getMessage());
    }

    @Test
    void fewerThanTwoClustersIsRejectedNamingK() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TrainSettings.builder(1).build());
        assertTrue(error.getMessage().contains("k (number of clusters) must be >= 2, got 1"), error.getMessage());
    }

    @Test
    void sp2otWithoutAGraphIsRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new Trainer(toySettings(Method.SP2OT).build(), TOY.features, null, null, null));
        assertTrue(error.getMessage().startsWith("method sp2ot needs the k-NN graph"), error.getMessage());
    }

    @Test
    void resumingWithOtherSettingsIsRefused(@TempDir Path dir) throws IOException {
        HadoopCheckpointStore store = new HadoopCheckpointStore(new Configuration(), dir.toString(), 2);
        new Trainer(toySettings(Method.P2OT).build(), TOY.features, null, store, null).trainUntil(1);
        IllegalStateException error = assertThrows(IllegalStateException.class,
                () -> new Trainer(toySettings(Method.P2OT).epochs(5).build(), TOY.features, null, store, null).train());
        assertTrue(error.getMessage().startsWith("the checkpoint directory holds a run with other settings"));
    }

    /** Each row's neighbours: the next {@code k} rows of its own class (wrapping), weight 1. */
    public static KnnGraph sameClassGraph(ToyData data, int k) {
        int n = data.labels.length;
        int[] neighbors = new int[n * k];
        float[] weights = new float[n * k];
        for (int i = 0; i < n; i++) {
            int found = 0;
            for (int step = 1; found < k; step++) {
                int j = (i + step) % n;
                if (data.labels[j] == data.labels[i]) {
                    neighbors[i * k + found] = j;
                    weights[i * k + found] = 1f;
                    found++;
                }
            }
        }
        return new KnnGraph(n, k, neighbors, weights);
    }
}
