package org.sp2ot.ml.knn;

import dev.ludovic.netlib.blas.BLAS;

/**
 * The work of one block pair of the exact k-NN graph: the cosine similarities between the rows of two
 * {@link FeatureBlock}s as a dense single-precision GEMM through native BLAS, fed straight into the per-row top-k
 * selections of both blocks (the similarity is symmetric, so a pair (i, j) with i &lt; j serves the rows of i and
 * of j and only the upper triangle of block pairs is computed). Rows never select themselves (ALGORITHM.md §3:
 * zero diagonal).
 *
 * <p>The GEMM runs in strips of {@link #STRIP_ROWS} rows of the first block, so the scratch matrix is
 * {@code STRIP_ROWS x rows(b)} floats and the strip is still in cache when it is scanned.
 */
public final class BlockSimilarity {
    /** Rows of the first block per GEMM call: large enough for BLAS to run near peak, small enough for cache. */
    static final int STRIP_ROWS = 256;

    private final BLAS blas;

    public BlockSimilarity(BLAS blas) {
        this.blas = blas;
    }

    /**
     * Offers every cross pair of {@code a} x {@code b} to the selections: for row r of {@code a} the candidates are
     * the rows of {@code b} (into {@code forA}); when {@code forB} is not null, also the rows of {@code a} for each
     * row of {@code b}. When {@code a} and {@code b} are the same block pass {@code forB = null}; self pairs (equal
     * ids) are skipped in any case.
     */
    public void accumulate(FeatureBlock a, FeatureBlock b, RowTopK forA, RowTopK forB) {
        if (a.dim() != b.dim()) {
            throw new IllegalArgumentException("blocks " + a.index() + " and " + b.index() + " have dimensions "
                    + a.dim() + " and " + b.dim());
        }
        int nb = b.rows();
        long[] aIds = a.ids();
        long[] bIds = b.ids();
        float[] strip = new float[Math.min(STRIP_ROWS, a.rows()) * nb];
        float[] thresholdB = null;
        if (forB != null) {
            thresholdB = new float[nb];
            for (int c = 0; c < nb; c++) {
                thresholdB[c] = forB.threshold(c);
            }
        }
        for (int r0 = 0; r0 < a.rows(); r0 += STRIP_ROWS) {
            int rows = Math.min(STRIP_ROWS, a.rows() - r0);
            cosineStrip(a, r0, rows, b, strip);
            for (int r = 0; r < rows; r++) {
                int rowA = r0 + r;
                long idA = aIds[rowA];
                float thresholdA = forA.threshold(rowA);
                int offset = r * nb;
                for (int c = 0; c < nb; c++) {
                    float cosine = strip[offset + c];
                    if (cosine >= thresholdA && idA != bIds[c]) {
                        forA.offer(rowA, cosine, bIds[c]);
                        thresholdA = forA.threshold(rowA);
                    }
                    if (thresholdB != null && cosine >= thresholdB[c] && idA != bIds[c]) {
                        forB.offer(c, cosine, idA);
                        thresholdB[c] = forB.threshold(c);
                    }
                }
            }
        }
    }

    /**
     * {@code out[r * rows(b) + c] = <a[r0 + r], b[c]>} for r in [0, rows): one SGEMM. Row-major A (rows x d) is
     * column-major A^T, so the row-major product A B^T is computed as the column-major (rows(b) x rows) matrix
     * B A^T.
     */
    void cosineStrip(FeatureBlock a, int r0, int rows, FeatureBlock b, float[] out) {
        int d = a.dim();
        int nb = b.rows();
        blas.sgemm("T", "N", nb, rows, d, 1.0f, b.unitRows(), 0, d, a.unitRows(), r0 * d, d, 0.0f, out, 0, nb);
    }
}
