package org.sp2ot.ml.knn;

import java.io.Serializable;

/**
 * One row block of the feature matrix: {@code ids.length} rows of {@code dim} floats, row-major, each row scaled to
 * unit L2 norm so that dot products are cosine similarities (ALGORITHM.md §3 builds the graph on these).
 */
public final class FeatureBlock implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int index;
    private final long[] ids;
    private final float[] unitRows;
    private final int dim;

    private FeatureBlock(int index, long[] ids, float[] unitRows, int dim) {
        this.index = index;
        this.ids = ids;
        this.unitRows = unitRows;
        this.dim = dim;
    }

    /**
     * Builds block {@code index} from raw rows, normalising each to unit length.
     *
     * @param rows {@code ids.length * dim} floats, row-major; taken over and normalised in place
     * @throws IllegalArgumentException naming the ids of rows that are all zeros (no direction, no cosine)
     */
    public static FeatureBlock normalised(int index, long[] ids, float[] rows, int dim) {
        if (rows.length != (long) ids.length * dim) {
            throw new IllegalArgumentException("block " + index + ": " + rows.length + " values for " + ids.length
                    + " rows of dimension " + dim);
        }
        StringBuilder zeroRows = new StringBuilder();
        for (int r = 0; r < ids.length; r++) {
            if (!normaliseRow(rows, r * dim, dim)) {
                zeroRows.append(zeroRows.length() == 0 ? "" : ", ").append(ids[r]);
            }
        }
        if (zeroRows.length() > 0) {
            throw new IllegalArgumentException("feature rows with ids [" + zeroRows + "] are all zeros: cosine "
                    + "similarity is undefined for them; drop them or fix the extraction");
        }
        return new FeatureBlock(index, ids, rows, dim);
    }

    /**
     * Scales {@code rows[offset, offset + dim)} to unit L2 norm (the norm accumulated in double); returns false and
     * leaves the row alone when its norm is zero.
     */
    public static boolean normaliseRow(float[] rows, int offset, int dim) {
        double squared = 0.0;
        for (int c = 0; c < dim; c++) {
            double v = rows[offset + c];
            squared += v * v;
        }
        if (squared == 0.0) {
            return false;
        }
        double inverse = 1.0 / Math.sqrt(squared);
        for (int c = 0; c < dim; c++) {
            rows[offset + c] = (float) (rows[offset + c] * inverse);
        }
        return true;
    }

    /** The block's position in id order (block 0 holds the smallest ids). */
    public int index() {
        return index;
    }

    public int rows() {
        return ids.length;
    }

    public int dim() {
        return dim;
    }

    /** The row ids (do not modify). */
    public long[] ids() {
        return ids;
    }

    /** The unit rows, row-major (do not modify). */
    public float[] unitRows() {
        return unitRows;
    }
}
