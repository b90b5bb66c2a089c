package org.sp2ot.ml.knn;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One pass of checks over feature rows, mergeable across partitions: every id, the row count per dimension (with
 * a few example ids each), and the first rows that cannot enter the graph (null id or features, NaN/infinite
 * values, all zeros). {@link #validate(int)} turns what it saw into the dimension of the graph or an
 * {@link IllegalArgumentException} naming the offending ids.
 */
final class FeatureCensus implements Serializable {
    private static final long serialVersionUID = 1L;
    static final int MAX_NAMED_IDS = 10;

    private long[] ids = new long[1024];
    private int count;
    private final TreeMap<Integer, Long> rowsByDim = new TreeMap<>();
    private final TreeMap<Integer, List<Long>> exampleIdsByDim = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();

    /** Records one row; {@code values} may be null (null elements must have been turned into NaN). */
    void add(Long id, float[] values) {
        String problem = problemOf(id, values);
        if (problem != null) {
            if (problems.size() <= MAX_NAMED_IDS) {
                problems.add("id " + id + ": " + problem);
            }
            return;
        }
        if (count == ids.length) {
            ids = Arrays.copyOf(ids, 2 * count);
        }
        ids[count++] = id;
        rowsByDim.merge(values.length, 1L, Long::sum);
        List<Long> examples = exampleIdsByDim.computeIfAbsent(values.length, dim -> new ArrayList<>());
        if (examples.size() < MAX_NAMED_IDS) {
            examples.add(id);
        }
    }

    private static String problemOf(Long id, float[] values) {
        if (id == null) {
            return "null id";
        }
        if (values == null) {
            return "null features";
        }
        if (values.length == 0) {
            return "empty features";
        }
        boolean allZero = true;
        for (float v : values) {
            if (!Float.isFinite(v)) {
                return "NaN, infinite or null values";
            }
            allZero &= v == 0f;
        }
        return allZero ? "all zeros (cosine undefined)" : null;
    }

    /** Adds what {@code other} saw to this census and returns this. */
    FeatureCensus merge(FeatureCensus other) {
        for (int i = 0; i < other.count; i++) {
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, 2 * count);
            }
            ids[count++] = other.ids[i];
        }
        other.rowsByDim.forEach((dim, rows) -> rowsByDim.merge(dim, rows, Long::sum));
        other.exampleIdsByDim.forEach((dim, examples) -> {
            List<Long> mine = exampleIdsByDim.computeIfAbsent(dim, d -> new ArrayList<>());
            for (Long id : examples) {
                if (mine.size() < MAX_NAMED_IDS) {
                    mine.add(id);
                }
            }
        });
        for (String problem : other.problems) {
            if (problems.size() <= MAX_NAMED_IDS) {
                problems.add(problem);
            }
        }
        return this;
    }

    /**
     * The dimension every row has: {@code expectedDim} when positive, else the one most rows have (ties: the
     * larger).
     *
     * @throws IllegalArgumentException naming the ids of invalid rows, of rows of another dimension, or of ids
     *                                  that occur twice; or when there are no rows
     */
    int validate(int expectedDim) {
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid feature rows (" + String.join("; ",
                    problems.subList(0, Math.min(problems.size(), MAX_NAMED_IDS)))
                    + (problems.size() > MAX_NAMED_IDS ? "; and more" : "")
                    + "): fix or drop these rows before building the k-NN graph");
        }
        if (rowsByDim.isEmpty()) {
            throw new IllegalArgumentException("the features table is empty: nothing to build a k-NN graph from");
        }
        int dim = expectedDim > 0 ? expectedDim : rowsByDim.entrySet().stream()
                .max(Map.Entry.<Integer, Long>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .orElseThrow().getKey();
        if (rowsByDim.size() > 1 || !rowsByDim.containsKey(dim)) {
            List<Long> wrong = new ArrayList<>();
            long wrongCount = 0;
            for (Map.Entry<Integer, Long> entry : rowsByDim.entrySet()) {
                if (entry.getKey() != dim) {
                    wrongCount += entry.getValue();
                    wrong.addAll(exampleIdsByDim.get(entry.getKey()));
                }
            }
            throw new IllegalArgumentException(wrongCount + " feature rows do not have dimension " + dim
                    + (expectedDim > 0 ? " (the expected one)" : " (the one most rows have)") + ", e.g. ids "
                    + wrong.subList(0, Math.min(wrong.size(), MAX_NAMED_IDS)) + "; row counts by dimension: "
                    + rowsByDim);
        }
        return dim;
    }

    /**
     * The ids seen, sorted ascending.
     *
     * @throws IllegalArgumentException naming ids that occur more than once
     */
    long[] sortedDistinctIds() {
        long[] sorted = Arrays.copyOf(ids, count);
        Arrays.sort(sorted);
        List<Long> duplicates = new ArrayList<>();
        for (int i = 1; i < sorted.length && duplicates.size() < MAX_NAMED_IDS; i++) {
            boolean repeated = sorted[i] == sorted[i - 1];
            if (repeated && (duplicates.isEmpty() || duplicates.get(duplicates.size() - 1) != sorted[i])) {
                duplicates.add(sorted[i]);
            }
        }
        if (!duplicates.isEmpty()) {
            throw new IllegalArgumentException("feature ids must be unique, but ids " + duplicates
                    + " occur more than once");
        }
        return sorted;
    }
}
