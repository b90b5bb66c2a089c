package org.sp2ot.solver;

import java.util.Arrays;

/**
 * The affinity sub-matrix {@code S[g, g]} of one OT problem in CSR form (ALGORITHM.md §3): row p of the problem
 * (global id {@code g_p}) has an entry at column q with value {@code s(g_p, g_q)} for every neighbour {@code g_q} of
 * {@code g_p} that is also a row of the problem. Not symmetrised; the MM surrogate uses {@code S + S^T}.
 */
public final class SparseAffinity {
    private final int n;
    private final int[] rowStart;
    private final int[] columns;
    private final double[] values;
    /**
     * {@code S + S^T} in CSR form, built once: an edge stored in both directions (mutual neighbours, the common case
     * in a k-NN graph) becomes one entry, so the product reads each neighbour row once. Columns ascend in each row.
     */
    private final int[] symmetricStart;
    private final int[] symmetricColumns;
    private final double[] symmetricValues;

    /**
     * A CSR matrix over n problem rows.
     *
     * @param rowStart n+1 offsets into columns/values, non-decreasing, starting at 0
     * @param columns  column indices in 0..n-1
     * @param values   finite non-negative entries
     */
    public SparseAffinity(int n, int[] rowStart, int[] columns, double[] values) {
        if (n < 1 || rowStart == null || rowStart.length != n + 1 || rowStart[0] != 0) {
            throw new IllegalArgumentException("CSR row offsets must have n+1 = " + (n + 1) + " entries starting at 0");
        }
        if (columns == null || values == null || columns.length != values.length || columns.length != rowStart[n]) {
            throw new IllegalArgumentException("CSR columns and values must both have rowStart[n] = " + rowStart[n]
                    + " entries");
        }
        for (int p = 0; p < n; p++) {
            if (rowStart[p + 1] < rowStart[p]) {
                throw new IllegalArgumentException("CSR row offsets decrease at row " + p);
            }
        }
        for (int e = 0; e < columns.length; e++) {
            if (columns[e] < 0 || columns[e] >= n) {
                throw new IllegalArgumentException("CSR column " + columns[e] + " outside 0.." + (n - 1));
            }
            if (!(values[e] >= 0) || Double.isInfinite(values[e])) {
                throw new IllegalArgumentException("affinity " + values[e] + " must be finite and non-negative");
            }
        }
        this.n = n;
        this.rowStart = rowStart;
        this.columns = columns;
        this.values = values;
        int[] transposeStart = new int[n + 1];
        for (int c : columns) {
            transposeStart[c + 1]++;
        }
        for (int p = 0; p < n; p++) {
            transposeStart[p + 1] += transposeStart[p];
        }
        int[] transposeColumns = new int[columns.length];
        double[] transposeValues = new double[columns.length];
        int[] fill = Arrays.copyOf(transposeStart, n);
        for (int p = 0; p < n; p++) {
            for (int e = rowStart[p]; e < rowStart[p + 1]; e++) {
                int slot = fill[columns[e]]++;
                transposeColumns[slot] = p;
                transposeValues[slot] = values[e];
            }
        }
        // Merge each row's forward and transposed entries by column (a dense accumulator, reset per row).
        double[] weight = new double[n];
        boolean[] seen = new boolean[n];
        int[] rowColumns = new int[n];
        int[] start = new int[n + 1];
        int[] mergedColumns = new int[2 * columns.length];
        double[] mergedValues = new double[2 * columns.length];
        int count = 0;
        for (int p = 0; p < n; p++) {
            int distinct = 0;
            for (int pass = 0; pass < 2; pass++) {
                int[] cols = pass == 0 ? columns : transposeColumns;
                double[] vals = pass == 0 ? values : transposeValues;
                int from = pass == 0 ? rowStart[p] : transposeStart[p];
                int to = pass == 0 ? rowStart[p + 1] : transposeStart[p + 1];
                for (int e = from; e < to; e++) {
                    int c = cols[e];
                    if (!seen[c]) {
                        seen[c] = true;
                        rowColumns[distinct++] = c;
                    }
                    weight[c] += vals[e];
                }
            }
            Arrays.sort(rowColumns, 0, distinct);
            for (int r = 0; r < distinct; r++) {
                int c = rowColumns[r];
                mergedColumns[count] = c;
                mergedValues[count] = weight[c];
                count++;
                weight[c] = 0.0;
                seen[c] = false;
            }
            start[p + 1] = count;
        }
        this.symmetricStart = start;
        this.symmetricColumns = Arrays.copyOf(mergedColumns, count);
        this.symmetricValues = Arrays.copyOf(mergedValues, count);
    }

    /**
     * Slices the graph to the rows of one OT problem. A global id may occur at several rows (a ring-buffer bank):
     * every occurrence gets all its edges, to every occurrence of each neighbour.
     *
     * @param globalIdsOfProblemRows the global id of each problem row, in 0..g.n()-1
     */
    public static SparseAffinity slice(KnnGraph g, int[] globalIdsOfProblemRows) {
        int rows = globalIdsOfProblemRows.length;
        if (rows < 1) {
            throw new IllegalArgumentException("an affinity slice needs at least one problem row");
        }
        int[] first = new int[g.n()];
        Arrays.fill(first, -1);
        int[] nextSame = new int[rows];
        for (int p = rows - 1; p >= 0; p--) {
            int id = globalIdsOfProblemRows[p];
            if (id < 0 || id >= g.n()) {
                throw new IllegalArgumentException("problem row " + p + " has global id " + id
                        + " outside the graph's 0.." + (g.n() - 1));
            }
            nextSame[p] = first[id];
            first[id] = p;
        }
        int[] rowStart = new int[rows + 1];
        int count = 0;
        for (int p = 0; p < rows; p++) {
            int id = globalIdsOfProblemRows[p];
            for (int r = 0; r < g.k(); r++) {
                int h = g.neighbor(id, r);
                for (int q = h < 0 ? -1 : first[h]; q >= 0; q = nextSame[q]) {
                    count++;
                }
            }
            rowStart[p + 1] = count;
        }
        int[] columns = new int[count];
        double[] values = new double[count];
        int e = 0;
        for (int p = 0; p < rows; p++) {
            int id = globalIdsOfProblemRows[p];
            for (int r = 0; r < g.k(); r++) {
                int h = g.neighbor(id, r);
                for (int q = h < 0 ? -1 : first[h]; q >= 0; q = nextSame[q]) {
                    columns[e] = q;
                    values[e] = g.weight(id, r);
                    e++;
                }
            }
        }
        return new SparseAffinity(rows, rowStart, columns, values);
    }

    /** Number of problem rows. */
    public int n() {
        return n;
    }

    /** Number of stored entries. */
    public int nonZeros() {
        return columns.length;
    }

    /**
     * {@code out = (S + S^T) q} for a row-major n*k matrix q (the linearisation point of the MM surrogate,
     * ALGORITHM.md §2): every edge (p, q, s) adds {@code s q_q·} to row p and {@code s q_p·} to row q.
     */
    public void symmetricProduct(double[] q, int k, double[] out) {
        checkShape(q, k);
        if (out.length != q.length) {
            throw new IllegalArgumentException("product output has " + out.length + " entries, needs " + q.length);
        }
        for (int p = 0; p < n; p++) {
            symmetricProductRow(q, k, p, out, p * k);
        }
    }

    /**
     * Row p of {@code (S + S^T) q}, written to {@code out[offset .. offset + k)}: one axpy per distinct neighbour
     * of p in either direction, in ascending column. Each row reads q only, so rows can run in parallel and the
     * result does not depend on how they are split.
     */
    void symmetricProductRow(double[] q, int k, int p, double[] out, int offset) {
        Arrays.fill(out, offset, offset + k, 0.0);
        for (int e = symmetricStart[p]; e < symmetricStart[p + 1]; e++) {
            axpy(symmetricValues[e], q, symmetricColumns[e] * k, out, offset, k);
        }
    }

    /**
     * {@link #symmetricProductRow(double[], int, int, double[], int)} from a float32 copy of q: each neighbour row is
     * widened to float64 as it is summed ({@link SimdPass#weightedRowSum}: the sums stay float64, eight neighbour
     * rows at a time, so the sum's order differs from the float64 path's by rounding only), and the copy is half the
     * bytes: at N = 5120, K = 1000 it is 20 MB, which stays in a 32 MB L3, where the float64 q (41 MB) is read from
     * memory about 36 times per product. Needs {@link Simd#enabled()}.
     */
    void symmetricProductRow(float[] q, int k, int p, double[] out, int offset) {
        SimdPass.weightedRowSum(q, symmetricColumns, symmetricValues, symmetricStart[p], symmetricStart[p + 1], k, out,
                offset);
    }

    /** Row p's sum of {@code S + S^T} (its weighted degree, both directions). */
    double symmetricRowSum(int p) {
        double sum = 0;
        for (int e = symmetricStart[p]; e < symmetricStart[p + 1]; e++) {
            sum += symmetricValues[e];
        }
        return sum;
    }

    /** Number of stored entries of {@code S + S^T} (mutual edges counted once). */
    int symmetricNonZeros() {
        return symmetricColumns.length;
    }

    private static void axpy(double s, double[] x, int from, double[] y, int to, int k) {
        for (int j = 0; j < k; j++) {
            y[to + j] += s * x[from + j];
        }
    }

    /** The largest row sum of {@code S + S^T} (the graph's largest weighted degree, both directions counted). */
    public double largestSymmetricRowSum() {
        double[] sums = new double[n];
        for (int p = 0; p < n; p++) {
            for (int e = rowStart[p]; e < rowStart[p + 1]; e++) {
                sums[p] += values[e];
                sums[columns[e]] += values[e];
            }
        }
        double largest = 0;
        for (double sum : sums) {
            largest = Math.max(largest, sum);
        }
        return largest;
    }

    /** {@code <S, Q Q^T> = Σ_(p,q,s) s <Q_p·, Q_q·>} for a row-major n*k matrix (ALGORITHM.md §2). */
    public double quadraticForm(double[] q, int k) {
        checkShape(q, k);
        double sum = 0;
        for (int p = 0; p < n; p++) {
            for (int e = rowStart[p]; e < rowStart[p + 1]; e++) {
                int c = columns[e];
                double dot = 0;
                for (int j = 0; j < k; j++) {
                    dot += q[p * k + j] * q[c * k + j];
                }
                sum += values[e] * dot;
            }
        }
        return sum;
    }

    private void checkShape(double[] q, int k) {
        if (q.length != (long) n * k) {
            throw new IllegalArgumentException("matrix has " + q.length + " entries, the affinity needs n*k = "
                    + ((long) n * k) + " (n=" + n + ")");
        }
    }
}
