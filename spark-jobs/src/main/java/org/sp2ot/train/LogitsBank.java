package org.sp2ot.train;

import java.util.Arrays;

/**
 * The memory buffer of ALGORITHM.md §4: a ring of {@code capacity} rows, each the K logits of one sample and its
 * global id. Filled once with the initial model's logits; every training step writes the batch's current logits over
 * the oldest rows, the OT problem runs over all rows, and the batch's pseudo-labels are read back at the positions
 * the batch was written to. Rows not overwritten keep their (stale) logits; one sample may occupy several rows.
 */
public final class LogitsBank {
    private final int capacity;
    private final int k;
    private final float[] logits;
    private final int[] ids;
    private int next;
    private boolean filled;

    public LogitsBank(int capacity, int k) {
        if (capacity < 1 || k < 1) {
            throw new IllegalArgumentException("bank needs capacity >= 1 and k >= 1, got " + capacity + ", " + k);
        }
        this.capacity = capacity;
        this.k = k;
        this.logits = new float[capacity * k];
        this.ids = new int[capacity];
    }

    /** Fills every row: {@code initialLogits} is {@code capacity*k}, {@code initialIds} {@code capacity}; the next write starts at row 0. */
    public void fill(float[] initialLogits, int[] initialIds) {
        if (initialLogits.length != logits.length || initialIds.length != capacity) {
            throw new IllegalArgumentException("bank fill needs " + capacity + " rows of " + k + " logits, got "
                    + initialIds.length + " ids and " + initialLogits.length + " logits");
        }
        System.arraycopy(initialLogits, 0, logits, 0, logits.length);
        System.arraycopy(initialIds, 0, ids, 0, capacity);
        next = 0;
        filled = true;
    }

    /**
     * Writes {@code rows} rows over the oldest ones, wrapping around the end, and returns the positions written
     * (row {@code r} of the batch went to position {@code result[r]}).
     */
    public int[] write(float[] batchLogits, int[] batchIds, int rows) {
        if (!filled) {
            throw new IllegalStateException("the bank must be filled before the first write");
        }
        if (rows > capacity) {
            throw new IllegalArgumentException("a batch of " + rows + " rows does not fit a bank of " + capacity);
        }
        if (batchLogits.length < rows * k || batchIds.length < rows) {
            throw new IllegalArgumentException("batch of " + rows + " rows needs " + rows * k + " logits and " + rows + " ids");
        }
        int[] positions = new int[rows];
        for (int r = 0; r < rows; r++) {
            int position = next;
            System.arraycopy(batchLogits, r * k, logits, position * k, k);
            ids[position] = batchIds[r];
            positions[r] = position;
            next = (next + 1) % capacity;
        }
        return positions;
    }

    /** Gathers the rows at {@code positions} of a {@code capacity*k} matrix (e.g. the bank's pseudo-labels). */
    public float[] gatherRows(float[] bankMatrix, int[] positions) {
        if (bankMatrix.length != logits.length) {
            throw new IllegalArgumentException("expected a " + capacity + "x" + k + " matrix, got " + bankMatrix.length + " values");
        }
        float[] rows = new float[positions.length * k];
        for (int r = 0; r < positions.length; r++) {
            System.arraycopy(bankMatrix, positions[r] * k, rows, r * k, k);
        }
        return rows;
    }

    public int capacity() {
        return capacity;
    }

    public int k() {
        return k;
    }

    /** The live logits ({@code capacity*k}); the OT solver reads them without a copy. */
    public float[] logits() {
        return logits;
    }

    /** A copy of the global ids of the rows. */
    public int[] ids() {
        return ids.clone();
    }

    /** The position the next write starts at. */
    public int nextPosition() {
        return next;
    }

    /** The complete state, for checkpoints. */
    public State state() {
        return new State(logits.clone(), ids.clone(), next, filled);
    }

    /** Restores a saved state of the same shape. */
    public void restore(State state) {
        if (state.logits().length != logits.length || state.ids().length != capacity) {
            throw new IllegalArgumentException("saved bank has " + state.ids().length + " rows of "
                    + (state.ids().length == 0 ? 0 : state.logits().length / state.ids().length)
                    + " logits, this bank " + capacity + " rows of " + k);
        }
        if (state.next() < 0 || state.next() >= capacity) {
            throw new IllegalArgumentException("saved bank position " + state.next() + " outside [0, " + capacity + ")");
        }
        System.arraycopy(state.logits(), 0, logits, 0, logits.length);
        System.arraycopy(state.ids(), 0, ids, 0, capacity);
        next = state.next();
        filled = state.filled();
    }

    /** A bank's contents for checkpoints. */
    public record State(float[] logits, int[] ids, int next, boolean filled) {
        @Override
        public boolean equals(Object other) {
            return other instanceof State s && s.next == next && s.filled == filled && Arrays.equals(s.logits, logits)
                    && Arrays.equals(s.ids, ids);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(logits) * 31 + Arrays.hashCode(ids) + next;
        }

        @Override
        public String toString() {
            return "LogitsBank.State(" + ids.length + " rows, next=" + next + ", filled=" + filled + ")";
        }
    }
}
