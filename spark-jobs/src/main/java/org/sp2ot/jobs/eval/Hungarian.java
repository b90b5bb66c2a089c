package org.sp2ot.jobs.eval;

import java.util.Arrays;

/**
 * The Hungarian (Kuhn–Munkres) assignment algorithm in its O(r²·c) shortest-augmenting-path form with dual
 * potentials, used to match clusters to classes (ALGORITHM.md §6, "Hungarian matching (maximise matched count)").
 *
 * <p>The weight matrix may be rectangular. Every row is matched when there are at least as many columns as rows;
 * otherwise every column is matched and the surplus rows stay unmatched. Arithmetic is exact ({@code long}), so the
 * optimum is the true optimum for any count matrix whose total fits a {@code long}.
 */
public final class Hungarian {

    /** Marks a row that has no column in the matching (only when there are more rows than columns). */
    public static final int UNMATCHED = -1;

    private Hungarian() {
    }

    /**
     * A maximum-weight matching.
     *
     * @param weights {@code rows × columns}, every row the same length, entries {@code >= 0}
     * @return for each row the column matched to it, or {@link #UNMATCHED}; distinct rows get distinct columns
     * @throws IllegalArgumentException for a ragged or negative matrix
     */
    public static int[] maximize(long[][] weights) {
        int rows = weights.length;
        int columns = validatedColumns(weights);
        if (rows == 0 || columns == 0) {
            int[] none = new int[rows];
            Arrays.fill(none, UNMATCHED);
            return none;
        }
        long largest = 0;
        for (long[] row : weights) {
            for (long w : row) {
                largest = Math.max(largest, w);
            }
        }
        if (rows <= columns) {
            long[][] cost = new long[rows][columns];
            for (int r = 0; r < rows; r++) {
                for (int c = 0; c < columns; c++) {
                    cost[r][c] = largest - weights[r][c];
                }
            }
            return minimizeRowsNotMoreThanColumns(cost, columns);
        }
        long[][] transposedCost = new long[columns][rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < columns; c++) {
                transposedCost[c][r] = largest - weights[r][c];
            }
        }
        int[] rowOfColumn = minimizeRowsNotMoreThanColumns(transposedCost, rows);
        int[] columnOfRow = new int[rows];
        Arrays.fill(columnOfRow, UNMATCHED);
        for (int c = 0; c < columns; c++) {
            columnOfRow[rowOfColumn[c]] = c;
        }
        return columnOfRow;
    }

    /** The total weight of a matching returned by {@link #maximize}. */
    public static long matchedWeight(long[][] weights, int[] columnOfRow) {
        long total = 0;
        for (int r = 0; r < columnOfRow.length; r++) {
            if (columnOfRow[r] != UNMATCHED) {
                total += weights[r][columnOfRow[r]];
            }
        }
        return total;
    }

    private static int validatedColumns(long[][] weights) {
        int columns = weights.length == 0 ? 0 : weights[0].length;
        for (int r = 0; r < weights.length; r++) {
            if (weights[r].length != columns) {
                throw new IllegalArgumentException("Hungarian: row " + r + " has " + weights[r].length
                        + " columns, row 0 has " + columns + "; the weight matrix must be rectangular");
            }
            for (long w : weights[r]) {
                if (w < 0) {
                    throw new IllegalArgumentException("Hungarian: negative weight " + w + " in row " + r
                            + "; weights are counts and must be >= 0");
                }
            }
        }
        return columns;
    }

    /**
     * Minimum-cost perfect matching of all rows into distinct columns ({@code rows <= columns}). Rows are added
     * one at a time; each addition grows a Dijkstra-like tree over columns on reduced costs
     * {@code cost - u[row] - v[column]} until it reaches a free column, then flips the augmenting path. Index 0 of
     * {@code rowOfColumn}/{@code u}/{@code v} is a virtual column/row that holds the row being inserted.
     */
    private static int[] minimizeRowsNotMoreThanColumns(long[][] cost, int columns) {
        int rows = cost.length;
        long[] u = new long[rows + 1];
        long[] v = new long[columns + 1];
        int[] rowOfColumn = new int[columns + 1];
        int[] previousColumn = new int[columns + 1];
        long[] slack = new long[columns + 1];
        boolean[] inTree = new boolean[columns + 1];
        for (int row = 1; row <= rows; row++) {
            rowOfColumn[0] = row;
            int column = 0;
            Arrays.fill(slack, Long.MAX_VALUE);
            Arrays.fill(inTree, false);
            do {
                inTree[column] = true;
                int treeRow = rowOfColumn[column];
                long delta = Long.MAX_VALUE;
                int nextColumn = -1;
                for (int c = 1; c <= columns; c++) {
                    if (inTree[c]) {
                        continue;
                    }
                    long reduced = cost[treeRow - 1][c - 1] - u[treeRow] - v[c];
                    if (reduced < slack[c]) {
                        slack[c] = reduced;
                        previousColumn[c] = column;
                    }
                    if (slack[c] < delta) {
                        delta = slack[c];
                        nextColumn = c;
                    }
                }
                for (int c = 0; c <= columns; c++) {
                    if (inTree[c]) {
                        u[rowOfColumn[c]] += delta;
                        v[c] -= delta;
                    } else {
                        slack[c] -= delta;
                    }
                }
                column = nextColumn;
            } while (rowOfColumn[column] != 0);
            do {
                int before = previousColumn[column];
                rowOfColumn[column] = rowOfColumn[before];
                column = before;
            } while (column != 0);
        }
        int[] columnOfRow = new int[rows];
        for (int c = 1; c <= columns; c++) {
            if (rowOfColumn[c] != 0) {
                columnOfRow[rowOfColumn[c] - 1] = c - 1;
            }
        }
        return columnOfRow;
    }
}
