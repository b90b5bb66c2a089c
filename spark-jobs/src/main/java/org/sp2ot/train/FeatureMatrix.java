package org.sp2ot.train;

import java.util.Arrays;

/**
 * The training features held on the driver: {@code n} rows of {@code dim} floats, row-major in one array of
 * {@code n*dim*4} bytes, and the global id of each row (ascending). Row index {@code i} is the "local id" the trainer,
 * the bank and the k-NN graph use; {@link #indexOf(long)} maps a global id back.
 */
public final class FeatureMatrix {
    private final long[] ids;
    private final float[] values;
    private final int dim;

    /**
     * @param ids global ids, strictly ascending
     * @param values {@code ids.length * dim} finite values
     * @throws IllegalArgumentException on a shape mismatch, unsorted or repeated ids, or a NaN/infinite value (naming the id)
     */
    public FeatureMatrix(long[] ids, float[] values, int dim) {
        if (dim < 1) {
            throw new IllegalArgumentException("features must have at least one dimension, got " + dim);
        }
        if ((long) ids.length * dim != values.length) {
            throw new IllegalArgumentException(ids.length + " ids with dim " + dim + " need " + (long) ids.length * dim
                    + " feature values, got " + values.length);
        }
        for (int i = 1; i < ids.length; i++) {
            if (ids[i] <= ids[i - 1]) {
                throw new IllegalArgumentException("feature ids must be unique and ascending; id " + ids[i]
                        + " follows " + ids[i - 1]);
            }
        }
        for (int i = 0; i < values.length; i++) {
            if (!Float.isFinite(values[i])) {
                throw new IllegalArgumentException("features of id " + ids[i / dim] + " contain " + values[i]
                        + " at dimension " + (i % dim) + "; remove or re-extract that sample");
            }
        }
        this.ids = ids;
        this.values = values;
        this.dim = dim;
    }

    /** Number of rows N. */
    public int n() {
        return ids.length;
    }

    public int dim() {
        return dim;
    }

    /** The live row-major values ({@code n*dim}); not copied, because they are the largest thing on the driver. */
    public float[] values() {
        return values;
    }

    /** The global id of row {@code i}. */
    public long id(int i) {
        return ids[i];
    }

    /** A copy of the global ids. */
    public long[] ids() {
        return ids.clone();
    }

    /** The row of global id {@code id}, or -1 when absent. */
    public int indexOf(long id) {
        int index = Arrays.binarySearch(ids, id);
        return index >= 0 ? index : -1;
    }

    /** The rows at {@code rows} gathered into a new {@code rows.length*dim} array. */
    public float[] gather(int[] rows, int from, int count) {
        float[] out = new float[count * dim];
        for (int r = 0; r < count; r++) {
            System.arraycopy(values, rows[from + r] * dim, out, r * dim, dim);
        }
        return out;
    }

    /** Bytes the feature values occupy: {@code n * dim * 4}. */
    public long valueBytes() {
        return (long) values.length * Float.BYTES;
    }
}
