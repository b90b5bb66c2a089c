package org.sp2ot.solver;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The two loops of {@link CpuKernelEngine}'s fused pass over a float32 kernel, written with the JDK's Vector API
 * ({@code jdk.incubator.vector}): each step loads {@code L} floats of a kernel row, widens them to {@code L} doubles and
 * works in float64, so the kernel is read as 4 bytes an entry (half the traffic of the double copy, and at N = 5120,
 * K = 1000 small enough for this machine's L3) while every product and sum stays float64 as in the scalar loops.
 * C2 on JDK 17 does not vectorise the float-to-double widening by itself, which is why this class exists.
 *
 * <p>Only {@link Simd} touches this class, and only after it found the module in the boot layer: without
 * {@code --add-modules jdk.incubator.vector} the class is never loaded and the scalar loops run instead.
 *
 * <p>Order of operations: the column update {@code col_j += (a0 M_0j + a1 M_1j) + (a2 M_2j + a3 M_3j)} is the scalar
 * loop's, element for element, so it is bit-identical. A row's dot product sums in {@code L} lanes, then across the
 * lanes, then the tail: the same value up to float64 rounding, not the same bits.
 *
 * <p>It also holds the exp build of a kernel row ({@link #buildRow}) with {@link FastMath#exp}'s algorithm lane by
 * lane: the same operations in the same order (no fused multiply-add, as in the scalar code), so every entry is
 * bit-identical to the scalar build.
 */
final class SimdPass {
    private static final VectorSpecies<Double> DOUBLES = DoubleVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Float> FLOATS =
            FloatVector.SPECIES_PREFERRED.withShape(VectorShape.forBitSize(DOUBLES.vectorBitSize() / 2));
    private static final int LANES = DOUBLES.length();

    private SimdPass() {
    }

    /** Number of float64 lanes of this machine's preferred vector shape. */
    static int lanes() {
        return LANES;
    }

    /** {@code out[0..3] = (M b)} of the four rows starting at {@code r0} (rows {@code width} apart). */
    static void dot4(float[] m, int r0, int width, double[] b, double[] out) {
        int r1 = r0 + width;
        int r2 = r1 + width;
        int r3 = r2 + width;
        DoubleVector s0 = DoubleVector.zero(DOUBLES);
        DoubleVector s1 = s0;
        DoubleVector s2 = s0;
        DoubleVector s3 = s0;
        int upper = width - width % LANES;
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector bj = DoubleVector.fromArray(DOUBLES, b, j);
            s0 = widen(m, r0 + j).fma(bj, s0);
            s1 = widen(m, r1 + j).fma(bj, s1);
            s2 = widen(m, r2 + j).fma(bj, s2);
            s3 = widen(m, r3 + j).fma(bj, s3);
        }
        double t0 = s0.reduceLanes(VectorOperators.ADD);
        double t1 = s1.reduceLanes(VectorOperators.ADD);
        double t2 = s2.reduceLanes(VectorOperators.ADD);
        double t3 = s3.reduceLanes(VectorOperators.ADD);
        for (; j < width; j++) {
            double bj = b[j];
            t0 += m[r0 + j] * bj;
            t1 += m[r1 + j] * bj;
            t2 += m[r2 + j] * bj;
            t3 += m[r3 + j] * bj;
        }
        out[0] = t0;
        out[1] = t1;
        out[2] = t2;
        out[3] = t3;
    }

    /** {@code col += a0 M_r0 + a1 M_r1 + a2 M_r2 + a3 M_r3} for the four rows starting at {@code r0}. */
    static void accumulate4(float[] m, int r0, int width, double a0, double a1, double a2, double a3, double[] col) {
        accumulate4(m, r0, r0 + width, r0 + 2 * width, r0 + 3 * width, width, a0, a1, a2, a3, col, 0);
    }

    /**
     * {@code col[offset .. offset + k) = sum_e weights[e] m_(rows[e])} over {@code e in [from, to)}, where row r of m
     * is {@code m[r k .. r k + k)} (the sparse product's neighbour rows, float32 widened to float64 as they are
     * summed). The rows go eight at a time, then four, then one, each group summed pairwise before it is added, so
     * col is read and written once per eight rows instead of once per row (a product row at K = 1000 sums about 36
     * neighbour rows; per-row accumulation ran 1.7-2x slower, store-bound on col). The order of the sums depends only
     * on the rows, not on the caller's threads.
     */
    static void weightedRowSum(float[] m, int[] rows, double[] weights, int from, int to, int k, double[] col,
                               int offset) {
        java.util.Arrays.fill(col, offset, offset + k, 0.0);
        int e = from;
        for (; e + 7 < to; e += 8) {
            accumulate8(m, rows, weights, e, k, col, offset);
        }
        for (; e + 3 < to; e += 4) {
            accumulate4(m, rows[e] * k, rows[e + 1] * k, rows[e + 2] * k, rows[e + 3] * k, k, weights[e],
                    weights[e + 1], weights[e + 2], weights[e + 3], col, offset);
        }
        for (; e < to; e++) {
            accumulate1(m, rows[e] * k, k, weights[e], col, offset);
        }
    }

    /** Eight rows of {@link #weightedRowSum}, summed as a tree of pairs before they are added to col. */
    private static void accumulate8(float[] m, int[] rows, double[] weights, int e, int k, double[] col, int offset) {
        int r0 = rows[e] * k;
        int r1 = rows[e + 1] * k;
        int r2 = rows[e + 2] * k;
        int r3 = rows[e + 3] * k;
        int r4 = rows[e + 4] * k;
        int r5 = rows[e + 5] * k;
        int r6 = rows[e + 6] * k;
        int r7 = rows[e + 7] * k;
        double a0 = weights[e];
        double a1 = weights[e + 1];
        double a2 = weights[e + 2];
        double a3 = weights[e + 3];
        double a4 = weights[e + 4];
        double a5 = weights[e + 5];
        double a6 = weights[e + 6];
        double a7 = weights[e + 7];
        int upper = k - k % LANES;
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector low = widen(m, r0 + j).mul(a0).add(widen(m, r1 + j).mul(a1))
                    .add(widen(m, r2 + j).mul(a2).add(widen(m, r3 + j).mul(a3)));
            DoubleVector high = widen(m, r4 + j).mul(a4).add(widen(m, r5 + j).mul(a5))
                    .add(widen(m, r6 + j).mul(a6).add(widen(m, r7 + j).mul(a7)));
            DoubleVector.fromArray(DOUBLES, col, offset + j).add(low.add(high)).intoArray(col, offset + j);
        }
        for (; j < k; j++) {
            double low = (a0 * m[r0 + j] + a1 * m[r1 + j]) + (a2 * m[r2 + j] + a3 * m[r3 + j]);
            double high = (a4 * m[r4 + j] + a5 * m[r5 + j]) + (a6 * m[r6 + j] + a7 * m[r7 + j]);
            col[offset + j] += low + high;
        }
    }

    /**
     * {@code col[offset ..] += (a0 M_r0 + a1 M_r1) + (a2 M_r2 + a3 M_r3)} for four rows of {@code k} entries starting
     * at r0..r3 (the fused pass's consecutive rows, or four rows of {@link #weightedRowSum}).
     */
    private static void accumulate4(float[] m, int r0, int r1, int r2, int r3, int k, double a0, double a1, double a2,
                                    double a3, double[] col, int offset) {
        int upper = k - k % LANES;
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector pair01 = widen(m, r0 + j).mul(a0).add(widen(m, r1 + j).mul(a1));
            DoubleVector pair23 = widen(m, r2 + j).mul(a2).add(widen(m, r3 + j).mul(a3));
            DoubleVector.fromArray(DOUBLES, col, offset + j).add(pair01.add(pair23)).intoArray(col, offset + j);
        }
        for (; j < k; j++) {
            col[offset + j] += (a0 * m[r0 + j] + a1 * m[r1 + j]) + (a2 * m[r2 + j] + a3 * m[r3 + j]);
        }
    }

    /** {@code (M b)} of the one row starting at {@code row}. */
    static double dot1(float[] m, int row, int width, double[] b) {
        DoubleVector s = DoubleVector.zero(DOUBLES);
        int upper = width - width % LANES;
        int j = 0;
        for (; j < upper; j += LANES) {
            s = widen(m, row + j).fma(DoubleVector.fromArray(DOUBLES, b, j), s);
        }
        double t = s.reduceLanes(VectorOperators.ADD);
        for (; j < width; j++) {
            t += m[row + j] * b[j];
        }
        return t;
    }

    /** {@code col += a M_row} for the one row starting at {@code row}. */
    static void accumulate1(float[] m, int row, int width, double a, double[] col) {
        accumulate1(m, row, width, a, col, 0);
    }

    /** {@code col[offset ..] += a M_row} for the one row starting at {@code row}. */
    static void accumulate1(float[] m, int row, int width, double a, double[] col, int offset) {
        int upper = width - width % LANES;
        int j = 0;
        for (; j < upper; j += LANES) {
            DoubleVector.fromArray(DOUBLES, col, offset + j).add(widen(m, row + j).mul(a)).intoArray(col, offset + j);
        }
        for (; j < width; j++) {
            col[offset + j] += a * m[row + j];
        }
    }

    /**
     * The vector part of {@link FastScaling}'s exp build of one row: for {@code j} below the largest multiple of the
     * lane count not above {@code k}, {@code e = ((ui - cost[costRow + j]) + v[j]) * inverseEps},
     * {@code columnMax[j] = max(columnMax[j], e)} and {@code m[row + j] = e < flush ? 0 : (double) (float) exp(e)}.
     *
     * @return the first column the caller's scalar loop must still build
     */
    static int buildRow(double[] cost, int costRow, int k, double ui, double[] v, double inverseEps, double[] m,
                        int row, double[] columnMax, double flush) {
        int upper = k - k % LANES;
        DoubleVector zero = DoubleVector.zero(DOUBLES);
        for (int j = 0; j < upper; j += LANES) {
            DoubleVector exponent = DoubleVector.broadcast(DOUBLES, ui).sub(DoubleVector.fromArray(DOUBLES, cost,
                    costRow + j)).add(DoubleVector.fromArray(DOUBLES, v, j)).mul(inverseEps);
            DoubleVector.fromArray(DOUBLES, columnMax, j).max(exponent).intoArray(columnMax, j);
            VectorMask<Double> flushed = exponent.lt(flush);
            if (flushed.allTrue()) {
                // every lane is stored as 0 anyway: no exp (on peaked logits most of a row's entries are flushed)
                zero.intoArray(m, row + j);
                continue;
            }
            DoubleVector rounded = (DoubleVector) exp(exponent).convertShape(VectorOperators.D2F, FLOATS, 0)
                    .convertShape(VectorOperators.F2D, DOUBLES, 0);
            rounded.blend(zero, flushed).intoArray(m, row + j);
        }
        return upper;
    }

    /**
     * {@code max(start, max_j (v[j] - cost[costRow + j]))} over {@code j < k}: the row shift of the exp build. A
     * maximum does not depend on the order it is taken in, so this equals the scalar loop exactly.
     */
    static double rowMax(double[] cost, int costRow, int k, double[] v, double start) {
        int upper = k - k % LANES;
        DoubleVector best = DoubleVector.broadcast(DOUBLES, start);
        int j = 0;
        for (; j < upper; j += LANES) {
            best = best.max(DoubleVector.fromArray(DOUBLES, v, j).sub(DoubleVector.fromArray(DOUBLES, cost,
                    costRow + j)));
        }
        double max = best.reduceLanes(VectorOperators.MAX);
        for (; j < k; j++) {
            max = Math.max(max, v[j] - cost[costRow + j]);
        }
        return max;
    }

    /**
     * The vector part of one row of {@link Sp2otMm}'s MM pass: for {@code j} below the largest multiple of the lane
     * count not above {@code k}, with {@code x = q[base + j]}, {@code c = cost[base + j]} and {@code g = product[j]},
     * writes the row's sums of {@code x c}, {@code x g} and {@code x ln x} (for {@code x > floor} only) to
     * {@code sums[0..2]} and {@code surrogate[base + j] = c - lam g}. The logarithm is {@link FastMath#log}'s
     * algorithm lane by lane; the sums are taken in lanes, then across them, so they equal the scalar loop's up to
     * float64 rounding.
     *
     * @return the first column the caller's scalar loop must still do
     */
    static int linearizeRow(double[] q, double[] cost, double[] product, int base, int k, double lam,
                            double[] surrogate, double[] sums, double floor) {
        int upper = k - k % LANES;
        DoubleVector linear = DoubleVector.zero(DOUBLES);
        DoubleVector quadratic = linear;
        DoubleVector entropy = linear;
        for (int j = 0; j < upper; j += LANES) {
            DoubleVector x = DoubleVector.fromArray(DOUBLES, q, base + j);
            DoubleVector c = DoubleVector.fromArray(DOUBLES, cost, base + j);
            DoubleVector g = DoubleVector.fromArray(DOUBLES, product, j);
            linear = x.fma(c, linear);
            quadratic = x.fma(g, quadratic);
            VectorMask<Double> counted = x.compare(VectorOperators.GT, floor);
            if (counted.anyTrue()) {
                entropy = entropy.add(x.mul(log(x)), counted);
            }
            c.sub(g.mul(lam)).intoArray(surrogate, base + j);
        }
        sums[0] = linear.reduceLanes(VectorOperators.ADD);
        sums[1] = quadratic.reduceLanes(VectorOperators.ADD);
        sums[2] = entropy.reduceLanes(VectorOperators.ADD);
        return upper;
    }

    /**
     * {@link FastMath#log}'s algorithm lane by lane for positive normal lanes (other lanes give a finite value that
     * callers mask out). The exponent is turned into a double through the bits of {@code 2^52 + e} (AVX2 has no
     * 64-bit integer to double conversion).
     */
    static DoubleVector log(DoubleVector x) {
        LongVector bits = (LongVector) x.viewAsIntegralLanes();
        DoubleVector biased = (DoubleVector) bits.lanewise(VectorOperators.LSHR, 52).or(TWO_52_BITS)
                .viewAsFloatingLanes();
        DoubleVector exponent = biased.sub(TWO_52_PLUS_BIAS);
        DoubleVector m = (DoubleVector) bits.and(MANTISSA_MASK).or(ONE_BITS).viewAsFloatingLanes();
        VectorMask<Double> high = m.compare(VectorOperators.GT, SQRT2);
        m = m.blend(m.mul(0.5), high);
        exponent = exponent.blend(exponent.add(1.0), high);
        DoubleVector s = m.sub(1.0).div(m.add(1.0));
        DoubleVector s2 = s.mul(s);
        DoubleVector p = DoubleVector.broadcast(DOUBLES, 1.0 / 21);
        p = p.mul(s2).add(1.0 / 19);
        p = p.mul(s2).add(1.0 / 17);
        p = p.mul(s2).add(1.0 / 15);
        p = p.mul(s2).add(1.0 / 13);
        p = p.mul(s2).add(1.0 / 11);
        p = p.mul(s2).add(1.0 / 9);
        p = p.mul(s2).add(1.0 / 7);
        p = p.mul(s2).add(1.0 / 5);
        p = p.mul(s2).add(1.0 / 3);
        p = p.mul(s2).add(1.0);
        return exponent.mul(FastMath.LN2_HI).add(s.mul(2.0).mul(p).add(exponent.mul(FastMath.LN2_LO)));
    }

    private static final long TWO_52_BITS = Double.doubleToRawLongBits(0x1p52);
    private static final double TWO_52_PLUS_BIAS = 0x1p52 + 1023;
    private static final long MANTISSA_MASK = 0x000fffffffffffffL;
    private static final long ONE_BITS = 0x3ff0000000000000L;
    private static final double SQRT2 = 1.4142135623730951;

    /**
     * {@link Softmax#logSumExp} of {@code values[offset .. offset + k)} in float64 lanes: the largest value (exact,
     * a maximum does not depend on order), then {@code sum exp(z - max)} with {@link FastMath#exp}'s algorithm lane by
     * lane, summed in lanes and then across them. Equal to the scalar method up to FastMath.exp's 1e-14 relative error
     * and the summation order. A NaN or +Infinity value gives NaN, as the scalar method does.
     */
    static double logSumExp(float[] values, int offset, int k) {
        int upper = k - k % LANES;
        DoubleVector best = DoubleVector.broadcast(DOUBLES, Double.NEGATIVE_INFINITY);
        int j = 0;
        for (; j < upper; j += LANES) {
            best = best.max(widen(values, offset + j));
        }
        double max = best.reduceLanes(VectorOperators.MAX);
        for (; j < k; j++) {
            max = Math.max(max, values[offset + j]);
        }
        DoubleVector sum = DoubleVector.zero(DOUBLES);
        for (j = 0; j < upper; j += LANES) {
            sum = sum.add(exp(widen(values, offset + j).sub(max)));
        }
        double total = sum.reduceLanes(VectorOperators.ADD);
        for (; j < k; j++) {
            total += FastMath.exp(values[offset + j] - max);
        }
        return max + Math.log(total);
    }

    /** {@link FastMath#exp} lane by lane (same operations, same order, so the same bits). */
    static DoubleVector exp(DoubleVector x) {
        DoubleVector inRange = x.max(FastMath.MIN_ARGUMENT).min(FastMath.MAX_ARGUMENT);
        DoubleVector t = inRange.mul(FastMath.LOG2E).add(FastMath.MAGIC);
        LongVector bits = (LongVector) t.viewAsIntegralLanes();
        DoubleVector n = t.sub(FastMath.MAGIC);
        DoubleVector r = inRange.sub(n.mul(FastMath.LN2_HI)).sub(n.mul(FastMath.LN2_LO));
        DoubleVector p = DoubleVector.broadcast(DOUBLES, 1.0 / 39916800);
        p = p.mul(r).add(1.0 / 3628800);
        p = p.mul(r).add(1.0 / 362880);
        p = p.mul(r).add(1.0 / 40320);
        p = p.mul(r).add(1.0 / 5040);
        p = p.mul(r).add(1.0 / 720);
        p = p.mul(r).add(1.0 / 120);
        p = p.mul(r).add(1.0 / 24);
        p = p.mul(r).add(1.0 / 6);
        p = p.mul(r).add(0.5);
        p = p.mul(r).add(1.0);
        p = p.mul(r).add(1.0);
        DoubleVector scale = (DoubleVector) bits.lanewise(VectorOperators.LSHL, 32).lanewise(VectorOperators.ASHR, 32)
                .add(1023L).lanewise(VectorOperators.LSHL, 52).viewAsFloatingLanes();
        DoubleVector result = p.mul(scale);
        VectorMask<Double> below = x.lt(FastMath.MIN_ARGUMENT);
        VectorMask<Double> above = x.compare(VectorOperators.GT, FastMath.MAX_ARGUMENT);
        return result.blend(0.0, below).blend(Double.POSITIVE_INFINITY, above);
    }

    private static DoubleVector widen(float[] m, int offset) {
        return (DoubleVector) FloatVector.fromArray(FLOATS, m, offset).convertShape(VectorOperators.F2D, DOUBLES, 0);
    }
}
