package org.sp2ot.solver.aparapi;

import com.aparapi.Kernel;

/**
 * The fused scaling pass (ALGORITHM.md §1) as one Aparapi kernel with three stages, selected by {@link #stage}:
 * <ol>
 *   <li>{@link #ROWS}: one work-item per row i: {@code a_i = rowMass / (t Σ_j M_ij b_j)}, capped at {@code cap_i}
 *   when {@code capped == 1};</li>
 *   <li>{@link #COLUMN_BLOCKS}: one work-item per (row block r, column j): the partial column sum
 *   {@code Σ_{i in block r} a_i M_ij} (adjacent work-items read adjacent floats of a row); the item of column 0 also
 *   writes the block's smallest and largest a;</li>
 *   <li>{@link #COLUMN_SUMS}: one work-item per column: the block partials added in block order (deterministic), and
 *   item 0 reduces the range of a.</li>
 * </ol>
 * Splitting the column reduction into row blocks gives {@code blocks × K} work-items instead of K, so a GPU has enough
 * parallel work and every launch stays short. M is float32, vectors and sums float64 (the device must have fp64;
 * {@link AparapiScaling} checks where it ran). Global sizes are padded to the local size; items past the end return
 * at once. No allocation, lambdas, switch or for-each inside {@link #run()} (Aparapi translates its bytecode).
 */
final class ScalingKernel extends Kernel {
    static final int ROWS = 0;
    static final int COLUMN_BLOCKS = 1;
    static final int COLUMN_SUMS = 2;

    float[] m = new float[1];
    double[] b = new double[1];
    double[] a = new double[1];
    double[] cap = new double[1];
    double[] partial = new double[1];
    double[] blockRange = new double[2];
    double[] columns = new double[1];
    /** Smallest and largest row scaling, written by column work-item 0 of the last stage. */
    double[] rowRange = new double[2];
    int n;
    int kx;
    int blocks;
    int rowsPerBlock;
    int stage;
    int capped;
    double t;
    double rowMass;

    @Override
    public void run() {
        int id = getGlobalId();
        if (stage == ROWS) {
            rowStage(id);
        }
        if (stage == COLUMN_BLOCKS) {
            columnBlockStage(id);
        }
        if (stage == COLUMN_SUMS) {
            columnSumStage(id);
        }
    }

    private void rowStage(int id) {
        if (id < n) {
            int row = id * kx;
            double sum = 0;
            for (int j = 0; j < kx; j++) {
                sum += m[row + j] * b[j];
            }
            double ai = rowMass / (t * sum);
            if (capped == 1) {
                ai = min(ai, cap[id]);
            }
            a[id] = ai;
        }
    }

    private void columnBlockStage(int id) {
        if (id < blocks * kx) {
            int j = id % kx;
            int block = id / kx;
            int first = block * rowsPerBlock;
            int last = min(n, first + rowsPerBlock);
            double sum = 0;
            for (int i = first; i < last; i++) {
                sum += a[i] * m[i * kx + j];
            }
            partial[block * kx + j] = sum;
            if (j == 0) {
                double low = a[first];
                double high = a[first];
                for (int i = first + 1; i < last; i++) {
                    low = min(low, a[i]);
                    high = max(high, a[i]);
                }
                blockRange[2 * block] = low;
                blockRange[2 * block + 1] = high;
            }
        }
    }

    private void columnSumStage(int id) {
        if (id < kx) {
            double sum = 0;
            for (int block = 0; block < blocks; block++) {
                sum += partial[block * kx + id];
            }
            columns[id] = sum;
            if (id == 0) {
                double low = blockRange[0];
                double high = blockRange[1];
                for (int block = 1; block < blocks; block++) {
                    low = min(low, blockRange[2 * block]);
                    high = max(high, blockRange[2 * block + 1]);
                }
                rowRange[0] = low;
                rowRange[1] = high;
            }
        }
    }
}
