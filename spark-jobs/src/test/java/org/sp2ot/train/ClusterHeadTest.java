package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ClusterHeadTest {
    private static final int ROWS = 6;
    private static final int DIM = 5;
    private static final int K = 4;

    @Test
    void cosineLogitsAreScaledCosinesOfFeaturesAndPrototypes() {
        float[] params = {3, 4, 0, 0, 0, 0, 0, 2};
        ClusterHead head = new ClusterHead(HeadKind.COSINE, 2, 4, 10, params);
        float[] logits = head.forward(new float[] {2, 0}, 1);
        assertArrayEquals(new float[] {6f, 0f, 0f, 0f}, logits, 1e-6f);
        float[] diagonal = head.forward(new float[] {1, 1}, 1);
        assertEquals(10 * (3 + 4) / (5 * Math.sqrt(2)), diagonal[0], 1e-5);
        assertEquals(10 / Math.sqrt(2), diagonal[3], 1e-5);
    }

    @Test
    void cosineLogitsIgnoreTheScaleOfFeaturesAndPrototypes() {
        ClusterHead head = ClusterHead.initial(HeadKind.COSINE, DIM, K, 10, 1);
        float[] x = randomFeatures(2, 9);
        float[] scaled = x.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 37f;
        }
        float[] params = head.parameters();
        for (int i = 0; i < params.length; i++) {
            params[i] *= 0.01f;
        }
        ClusterHead shrunk = new ClusterHead(HeadKind.COSINE, DIM, K, 10, params);
        assertArrayEquals(head.forward(x, 2), shrunk.forward(scaled, 2), 1e-4f);
    }

    @Test
    void cosineGradientMatchesFiniteDifferencesThroughTheWeightNormalisation() {
        assertGradientMatchesFiniteDifferences(HeadKind.COSINE);
    }

    @Test
    void linearGradientMatchesFiniteDifferences() {
        assertGradientMatchesFiniteDifferences(HeadKind.LINEAR);
    }

    @Test
    void cosineGradientIsOrthogonalToEachPrototype() {
        ClusterHead head = ClusterHead.initial(HeadKind.COSINE, DIM, K, 10, 3);
        float[] x = randomFeatures(ROWS, 4);
        float[] targets = randomTargets(ROWS, 5);
        float[] dLogits = new float[ROWS * K];
        SoftTargetCrossEntropy.lossAndGradient(head.forward(x, ROWS), targets, ROWS, K, dLogits);
        float[] grad = head.backward(x, ROWS, dLogits);
        float[] params = head.parameters();
        for (int j = 0; j < K; j++) {
            assertEquals(0, ClusterHead.dot(grad, j * DIM, params, j * DIM, DIM), 1e-6, "prototype " + j);
        }
    }

    @Test
    void wrongParameterCountIsRejectedWithTheExpectedCount() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new ClusterHead(HeadKind.LINEAR, 3, 2, 10, new float[6]));
        assertEquals("a linear head with dim=3, k=2 has 8 parameters, got 6", error.getMessage());
    }

    private static void assertGradientMatchesFiniteDifferences(HeadKind kind) {
        ClusterHead head = ClusterHead.initial(kind, DIM, K, 10, 11);
        float[] x = randomFeatures(ROWS, 12);
        float[] targets = randomTargets(ROWS, 13);
        float[] dLogits = new float[ROWS * K];
        SoftTargetCrossEntropy.lossAndGradient(head.forward(x, ROWS), targets, ROWS, K, dLogits);
        float[] analytic = head.backward(x, ROWS, dLogits);

        double[] params = new double[analytic.length];
        float[] floatParams = head.parameters();
        for (int i = 0; i < params.length; i++) {
            params[i] = floatParams[i];
        }
        double h = 1e-6;
        for (int p = 0; p < params.length; p++) {
            double saved = params[p];
            params[p] = saved + h;
            double plus = referenceLoss(kind, params, x, targets);
            params[p] = saved - h;
            double minus = referenceLoss(kind, params, x, targets);
            params[p] = saved;
            double numeric = (plus - minus) / (2 * h);
            assertEquals(numeric, analytic[p], 1e-5 + 1e-4 * Math.abs(numeric), "parameter " + p);
        }
    }

    /** The loss of ALGORITHM.md §4 written out in double precision, independently of the production code. */
    private static double referenceLoss(HeadKind kind, double[] params, float[] x, float[] targets) {
        double loss = 0;
        for (int i = 0; i < ROWS; i++) {
            double xNorm = 0;
            for (int c = 0; c < DIM; c++) {
                xNorm += x[i * DIM + c] * x[i * DIM + c];
            }
            xNorm = Math.sqrt(xNorm);
            double[] z = new double[K];
            for (int j = 0; j < K; j++) {
                double dot = 0;
                double vNorm = 0;
                for (int c = 0; c < DIM; c++) {
                    dot += x[i * DIM + c] * params[j * DIM + c];
                    vNorm += params[j * DIM + c] * params[j * DIM + c];
                }
                z[j] = kind == HeadKind.COSINE ? 10 * dot / (xNorm * Math.sqrt(vNorm)) : dot + params[K * DIM + j];
            }
            double max = Double.NEGATIVE_INFINITY;
            for (double value : z) {
                max = Math.max(max, value);
            }
            double sum = 0;
            for (double value : z) {
                sum += Math.exp(value - max);
            }
            for (int j = 0; j < K; j++) {
                loss -= targets[i * K + j] * (z[j] - max - Math.log(sum));
            }
        }
        return loss / ROWS;
    }

    static float[] randomFeatures(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] x = new float[rows * DIM];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return x;
    }

    static float[] randomTargets(int rows, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[] q = new float[rows * K];
        for (int i = 0; i < q.length; i++) {
            q[i] = (float) random.nextDouble() / K;
        }
        return q;
    }
}
