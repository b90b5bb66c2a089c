package org.sp2ot.solver;

import java.util.Arrays;

/**
 * The fused pass on the CPU: rows in {@link ChunkRunner#CHUNKS} fixed chunks, four rows at a time (they share the
 * loads of b and of the column partial sums), float64 arithmetic on the kernel's float32 values held as doubles (C2 on
 * JDK 17 vectorises these loops only when every operand is double); per-chunk column sums reduced in chunk order, so
 * the result does not depend on the thread count.
 *
 * <p>Where {@link Simd#enabled()}, the pass reads a float32 copy of the kernel made at {@link #load} (the kernel's
 * values are float32 already, so the copy is exact) through {@link SimdPass}: at N = 5120 it ran 2.1x (K = 1000) and
 * 2.5x (K = 100) faster per pass than the double loops on this project's 2-core AVX-512 VM.
 *
 * <p>When every chunk of the loaded kernel is at most {@link SparseKernel#MAX_DENSITY} non-zero (the exp build stores
 * entries below {@code e^-69} as 0; on peaked cosine-head logits 90-94% of them at K = 1000), the pass runs over the
 * compressed rows of a {@link SparseKernel} instead, made at {@link #load}.
 */
final class CpuKernelEngine implements KernelEngine {
    private final ChunkRunner runner;
    private double[] m;
    private double[] caps;
    private int n;
    private int kx;
    private double[] a = new double[0];
    private double[][] partial = new double[0][];
    private final boolean simd;
    private float[] narrow = new float[0];
    private final double[][] dots = new double[ChunkRunner.CHUNKS][4];
    /** Whether a kernel sparse enough may run on its compressed rows. */
    private final boolean sparseAllowed;
    private final SparseKernel compressed = new SparseKernel();
    /** Whether the loaded kernel runs on {@link #compressed}. */
    private boolean sparse;

    CpuKernelEngine(ChunkRunner runner) {
        this(runner, Simd.enabled(), true);
    }

    /**
     * An engine that uses the Vector API path only if {@code simd}, and the compressed rows of a sparse kernel only if
     * {@code sparseAllowed} (tests compare the paths).
     */
    CpuKernelEngine(ChunkRunner runner, boolean simd, boolean sparseAllowed) {
        this.runner = runner;
        this.simd = simd && Simd.enabled();
        this.sparseAllowed = sparseAllowed;
    }

    @Override
    public void load(double[] kernel, int rows, int columns, double[] rowCaps) {
        this.m = kernel;
        this.caps = rowCaps;
        this.n = rows;
        this.kx = columns;
        if (a.length != rows) {
            a = new double[rows];
        }
        if (partial.length != ChunkRunner.CHUNKS || partial[0].length != columns) {
            partial = new double[ChunkRunner.CHUNKS][columns];
        }
        sparse = false;
        if (sparseAllowed) {
            boolean[] fits = new boolean[ChunkRunner.CHUNKS];
            runner.run(chunk -> fits[chunk] = compressed.fill(chunk, kernel, rows, columns));
            sparse = true;
            for (boolean fit : fits) {
                sparse &= fit;
            }
        }
        if (simd && !sparse) {
            int size = rows * columns;
            if (narrow.length != size) {
                narrow = new float[size];
            }
            float[] copy = narrow;
            runner.run(chunk -> {
                for (int e = ChunkRunner.chunkStart(size, chunk); e < ChunkRunner.chunkStart(size, chunk + 1); e++) {
                    copy[e] = (float) kernel[e];
                }
            });
        }
    }

    @Override
    public void fusedPass(double[] b, double t, double rowMass, boolean capped, double[] columns, double[] rowRange) {
        runner.run(chunk -> {
            int from = ChunkRunner.chunkStart(n, chunk);
            int to = ChunkRunner.chunkStart(n, chunk + 1);
            if (sparse) {
                compressed.fusedRows(chunk, b, a, (rowSum, i) -> rowScaling(rowSum, t, rowMass, capped, i),
                        partial[chunk]);
            } else if (simd) {
                fusedRowsSimd(from, to, b, t, rowMass, capped, partial[chunk], dots[chunk]);
            } else {
                fusedRows(from, to, b, t, rowMass, capped, partial[chunk]);
            }
        });
        System.arraycopy(partial[0], 0, columns, 0, kx);
        for (int chunk = 1; chunk < ChunkRunner.CHUNKS; chunk++) {
            double[] p = partial[chunk];
            for (int j = 0; j < kx; j++) {
                columns[j] += p[j];
            }
        }
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, a[i]);
            max = Math.max(max, a[i]);
        }
        rowRange[0] = min;
        rowRange[1] = max;
    }

    private double rowScaling(double rowSum, double t, double rowMass, boolean capped, int i) {
        double ai = rowMass / (t * rowSum);
        return capped ? Math.min(ai, caps[i]) : ai;
    }

    private void fusedRows(int from, int to, double[] b, double t, double rowMass, boolean capped, double[] colPart) {
        double[] k = m;
        int width = kx;
        Arrays.fill(colPart, 0.0);
        int i = from;
        for (; i + 3 < to; i += 4) {
            int r0 = i * width;
            int r1 = r0 + width;
            int r2 = r1 + width;
            int r3 = r2 + width;
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            for (int j = 0; j < width; j++) {
                double bj = b[j];
                s0 += k[r0 + j] * bj;
                s1 += k[r1 + j] * bj;
                s2 += k[r2 + j] * bj;
                s3 += k[r3 + j] * bj;
            }
            double a0 = rowScaling(s0, t, rowMass, capped, i);
            double a1 = rowScaling(s1, t, rowMass, capped, i + 1);
            double a2 = rowScaling(s2, t, rowMass, capped, i + 2);
            double a3 = rowScaling(s3, t, rowMass, capped, i + 3);
            a[i] = a0;
            a[i + 1] = a1;
            a[i + 2] = a2;
            a[i + 3] = a3;
            for (int j = 0; j < width; j++) {
                colPart[j] += (a0 * k[r0 + j] + a1 * k[r1 + j]) + (a2 * k[r2 + j] + a3 * k[r3 + j]);
            }
        }
        for (; i < to; i++) {
            int row = i * width;
            double s = 0;
            for (int j = 0; j < width; j++) {
                s += k[row + j] * b[j];
            }
            double ai = rowScaling(s, t, rowMass, capped, i);
            a[i] = ai;
            for (int j = 0; j < width; j++) {
                colPart[j] += ai * k[row + j];
            }
        }
    }

    /** {@link #fusedRows} on the float32 copy through {@link SimdPass}. */
    private void fusedRowsSimd(int from, int to, double[] b, double t, double rowMass, boolean capped,
            double[] colPart, double[] dot) {
        float[] k = narrow;
        int width = kx;
        Arrays.fill(colPart, 0.0);
        int i = from;
        for (; i + 3 < to; i += 4) {
            int r0 = i * width;
            SimdPass.dot4(k, r0, width, b, dot);
            double a0 = rowScaling(dot[0], t, rowMass, capped, i);
            double a1 = rowScaling(dot[1], t, rowMass, capped, i + 1);
            double a2 = rowScaling(dot[2], t, rowMass, capped, i + 2);
            double a3 = rowScaling(dot[3], t, rowMass, capped, i + 3);
            a[i] = a0;
            a[i + 1] = a1;
            a[i + 2] = a2;
            a[i + 3] = a3;
            SimdPass.accumulate4(k, r0, width, a0, a1, a2, a3, colPart);
        }
        for (; i < to; i++) {
            int row = i * width;
            double ai = rowScaling(SimdPass.dot1(k, row, width, b), t, rowMass, capped, i);
            a[i] = ai;
            SimdPass.accumulate1(k, row, width, ai, colPart);
        }
    }

    /** Whether the last loaded kernel runs on its compressed rows. */
    boolean sparse() {
        return sparse;
    }

    @Override
    public void rowScalings(double[] out) {
        System.arraycopy(a, 0, out, 0, n);
    }

    @Override
    public String device() {
        return "cpu(" + runner.threads() + " threads, " + (simd || !Simd.enabled() ? Simd.describe() : "scalar") + ")";
    }

    @Override
    public void close() {
        runner.close();
    }
}
