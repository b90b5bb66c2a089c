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
        Arrays.fill(out, 0.0);
        // Two sweeps of row axpys (S q, then S^T q), each storing to one row while reading another array, so the
        // inner loops are plain (vectorisable) axpys.
        for (int p = 0; p < n; p++) {
            int row = p * k;
            for (int e = rowStart[p]; e < rowStart[p + 1]; e++) {
                int other = columns[e] * k;
                double s = values[e];
                for (int j = 0; j < k; j++) {
                    out[row + j] += s * q[other + j];
                }
            }
        }
        for (int p = 0; p < n; p++) {
            int row = p * k;
            for (int e = rowStart[p]; e < rowStart[p + 1]; e++) {
                int other = columns[e] * k;
                double s = values[e];
                for (int j = 0; j < k; j++) {
                    out[other + j] += s * q[row + j];
                }
            }
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
