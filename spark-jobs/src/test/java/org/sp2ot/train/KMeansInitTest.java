package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.sp2ot.solver.Backend;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.SolverSettings;

class KMeansInitTest {
    private static final int DIM = 4;
    private static final float[][] CENTRES = {{5, 0, 0, 0}, {0, 5, 0, 0}, {0, 0, 5, 0}};

    /** Tight blobs around known centres, 200 / 60 / 20 rows (long-tailed). */
    private static float[] blobs(int[] sizes) {
        int n = sizes[0] + sizes[1] + sizes[2];
        float[] x = new float[n * DIM];
        SplittableRandom random = new SplittableRandom(3);
        int row = 0;
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < sizes[c]; i++, row++) {
                for (int d = 0; d < DIM; d++) {
                    x[row * DIM + d] = (float) (CENTRES[c][d] + 0.1 * (random.nextDouble() * 2 - 1));
                }
            }
        }
        return x;
    }

    @Test
    void recoversTheCentresOfSeparatedBlobsAndTheirMeans() {
        int[] sizes = {200, 60, 20};
        float[] x = blobs(sizes);
        KMeansInit.Result result = KMeansInit.fit(x, 280, DIM, 3, 3, 100, 0, false);
        for (float[] centre : CENTRES) {
            double best = Double.POSITIVE_INFINITY;
            for (int j = 0; j < 3; j++) {
                best = Math.min(best, KMeansInit.distance(centre, 0, result.centroids(), j * DIM, DIM, false));
            }
            assertTrue(best < 0.01, "a centre is not recovered: squared distance " + best);
        }
        // each centroid is exactly the mean of the rows assigned to it
        double[] mean = new double[DIM];
        int count = 0;
        for (int i = 0; i < 280; i++) {
            if (result.assignment()[i] == result.assignment()[0]) {
                count++;
                for (int d = 0; d < DIM; d++) {
                    mean[d] += x[i * DIM + d];
                }
            }
        }
        assertEquals(200, count);
        for (int d = 0; d < DIM; d++) {
            assertEquals(mean[d] / count, result.centroids()[result.assignment()[0] * DIM + d], 1e-5);
        }
    }

    @Test
    void theSameSeedReproducesTheCentroidsExactly() {
        float[] x = blobs(new int[] {50, 30, 20});
        KMeansInit.Result a = KMeansInit.fit(x, 100, DIM, 5, 2, 50, 11, true);
        KMeansInit.Result b = KMeansInit.fit(x, 100, DIM, 5, 2, 50, 11, true);
        assertArrayEquals(a.centroids(), b.centroids());
        assertArrayEquals(a.assignment(), b.assignment());
        for (int j = 0; j < 5; j++) {
            double norm = ClusterHead.dot(a.centroids(), j * DIM, a.centroids(), j * DIM, DIM);
            assertEquals(1.0, norm, 1e-5, "spherical centroids have unit norm");
        }
    }

    @Test
    void restartsRunSideBySideGiveTheSequentialFitBitForBit() {
        // greedy seeding, restarts with unequal costs
        int n = 300;
        int dim = 130;
        float[] x = new float[n * dim];
        SplittableRandom random = new SplittableRandom(17);
        for (int i = 0; i < n; i++) {
            int centre = i % 7;
            for (int d = 0; d < dim; d++) {
                x[i * dim + d] = (float) ((d % 7 == centre ? 2 : 0) + random.nextGaussian());
            }
        }
        for (boolean spherical : new boolean[] {false, true}) {
            KMeansInit.Result sequential = KMeansInit.fit(x, n, dim, 7, 6, 100, 5, spherical, 3, false);
            KMeansInit.Result parallel = KMeansInit.fit(x, n, dim, 7, 6, 100, 5, spherical, 3, true);
            assertArrayEquals(sequential.restartCosts(), parallel.restartCosts());
            assertEquals(sequential.restart(), parallel.restart());
            assertArrayEquals(sequential.centroids(), parallel.centroids());
            assertArrayEquals(sequential.assignment(), parallel.assignment());
            assertTrue(java.util.Arrays.stream(sequential.restartCosts()).distinct().count() > 1,
                    "the restarts should differ, or the test cannot tell which one was kept");
        }
    }

    @Test
    void aLinearHeadStartedFromKMeansAssignsExactlyLikeKMeans() {
        ToyData toy = new ToyData(5, 200, 80, 20);
        ClusterHead start = startingHead(toy, HeadKind.LINEAR, HeadInit.KMEANS, 2);
        KMeansInit.Result km = KMeansInit.fit(toy.features.values(), toy.features.n(), ToyData.DIM, 3, 2, 100, 0,
                false);
        assertArrayEquals(km.assignment(), Predictions.of(start, toy.features.values(), toy.features.n())
                .clusters());
    }

    @Test
    void aCosineHeadStartsAtTheSphericalCentroids() {
        ToyData toy = new ToyData(5, 200, 80, 20);
        ClusterHead start = startingHead(toy, HeadKind.COSINE, HeadInit.KMEANS, 2);
        KMeansInit.Result km = KMeansInit.fit(toy.features.values(), toy.features.n(), ToyData.DIM, 3, 2, 100, 0,
                true);
        assertArrayEquals(km.centroids(), start.parameters());
        assertTrue(toy.matchedAccuracy(Predictions.of(start, toy.features.values(), toy.features.n()).clusters(), 3)
                >= 0.95);
    }

    @Test
    void aCosineHeadStartedFromEuclideanKMeansPointsAtTheBaselinesCentroids() {
        ToyData toy = new ToyData(5, 200, 80, 20);
        ClusterHead start = startingHead(toy, HeadKind.COSINE, HeadInit.KMEANS_EUCLIDEAN, 4);
        // the baseline's fit (jobs.eval.KMeansBaseline): Euclidean, greedy k-means++, 300 iterations at most
        KMeansInit.Result km = KMeansInit.fit(toy.features.values(), toy.features.n(), ToyData.DIM, 3, 4,
                KMeansInit.DEFAULT_MAX_ITER, 0, false, KMeansInit.greedyTrials(3));
        KMeansInit.Result spherical = KMeansInit.fit(toy.features.values(), toy.features.n(), ToyData.DIM, 3, 4, 100,
                0, true);
        float[] expected = km.centroids().clone();
        for (int j = 0; j < 3; j++) {
            double norm = Math.sqrt(ClusterHead.dot(expected, j * ToyData.DIM, expected, j * ToyData.DIM,
                    ToyData.DIM));
            assertTrue(norm > 0.1, "the toy centroids are away from the origin");
            for (int d = 0; d < ToyData.DIM; d++) {
                expected[j * ToyData.DIM + d] /= (float) norm;
            }
        }
        assertArrayEquals(expected, start.parameters(), 1e-6f);
        // ... which are not the spherical k-means prototypes of init = kmeans (the start depends on the choice)
        double gap = 0;
        for (int i = 0; i < expected.length; i++) {
            gap = Math.max(gap, Math.abs(expected[i] - spherical.centroids()[i]));
        }
        assertTrue(gap > 1e-4, "Euclidean and spherical starts coincide on the toy set: " + gap);
        assertTrue(toy.matchedAccuracy(Predictions.of(start, toy.features.values(), toy.features.n()).clusters(), 3)
                >= 0.95);
    }

    @Test
    void aLinearHeadStartedFromEuclideanKMeansAssignsExactlyLikeTheBaselinesFit() {
        ToyData toy = new ToyData(5, 200, 80, 20);
        ClusterHead start = startingHead(toy, HeadKind.LINEAR, HeadInit.KMEANS_EUCLIDEAN, 3);
        KMeansInit.Result km = KMeansInit.fit(toy.features.values(), toy.features.n(), ToyData.DIM, 3, 3,
                KMeansInit.DEFAULT_MAX_ITER, 0, false, KMeansInit.greedyTrials(3));
        assertArrayEquals(km.assignment(), Predictions.of(start, toy.features.values(), toy.features.n())
                .clusters());
    }

    @Test
    void headInitNamesParseBothWays() {
        for (HeadInit init : HeadInit.values()) {
            assertEquals(init, HeadInit.parse(init.configName()));
        }
        assertEquals("kmeans-euclidean", HeadInit.KMEANS_EUCLIDEAN.configName());
    }

    /** Potential (sum of squared distances to the nearest seed) of a seeding. */
    private static double potential(float[] x, int n, float[] seeds, int k) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            double best = Double.POSITIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                best = Math.min(best, KMeansInit.distance(x, i * DIM, seeds, c * DIM, DIM, false));
            }
            sum += best;
        }
        return sum;
    }

    @Test
    void greedySeedingLowersThePotentialOfPlainKMeansPlusPlus() {
        // 12 blobs of very different sizes; K = 12 seeds: plain D^2 sampling often puts two seeds in one blob
        int n = 600;
        int k = 12;
        float[] x = new float[n * DIM];
        SplittableRandom random = new SplittableRandom(5);
        for (int i = 0; i < n; i++) {
            int blob = (int) Math.floor(Math.pow(random.nextDouble(), 3) * k);
            for (int d = 0; d < DIM; d++) {
                x[i * DIM + d] = (float) ((d == blob % DIM ? 6 * (1 + blob / DIM) : 0) + random.nextGaussian());
            }
        }
        double plain = 0;
        double greedy = 0;
        for (long seed = 0; seed < 20; seed++) {
            plain += potential(x, n, KMeansInit.seedPlusPlus(x, n, DIM, k, new SplittableRandom(seed), false, 1), k);
            greedy += potential(x, n, KMeansInit.seedPlusPlus(x, n, DIM, k, new SplittableRandom(seed), false,
                    KMeansInit.greedyTrials(k)), k);
        }
        assertTrue(greedy < 0.9 * plain, "greedy k-means++ potential " + greedy + " vs plain " + plain);
    }

    @Test
    void greedyTrialsIsScikitLearnsTwoPlusFloorLnK() {
        assertEquals(2, KMeansInit.greedyTrials(1));
        assertEquals(4, KMeansInit.greedyTrials(10));
        assertEquals(6, KMeansInit.greedyTrials(100));
        assertEquals(8, KMeansInit.greedyTrials(1000));
    }

    /** The head at epoch 0 (before any step) of a P2OT run on the toy set with the given head and start. */
    private static ClusterHead startingHead(ToyData toy, HeadKind head, HeadInit init, int restarts) {
        TrainSettings settings = TrainSettings.builder(3).method(Method.P2OT).epochs(1).batchSize(50).bankSize(100)
                .head(head).selection(ModelSelection.LAST)
                .solver(SolverSettings.defaults().withBackend(Backend.REFERENCE))
                .setup(new TrainingSetup(init, restarts, FeaturePreprocessing.Spec.NONE, LamScaling.NONE,
                        SecondView.NONE)).build();
        return new Trainer(settings, toy.features, null, null, null).trainUntil(0).head();
    }
}
