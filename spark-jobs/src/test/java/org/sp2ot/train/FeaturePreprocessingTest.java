package org.sp2ot.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class FeaturePreprocessingTest {

    /** Correlated 3-d rows: x = A z + offset with z standard normal. */
    private static float[] correlated(int n) {
        SplittableRandom random = new SplittableRandom(9);
        float[] x = new float[n * 3];
        for (int i = 0; i < n; i++) {
            double z0 = gaussian(random);
            double z1 = gaussian(random);
            double z2 = gaussian(random);
            x[i * 3] = (float) (4 + 3 * z0 + z1);
            x[i * 3 + 1] = (float) (-2 + z0 + 2 * z1);
            x[i * 3 + 2] = (float) (1 + 0.5 * z2);
        }
        return x;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    @Test
    void pcaWhiteningGivesZeroMeanUnitCovarianceOnTheTrainingRows() {
        int n = 2000;
        float[] x = correlated(n);
        FeaturePreprocessing p = FeaturePreprocessing.fit(x, n, 3, new FeaturePreprocessing.Spec(true, 2, true,
                false));
        assertEquals(2, p.outDim());
        float[] y = p.applyAll(x, n);
        double[][] cov = new double[2][2];
        double[] mean = new double[2];
        for (int i = 0; i < n; i++) {
            for (int a = 0; a < 2; a++) {
                mean[a] += y[i * 2 + a] / n;
                for (int b = 0; b < 2; b++) {
                    cov[a][b] += (double) y[i * 2 + a] * y[i * 2 + b] / (n - 1);
                }
            }
        }
        assertEquals(0, mean[0], 1e-4);
        assertEquals(0, mean[1], 1e-4);
        assertEquals(1, cov[0][0], 1e-3);
        assertEquals(1, cov[1][1], 1e-3);
        assertEquals(0, cov[0][1], 1e-3);
    }

    @Test
    void oneRowAndAllRowsAreTransformedAlikeAndL2IsLast() {
        int n = 50;
        float[] x = correlated(n);
        FeaturePreprocessing p = FeaturePreprocessing.fit(x, n, 3, new FeaturePreprocessing.Spec(true, 3, false,
                true));
        float[] all = p.applyAll(x, n);
        for (int i = 0; i < n; i++) {
            float[] row = p.apply(java.util.Arrays.copyOfRange(x, i * 3, i * 3 + 3));
            assertArrayEquals(java.util.Arrays.copyOfRange(all, i * 3, i * 3 + 3), row, 1e-6f);
            assertEquals(1, ClusterHead.dot(row, 0, row, 0, 3), 1e-5);
        }
    }

    @Test
    void centeringOnlySubtractsTheMeanAndNoneIsTheIdentity() {
        float[] x = {1, 2, 3, 6};
        FeaturePreprocessing centre = FeaturePreprocessing.fit(x, 2, 2, new FeaturePreprocessing.Spec(true, 0, false,
                false));
        assertArrayEquals(new float[] {-1, -2, 1, 2}, centre.applyAll(x, 2));
        FeaturePreprocessing none = FeaturePreprocessing.fit(x, 2, 2, FeaturePreprocessing.Spec.NONE);
        assertTrue(none.isIdentity());
        assertArrayEquals(x, none.applyAll(x, 2));
    }

    @Test
    void badSpecsAreRejectedNamingTheKey() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new FeaturePreprocessing.Spec(false, 0, true,
                false)).getMessage().contains("pca-dim"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeaturePreprocessing.fit(new float[6], 2, 3,
                new FeaturePreprocessing.Spec(true, 4, false, false))).getMessage().contains("pca-dim"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FeaturePreprocessing.identity(3)
                .apply(new float[2])).getMessage().contains("expects 3 features"));
    }
}
