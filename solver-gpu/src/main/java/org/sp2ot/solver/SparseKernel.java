package org.sp2ot.solver;

/**
 * The stabilised kernel's non-zero entries, row by row (compressed rows: float32 values and their column indices),
 * in the {@link ChunkRunner}'s fixed row chunks, and the fused pass of {@link CpuKernelEngine} over them.
 *
 * <p>Why: entries below {@code e^-69} are stored as 0 by the exp build ({@link FastScaling}), and on peaked cosine-head
 * logits most are. Measured on {@code bench train --preset large}: 90-94% of the 5120 x 1001 entries at K = 1000 and
 * 63-78% of the 5120 x 101 at K = 100. A dense pass reads every entry (20 MB of floats at K = 1000, from memory); this
 * one reads 8 bytes per non-zero entry (a value and its column). Adding the skipped zeros would not change a sum, so
 * the pass computes the dense pass's sums up to the order of the additions (float64 rounding).
 *
 * <p>Each chunk's rows are summed in row order and its column sums kept apart, then added in chunk order by the
 * engine, so the result is the same for any number of threads.
 */
final class SparseKernel {
    /** Largest share of non-zero entries in any chunk for which the compressed form is built (see {@link #fill}). */
    static final double MAX_DENSITY = 0.25;

    private final int[][] starts = new int[ChunkRunner.CHUNKS][];
    private final int[][] columns = new int[ChunkRunner.CHUNKS][];
    private final float[][] values = new float[ChunkRunner.CHUNKS][];
    private int n;
    private int kx;

    /**
     * Compresses the rows of chunk {@code chunk} of a row-major {@code n x kx} kernel. Returns false, leaving the
     * chunk unusable, when it holds more than {@link #MAX_DENSITY} of its entries as non-zeros: then the dense pass is
     * the faster one (the compressed form costs 8 bytes per entry against 4 for the dense float copy, and its column
     * sums are scattered).
     */
    boolean fill(int chunk, double[] kernel, int n, int kx) {
        this.n = n;
        this.kx = kx;
        int from = ChunkRunner.chunkStart(n, chunk);
        int to = ChunkRunner.chunkStart(n, chunk + 1);
        int capacity = (int) Math.min(Integer.MAX_VALUE - 8, (long) Math.ceil(MAX_DENSITY * (to - from) * (long) kx));
        if (starts[chunk] == null || starts[chunk].length != to - from + 1) {
            starts[chunk] = new int[to - from + 1];
        }
        if (values[chunk] == null || values[chunk].length < capacity) {
            values[chunk] = new float[capacity];
            columns[chunk] = new int[capacity];
        }
        int[] start = starts[chunk];
        int[] column = columns[chunk];
        float[] value = values[chunk];
        int e = 0;
        for (int i = from; i < to; i++) {
            start[i - from] = e;
            int row = i * kx;
            for (int j = 0; j < kx; j++) {
                double x = kernel[row + j];
                if (x != 0.0) {
                    if (e == capacity) {
                        return false;
                    }
                    value[e] = (float) x;
                    column[e] = j;
                    e++;
                }
            }
        }
        start[to - from] = e;
        return true;
    }

    /**
     * The fused pass over chunk {@code chunk}'s rows: {@code s_i = (M b)_i}, {@code a[i] = rowScaling.of(s_i, i)}, and
     * {@code colPart = sum_i a_i M_i.} over the chunk (colPart is overwritten).
     */
    void fusedRows(int chunk, double[] b, double[] a, RowScaling rowScaling, double[] colPart) {
        java.util.Arrays.fill(colPart, 0, kx, 0.0);
        int from = ChunkRunner.chunkStart(n, chunk);
        int to = ChunkRunner.chunkStart(n, chunk + 1);
        int[] start = starts[chunk];
        int[] column = columns[chunk];
        float[] value = values[chunk];
        for (int i = from; i < to; i++) {
            int lo = start[i - from];
            int hi = start[i - from + 1];
            double s = 0;
            for (int e = lo; e < hi; e++) {
                s += value[e] * b[column[e]];
            }
            double ai = rowScaling.of(s, i);
            a[i] = ai;
            for (int e = lo; e < hi; e++) {
                colPart[column[e]] += ai * value[e];
            }
        }
    }

    /** The row scaling {@code a_i} from the row's sum {@code (M b)_i}. */
    interface RowScaling {
        double of(double rowSum, int row);
    }
}
