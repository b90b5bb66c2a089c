package org.sp2ot.ml.knn;

import java.io.Serializable;
import java.util.Arrays;

/**
 * For each row of one block, the {@code k} best candidates (score, id) seen so far: higher score is better and,
 * at equal score, the smaller id is better, so the selection does not depend on the order candidates arrive in.
 * Each row keeps a bounded binary heap whose root is its worst kept candidate; a candidate no better than the root
 * of a full heap costs one comparison. Memory is {@code rows * k} entries, independent of how many candidates pass.
 *
 * <p>Partial selections over disjoint candidate sets merge with {@link #mergeFrom(RowTopK)} into the selection over
 * their union, which is what the distributed builder relies on.
 */
public final class RowTopK implements Serializable {
    private static final long serialVersionUID = 1L;

    private final long[] rowIds;
    private final int k;
    private final float[] scores;
    private final long[] ids;
    private final int[] sizes;

    /**
     * @param rowIds the ids of the rows, in row order (kept by reference)
     * @param k      how many candidates each row keeps (at least 1)
     */
    public RowTopK(long[] rowIds, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("k must be at least 1, got " + k);
        }
        this.rowIds = rowIds;
        this.k = k;
        this.scores = new float[rowIds.length * k];
        this.ids = new long[rowIds.length * k];
        this.sizes = new int[rowIds.length];
    }

    public int rows() {
        return rowIds.length;
    }

    public int k() {
        return k;
    }

    /** The id of row {@code row}. */
    public long rowId(int row) {
        return rowIds[row];
    }

    /** How many candidates row {@code row} holds (at most k). */
    public int size(int row) {
        return sizes[row];
    }

    /**
     * The score below which a candidate cannot enter row {@code row}: its worst kept score once it holds k, minus
     * infinity before. A candidate at exactly this score may still enter (smaller id), so callers skip only those
     * strictly below.
     */
    public float threshold(int row) {
        return sizes[row] < k ? Float.NEGATIVE_INFINITY : scores[row * k];
    }

    /** Offers candidate {@code id} with {@code score} to row {@code row}; kept if among the row's k best so far. */
    public void offer(int row, float score, long id) {
        int base = row * k;
        int size = sizes[row];
        if (size < k) {
            siftUp(base, size, score, id);
            sizes[row] = size + 1;
        } else if (isBetter(score, id, scores[base], ids[base])) {
            siftDown(base, score, id);
        }
    }

    /**
     * Adds every candidate kept by {@code other} (a selection over the same rows, in the same order, with the same k).
     */
    public void mergeFrom(RowTopK other) {
        if (other.k != k || !Arrays.equals(other.rowIds, rowIds)) {
            throw new IllegalArgumentException("cannot merge top-k selections over different rows or k");
        }
        for (int row = 0; row < rowIds.length; row++) {
            int base = row * k;
            for (int e = 0; e < other.sizes[row]; e++) {
                offer(row, other.scores[base + e], other.ids[base + e]);
            }
        }
    }

    /**
     * Writes row {@code row}'s kept candidates best first into {@code idsOut} and {@code scoresOut} (each at least
     * {@link #size(int)} long) and returns how many were written.
     */
    public int sortedInto(int row, long[] idsOut, float[] scoresOut) {
        int base = row * k;
        int size = sizes[row];
        Integer[] order = new Integer[size];
        for (int e = 0; e < size; e++) {
            order[e] = base + e;
        }
        Arrays.sort(order, (a, b) -> isBetter(scores[a], ids[a], scores[b], ids[b]) ? -1
                : isBetter(scores[b], ids[b], scores[a], ids[a]) ? 1 : 0);
        for (int e = 0; e < size; e++) {
            idsOut[e] = ids[order[e]];
            scoresOut[e] = scores[order[e]];
        }
        return size;
    }

    /** The selection order: higher score first, then smaller id. */
    static boolean isBetter(float score, long id, float otherScore, long otherId) {
        return score > otherScore || (score == otherScore && id < otherId);
    }

    private void siftUp(int base, int slot, float score, long id) {
        while (slot > 0) {
            int parent = (slot - 1) >>> 1;
            if (!isBetter(scores[base + parent], ids[base + parent], score, id)) {
                break;
            }
            scores[base + slot] = scores[base + parent];
            ids[base + slot] = ids[base + parent];
            slot = parent;
        }
        scores[base + slot] = score;
        ids[base + slot] = id;
    }

    /** Replaces the root (the worst kept candidate) by a better one and restores the heap. */
    private void siftDown(int base, float score, long id) {
        int slot = 0;
        while (true) {
            int child = 2 * slot + 1;
            if (child >= k) {
                break;
            }
            int right = child + 1;
            if (right < k
                    && isBetter(scores[base + child], ids[base + child], scores[base + right], ids[base + right])) {
                child = right;
            }
            if (!isBetter(score, id, scores[base + child], ids[base + child])) {
                break;
            }
            scores[base + slot] = scores[base + child];
            ids[base + slot] = ids[base + child];
            slot = child;
        }
        scores[base + slot] = score;
        ids[base + slot] = id;
    }
}
