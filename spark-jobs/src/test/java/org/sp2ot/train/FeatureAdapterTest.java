package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.ml.data.HadoopCheckpointStore;
import org.sp2ot.solver.Backend;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.SolverSettings;

class FeatureAdapterTest {
    private static final ToyData TOY = new ToyData(7, 300, 200, 100);

    private static float[] random(int length, double scale, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] values = new float[length];
        for (int i = 0; i < length; i++) {
            values[i] = (float) ((random.nextDouble() * 2 - 1) * scale);
        }
        return values;
    }

    private static TrainSettings.Builder settings(AdapterKind adapter, Augmentation augment) {
        return TrainSettings.builder(3).method(Method.P2OT).epochs(4).batchSize(64).bankSize(256).learningRate(0.05)
                .solver(SolverSettings.defaults().withBackend(Backend.FAST))
                .setup(new TrainingSetup(HeadInit.KMEANS, 2, FeaturePreprocessing.Spec.NONE, LamScaling.NONE,
                        SecondView.NONE, adapter, 16, augment));
    }

    @Test
    void theZeroInitialisedResidualIsTheIdentity() {
        float[] x = random(9 * 12, 3, 1);
        FeatureAdapter adapter = FeatureAdapter.initial(12, 20, 5);
        assertArrayEquals(x, adapter.apply(x, 9));
        // ... although its hidden layer is not zero, so W2 gets a gradient from the first step
        FeatureAdapter.Pass pass = adapter.forward(x, 9);
        assertTrue(Arrays.stream(box(pass.preActivation())).anyMatch(v -> v > 0.1));
        float[] grad = adapter.backward(x, pass, random(9 * 12, 1, 2));
        int w2 = 20 * 12 + 20;
        assertTrue(Arrays.stream(box(Arrays.copyOfRange(grad, w2, w2 + 12 * 20))).anyMatch(v -> Math.abs(v) > 1e-3));
        assertArrayEquals(x, FeatureAdapter.identity(12).apply(x, 9));
    }

    @Test
    void backwardMatchesFiniteDifferencesThroughTheCosineHead() {
        gradientCheck(HeadKind.COSINE);
    }

    @Test
    void backwardMatchesFiniteDifferencesThroughTheLinearHead() {
        gradientCheck(HeadKind.LINEAR);
    }

    /**
     * The analytic gradient of soft-target cross-entropy through head and adapter (head input gradient, then the
     * adapter's backward) against central differences of the loss in every adapter parameter, W2 and b2 non-zero.
     */
    private static void gradientCheck(HeadKind kind) {
        int rows = 7;
        int dim = 6;
        int hidden = 5;
        int k = 4;
        float[] x = random(rows * dim, 1, 3);
        FeatureAdapter adapter = new FeatureAdapter(dim, hidden, random(FeatureAdapter.parameterCount(dim, hidden),
                0.6, 4));
        ClusterHead head = new ClusterHead(kind, dim, k, 3.0, random(ClusterHead.parameterCount(kind, dim, k), 1, 5));
        float[] targets = random(rows * k, 0.5, 6);
        for (int i = 0; i < targets.length; i++) {
            targets[i] = Math.abs(targets[i]) / (rows * 2);
        }
        FeatureAdapter.Pass pass = adapter.forward(x, rows);
        float[] logits = head.forward(pass.output(), rows);
        float[] dLogits = new float[rows * k];
        SoftTargetCrossEntropy.lossAndGradient(logits, targets, rows, k, dLogits);
        float[] analytic = adapter.backward(x, pass, head.inputGradient(pass.output(), rows, dLogits));

        float[] params = adapter.parameters();
        double h = 1e-3;
        double worst = 0;
        for (int p = 0; p < params.length; p++) {
            float[] plus = params.clone();
            plus[p] += (float) h;
            float[] minus = params.clone();
            minus[p] -= (float) h;
            double numeric = (loss(new FeatureAdapter(dim, hidden, plus), head, x, targets, rows)
                    - loss(new FeatureAdapter(dim, hidden, minus), head, x, targets, rows)) / ((plus[p] - minus[p]));
            worst = Math.max(worst, Math.abs(numeric - analytic[p]) / Math.max(1e-2, Math.abs(numeric)));
        }
        assertTrue(worst < 2e-2, kind + ": worst relative gradient error " + worst);
        // the check has teeth: a wrong sign on one block is far outside the tolerance
        assertTrue(maxAbs(analytic, 0) > 1e-2, "gradient entries to compare, largest " + maxAbs(analytic, 0));
    }

    private static double loss(FeatureAdapter adapter, ClusterHead head, float[] x, float[] targets, int rows) {
        float[] logits = head.forward(adapter.apply(x, rows), rows);
        return SoftTargetCrossEntropy.lossAndGradient(logits, targets, rows, head.k(), new float[logits.length]);
    }

    @Test
    void theFirstStepOfHeadAndAdapterMovesTheHeadExactlyAsTheHeadAlone() {
        // one epoch of one step over all rows: the adapter is the identity before the step, so the head's logits,
        // pseudo-labels and gradient, hence its Adam step, are those of training without an adapter
        int n = TOY.features.n();
        TrainResult alone = new Trainer(settings(AdapterKind.NONE, Augmentation.NONE).epochs(1).batchSize(n)
                .bankSize(0).build(), TOY.features, null, null, null).train();
        TrainResult adapted = new Trainer(settings(AdapterKind.RESIDUAL_MLP, Augmentation.NONE).epochs(1).batchSize(n)
                .bankSize(0).build(), TOY.features, null, null, null).train();
        assertArrayEquals(alone.head().parameters(), adapted.head().parameters());
        assertEquals(alone.history().get(0).loss(), adapted.history().get(0).loss(), 0.0);
        assertFalse(adapted.adapter().isIdentity());
        assertNotEquals(0f, maxAbs(adapted.adapter().parameters(), 16 * TOY.features.dim() + 16));
        assertTrue(alone.adapter().isIdentity());
    }

    private static float maxAbs(float[] values, int from) {
        float max = 0;
        for (int i = from; i < values.length; i++) {
            max = Math.max(max, Math.abs(values[i]));
        }
        return max;
    }

    @Test
    void aTrainedAdapterStillRecoversSeparableClusters() {
        TrainResult result = new Trainer(settings(AdapterKind.RESIDUAL_MLP, Augmentation.NONE).epochs(6).build(),
                TOY.features, null, null, null).train();
        int[] clusters = Predictions.of(result.head(), result.headInput(TOY.features.values(), TOY.features.n()),
                TOY.features.n()).clusters();
        assertTrue(TOY.matchedAccuracy(clusters, 3) >= 0.95, "accuracy " + TOY.matchedAccuracy(clusters, 3));
    }

    @Test
    void clusterSizesOfATwoViewRunAreThoseOfTheAdaptedFeatures() {
        TrainResult result = new Trainer(settings(AdapterKind.RESIDUAL_MLP, new Augmentation(0.2, 0.1)).epochs(3)
                .learningRate(0.005).build(), TOY.features, null, null, null).train();
        int[] clusters = Predictions.of(result.head(), result.headInput(TOY.features.values(), TOY.features.n()),
                TOY.features.n()).clusters();
        long[] sizes = new long[3];
        for (int c : clusters) {
            sizes[c]++;
        }
        assertArrayEquals(sizes, result.clusterSizes());
    }

    @Test
    void resumingWithAnAdapterAndTwoViewsGivesExactlyTheUninterruptedRun(@TempDir Path dir) throws IOException {
        TrainSettings s = settings(AdapterKind.RESIDUAL_MLP, new Augmentation(0.1, 0.2)).build();
        Configuration conf = new Configuration();
        HadoopCheckpointStore interrupted = new HadoopCheckpointStore(conf, dir.resolve("a").toString(), 2);
        new Trainer(s, TOY.features, null, interrupted, null).trainUntil(2);
        TrainResult resumed = new Trainer(s, TOY.features, null, interrupted, null).train();
        TrainResult uninterrupted = new Trainer(s, TOY.features, null,
                new HadoopCheckpointStore(conf, dir.resolve("b").toString(), 2), null).train();
        assertArrayEquals(uninterrupted.head().parameters(), resumed.head().parameters());
        assertEquals(uninterrupted.adapter(), resumed.adapter());
        assertArrayEquals(uninterrupted.lossPerEpoch(), resumed.lossPerEpoch());
    }

    @Test
    void augmentedViewsAreReproducibleDistinctAndKeepTheirScale() {
        int rows = 200;
        int dim = 50;
        float[] x = random(rows * dim, 1, 8);
        Augmentation dropout = new Augmentation(0.25, 0);
        float[] a = dropout.apply(x, rows, dim, 0, 7, 0);
        assertArrayEquals(a, dropout.apply(x, rows, dim, 0, 7, 0));
        assertFalse(Arrays.equals(a, dropout.apply(x, rows, dim, 0, 7, 1)), "view b differs from view a");
        int zeros = 0;
        double sum = 0;
        double sumIn = 0;
        for (int i = 0; i < a.length; i++) {
            if (a[i] == 0) {
                zeros++;
            } else {
                assertEquals(x[i] / 0.75, a[i], 1e-5);
            }
            sum += a[i];
            sumIn += x[i];
        }
        assertEquals(0.25, (double) zeros / a.length, 0.02);
        Augmentation noise = new Augmentation(0, 0.3);
        float[] b = noise.apply(x, rows, dim, 0, 7, 0);
        double squaredNoise = 0;
        double squaredX = 0;
        for (int i = 0; i < b.length; i++) {
            squaredNoise += (b[i] - x[i]) * (b[i] - x[i]);
            squaredX += x[i] * x[i];
        }
        assertEquals(0.3, Math.sqrt(squaredNoise / squaredX), 0.02);
        assertFalse(Augmentation.NONE.isActive());
        assertTrue(Math.abs(sum - sumIn) < 0.05 * a.length, "inverted dropout keeps the mean");
    }

    @Test
    void badSettingsAreRejectedNamingThem() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Augmentation(1, 0)).getMessage()
                .contains("dropout"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new Augmentation(0, -1)).getMessage()
                .contains("noise"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeatureAdapter.initial(4, 0, 1)).getMessage()
                .contains("hidden"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> AdapterKind.parse("mlp")).getMessage()
                .contains("residual-mlp"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HeadPredictor(
                ClusterHead.initial(HeadKind.COSINE, 4, 2, 10, 1), FeaturePreprocessing.identity(4),
                FeatureAdapter.initial(5, 3, 1))).getMessage().contains("adapter"));
    }

    private static Float[] box(float[] values) {
        Float[] out = new Float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
