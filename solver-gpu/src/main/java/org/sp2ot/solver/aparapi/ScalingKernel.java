package org.sp2ot.solver.aparapi;

import com.aparapi.Kernel;

/**
 * The two stages of the fused scaling pass as one Aparapi kernel (ALGORITHM.md §1), selected by {@link #stage}:
 * <ol>
 *   <li>{@link #ROWS}: one work-item per row i: {@code a_i = rowMass / (t Σ_j M_ij b_j)}, capped at {@code cap_i}
 *   when {@code capped == 1};</li>
 *   <li>{@link #COLUMNS}: one work-item per column j: {@code columns_j = Σ_i a_i M_ij} (adjacent work-items read
 *   adjacent floats of each row); work-item 0 also writes the range of a.</li>
 * </ol>
 * M is float32, vectors and sums float64 (the device must have fp64; {@link AparapiScaling} checks where it ran).
 * Global sizes are padded to the local size, so items past the end return at once. No allocation, lambdas or
 * switch inside {@link #run()} (Aparapi translates its bytecode to OpenCL).
 */
final class ScalingKernel extends Kernel {
    static final int ROWS = 0;
    static final int COLUMNS = 1;

    float[] m = new float[1];
    double[] b = new double[1];
    double[] a = new double[1];
    double[] cap = new double[1];
    double[] columns = new double[1];
    /** Smallest and largest row scaling, written by column work-item 0. */
    double[] rowRange = new double[2];
    int n;
    int kx;
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
        if (stage == COLUMNS) {
            columnStage(id);
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

    private void columnStage(int id) {
        if (id < kx) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += a[i] * m[i * kx + id];
            }
            columns[id] = sum;
        }
        if (id == 0) {
            double low = a[0];
            double high = a[0];
            for (int i = 1; i < n; i++) {
                low = min(low, a[i]);
                high = max(high, a[i]);
            }
            rowRange[0] = low;
            rowRange[1] = high;
        }
    }
}
