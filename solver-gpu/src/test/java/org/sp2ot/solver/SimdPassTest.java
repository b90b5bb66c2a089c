package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.DoubleVector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@link SimdPass}'s exp, log and exp build repeat the scalar code bit for bit: {@link FastMath#exp} and
 * {@link FastMath#log} lane by lane, over the
 * whole double range and its edges, and a kernel row (its shift and its entries) for widths with and without a lane
 * remainder and a virtual column.
 */
class SimdPassTest {

    @Test
    void logSumExpMatchesTheScalarMethodForEveryWidth() {
        assertTrue(Simd.enabled(), Simd.describe());
        SplittableRandom random = new SplittableRandom(17);
        for (int k = 1; k <= 41; k++) {
            for (int trial = 0; trial < 50; trial++) {
                float[] row = new float[k + 3];
                double spread = trial % 3 == 0 ? 1 : trial % 3 == 1 ? 30 : 3000;
                for (int j = 0; j < row.length; j++) {
                    row[j] = (float) (random.nextGaussian() * spread);
                }
                if (trial == 7) {
                    row[3 + random.nextInt(k)] = Float.NEGATIVE_INFINITY;
                }
                double scalar = Softmax.logSumExp(row, 3, k);
                double lanes = SimdPass.logSumExp(row, 3, k);
                if (Double.isNaN(scalar)) { // a row of only -Infinity
                    assertTrue(Double.isNaN(lanes), "k = " + k + ", trial " + trial + ": " + lanes);
                } else {
                    assertEquals(scalar, lanes, 1e-13 * Math.max(1.0, Math.abs(scalar)), "k = " + k + ", trial "
                            + trial);
                }
            }
        }
        float[] poisoned = {1f, 2f, Float.NaN, 4f, 5f, 6f, 7f, 8f, 9f};
        assertTrue(Double.isNaN(SimdPass.logSumExp(poisoned, 0, poisoned.length)), "a NaN logit must give NaN");
        float[] infinite = {1f, 2f, 3f, 4f, 5f, Float.POSITIVE_INFINITY, 7f, 8f, 9f};
        assertTrue(Double.isNaN(SimdPass.logSumExp(infinite, 0, infinite.length)), "+Infinity must give NaN");
    }

    @Test
    void weightedRowSumEqualsTheScalarSumForEveryGroupOfRows() {
        assertTrue(Simd.enabled(), Simd.describe());
        SplittableRandom random = new SplittableRandom(23);
        int rowsInM = 40;
        for (int k : new int[] {1, 3, 4, 7, 37}) {
            float[] m = new float[rowsInM * k];
            for (int idx = 0; idx < m.length; idx++) {
                m[idx] = (float) random.nextDouble();
            }
            // 0 to 21 rows: every mix of the groups of eight, four and one, repeated rows included
            for (int count = 0; count <= 21; count++) {
                int[] rows = new int[count + 2];
                double[] weights = new double[count + 2];
                for (int e = 0; e < rows.length; e++) {
                    rows[e] = random.nextInt(rowsInM);
                    weights[e] = random.nextDouble();
                }
                double[] col = new double[k + 3];
                java.util.Arrays.fill(col, Double.NaN); // overwritten, not added to
                SimdPass.weightedRowSum(m, rows, weights, 1, 1 + count, k, col, 2);
                for (int j = 0; j < k; j++) {
                    double expected = 0;
                    double magnitude = 0;
                    for (int e = 1; e <= count; e++) {
                        expected += weights[e] * m[rows[e] * k + j];
                        magnitude += Math.abs(weights[e] * m[rows[e] * k + j]);
                    }
                    assertEquals(expected, col[2 + j], 1e-15 * magnitude + Double.MIN_VALUE,
                            "k " + k + ", " + count + " rows, column " + j);
                }
                assertTrue(Double.isNaN(col[0]) && Double.isNaN(col[1]) && Double.isNaN(col[k + 2]),
                        "wrote outside its range");
            }
        }
    }

    @Test
    void logLanesAreFastMathLogBitForBit() {
        assertTrue(Simd.enabled(), Simd.describe());
        SplittableRandom random = new SplittableRandom(9);
        int lanes = SimdPass.lanes();
        double[] x = new double[lanes * 4096];
        for (int i = 0; i < x.length; i++) {
            // positive normal numbers over the whole range, and values around sqrt(2) and 1 (the branch points)
            x[i] = i % 3 == 0 ? Math.exp(random.nextDouble(-700, 700))
                    : i % 3 == 1 ? 1.4142135623730951 * (1 + random.nextDouble(-1e-12, 1e-12))
                    : 1 + random.nextDouble(-1e-3, 1e-3);
        }
        x[0] = Double.MIN_NORMAL;
        x[1] = Double.MAX_VALUE;
        x[2] = 1.0;
        for (int i = 0; i < x.length; i += lanes) {
            double[] out = new double[lanes];
            SimdPass.log(DoubleVector.fromArray(DoubleVector.SPECIES_PREFERRED, x, i)).intoArray(out, 0);
            for (int l = 0; l < lanes; l++) {
                assertEquals(Double.doubleToRawLongBits(FastMath.log(x[i + l])), Double.doubleToRawLongBits(out[l]),
                        "log(" + x[i + l] + ")");
            }
        }
    }

    @Test
    void expLanesAreFastMathExpBitForBit() {
        assertTrue(Simd.enabled(), Simd.describe());
        int lanes = SimdPass.lanes();
        SplittableRandom random = new SplittableRandom(3);
        double[] special = {0.0, -0.0, 1e-300, -69.0, -69.0000001, FastMath.MIN_ARGUMENT, FastMath.MIN_ARGUMENT - 1e-9,
                FastMath.MAX_ARGUMENT, FastMath.MAX_ARGUMENT + 1e-9, -745.2, 710.0, Double.NaN,
                Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 0.5 * Math.log(2), -0.5 * Math.log(2)};
        int count = 200_000 + special.length;
        count += lanes - count % lanes;
        double[] x = new double[count];
        for (int i = 0; i < count; i++) {
            x[i] = i < special.length ? special[i] : (random.nextDouble() * 2 - 1) * (i % 3 == 0 ? 760 : 40);
        }
        double[] vector = new double[count];
        for (int i = 0; i < count; i += lanes) {
            SimdPass.exp(DoubleVector.fromArray(DoubleVector.SPECIES_PREFERRED, x, i)).intoArray(vector, i);
        }
        for (int i = 0; i < count; i++) {
            assertEquals(Double.doubleToLongBits(FastMath.exp(x[i])), Double.doubleToLongBits(vector[i]),
                    "exp(" + x[i] + ")");
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 2", "7, 8", "8, 8", "8, 9", "13, 14", "100, 101", "1000, 1001", "1000, 1000"})
    void kernelRowBuildIsTheScalarBuildBitForBit(int k, int kx) {
        SplittableRandom random = new SplittableRandom(k * 31L + kx);
        double eps = 0.05;
        double[] cost = new double[k];
        double[] v = new double[kx];
        for (int j = 0; j < k; j++) {
            // the second half far above the row's best: whole lane groups below the flush line (stored as 0, no exp)
            cost[j] = j >= k / 2 && k >= 8 ? 6 + 2 * random.nextDouble() : random.nextDouble() * (j % 4 == 0 ? 8 : 1);
            v[j] = random.nextGaussian() * 0.3;
        }
        if (kx > k) {
            v[k] = -0.2;
        }
        double ui = 0.4;
        double[] scalarRow = new double[kx];
        double[] vectorRow = new double[kx];
        double[] scalarMax = new double[kx];
        double[] vectorMax = new double[kx];
        java.util.Arrays.fill(scalarMax, -3.0);
        java.util.Arrays.fill(vectorMax, -3.0);
        java.util.Arrays.fill(scalarRow, Double.NaN); // every entry is written, flushed ones too
        java.util.Arrays.fill(vectorRow, Double.NaN);
        assertEquals(FastScaling.rowShift(cost, 0, k, kx, v, false), FastScaling.rowShift(cost, 0, k, kx, v, true));
        FastScaling.buildRow(cost, 0, k, kx, ui, v, 1 / eps, scalarRow, 0, scalarMax, false);
        FastScaling.buildRow(cost, 0, k, kx, ui, v, 1 / eps, vectorRow, 0, vectorMax, true);
        assertArrayEquals(scalarRow, vectorRow);
        assertArrayEquals(scalarMax, vectorMax);
        boolean flushed = false;
        for (double entry : scalarRow) {
            flushed |= entry == 0.0;
        }
        assertTrue(flushed || k < 8, "the row should reach the flush line (exponent below -69)");
        int lanes = SimdPass.lanes();
        boolean wholeGroup = false;
        for (int j = 0; j + lanes <= k - k % lanes; j += lanes) {
            boolean all = true;
            for (int lane = 0; lane < lanes; lane++) {
                all &= scalarRow[j + lane] == 0.0;
            }
            wholeGroup |= all;
        }
        assertTrue(wholeGroup || k < 2 * lanes + 2, "no lane group was flushed whole: its branch went untested");
    }
}
