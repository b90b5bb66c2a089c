package org.sp2ot.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;

import org.junit.jupiter.api.Test;

class PcaTest {

    @Test
    void theMapKeepsTheTwoDirectionsOfLargestSpread() {
        // 400 rows in 5-d: spread 10 along e3, 3 along e1, 0.1 along the others; offset by a constant mean
        Random random = new Random(1);
        int n = 400;
        int d = 5;
        float[] rows = new float[n * d];
        double[] along3 = new double[n];
        double[] along1 = new double[n];
        for (int i = 0; i < n; i++) {
            along3[i] = 10 * random.nextGaussian();
            along1[i] = 3 * random.nextGaussian();
            for (int j = 0; j < d; j++) {
                rows[i * d + j] = (float) (5 + 0.1 * random.nextGaussian());
            }
            rows[i * d + 3] += (float) along3[i];
            rows[i * d + 1] += (float) along1[i];
        }
        double[] xy = Pca.project2d(rows, n, d, 0);
        assertTrue(Math.abs(correlation(xy, 0, along3)) > 0.999);
        assertTrue(Math.abs(correlation(xy, 1, along1)) > 0.99);
        double meanX = 0;
        for (int i = 0; i < n; i++) {
            meanX += xy[2 * i] / n;
        }
        assertEquals(0, meanX, 1e-6);
    }

    private static double correlation(double[] xy, int axis, double[] truth) {
        int n = truth.length;
        double ma = 0;
        double mb = 0;
        for (int i = 0; i < n; i++) {
            ma += xy[2 * i + axis] / n;
            mb += truth[i] / n;
        }
        double sab = 0;
        double saa = 0;
        double sbb = 0;
        for (int i = 0; i < n; i++) {
            double a = xy[2 * i + axis] - ma;
            double b = truth[i] - mb;
            sab += a * b;
            saa += a * a;
            sbb += b * b;
        }
        return sab / Math.sqrt(saa * sbb);
    }
}
