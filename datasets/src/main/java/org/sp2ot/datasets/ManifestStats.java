package org.sp2ot.datasets;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.first;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What a manifest holds: rows per split, per-class training and test counts, the imbalance ratio and the
 * head / medium / tail classes of ALGORITHM.md §6 (via {@link LongTailProfile}), and the input files that were
 * skipped. Written as {@code manifest-stats.json} next to the manifest and printed by {@link #toTable()}.
 */
public final class ManifestStats {
    private static final int MAX_LISTED = 50;

    private final String dataset;
    private final long numTrain;
    private final long numTest;
    private final long unlabelled;
    private final long[] trainCounts;
    private final long[] testCounts;
    private final String[] names;
    private final LongTailProfile profile;
    private final long skippedCount;
    private final List<String> skippedExamples;

    ManifestStats(String dataset, long numTrain, long numTest, long unlabelled, long[] trainCounts, long[] testCounts,
                  String[] names, long skippedCount, List<String> skippedExamples) {
        this.dataset = dataset;
        this.numTrain = numTrain;
        this.numTest = numTest;
        this.unlabelled = unlabelled;
        this.trainCounts = trainCounts;
        this.testCounts = testCounts;
        this.names = names;
        this.profile = trainCounts.length == 0 ? null : LongTailProfile.fromCounts(trainCounts);
        this.skippedCount = skippedCount;
        this.skippedExamples = List.copyOf(skippedExamples);
    }

    /**
     * Counts a manifest (columns of {@link Manifests#MANIFEST_SCHEMA}); only the per-(split, label) table is
     * collected. {@code skipped} lists input files left out (e.g. unreadable images), {@code skippedCount} their
     * number.
     */
    public static ManifestStats of(String dataset, Dataset<Row> manifest, long skippedCount, List<String> skipped) {
        List<Row> groups = manifest.groupBy(col("split"), col("label"))
                .agg(count("*").as("n"), first("label_name", true).as("name"))
                .collectAsList();
        TreeMap<Integer, String> nameByLabel = new TreeMap<>();
        long train = 0;
        long test = 0;
        long unlabelled = 0;
        int maxLabel = -1;
        for (Row g : groups) {
            long n = g.getLong(2);
            if (Manifests.TRAIN.equals(g.getString(0))) {
                train += n;
            } else {
                test += n;
            }
            if (g.isNullAt(1)) {
                unlabelled += n;
            } else {
                int label = g.getInt(1);
                maxLabel = Math.max(maxLabel, label);
                if (!g.isNullAt(3)) {
                    nameByLabel.putIfAbsent(label, g.getString(3));
                }
            }
        }
        long[] trainCounts = new long[maxLabel + 1];
        long[] testCounts = new long[maxLabel + 1];
        String[] names = new String[maxLabel + 1];
        for (Row g : groups) {
            if (!g.isNullAt(1)) {
                int label = g.getInt(1);
                if (Manifests.TRAIN.equals(g.getString(0))) {
                    trainCounts[label] += g.getLong(2);
                } else {
                    testCounts[label] += g.getLong(2);
                }
                names[label] = nameByLabel.get(label);
            }
        }
        return new ManifestStats(dataset, train, test, unlabelled, trainCounts, testCounts, names, skippedCount,
                skipped);
    }

    public String dataset() {
        return dataset;
    }

    public long numTrain() {
        return numTrain;
    }

    public long numTest() {
        return numTest;
    }

    /** Rows without a label (a flat image folder). */
    public long numUnlabelled() {
        return unlabelled;
    }

    /** Classes, i.e. the largest label + 1 (0 when nothing is labelled). */
    public int numClasses() {
        return trainCounts.length;
    }

    public long trainCount(int label) {
        return trainCounts[label];
    }

    public long testCount(int label) {
        return testCounts[label];
    }

    /** The training-count profile, or null when nothing is labelled. */
    public LongTailProfile profile() {
        return profile;
    }

    /** Input files left out (e.g. unreadable images when skipping was asked for). */
    public long skippedCount() {
        return skippedCount;
    }

    /** The first skipped files with the reason, "path: reason". */
    public List<String> skippedExamples() {
        return skippedExamples;
    }

    /** The statistics as a JSON object (the content of {@code manifest-stats.json}). */
    public String toJson() {
        StringBuilder sb = new StringBuilder(256 + 64 * trainCounts.length);
        sb.append("{\n  \"dataset\": ").append(quote(dataset));
        sb.append(",\n  \"rows\": {\"train\": ").append(numTrain).append(", \"test\": ").append(numTest)
                .append(", \"unlabelled\": ").append(unlabelled).append('}');
        sb.append(",\n  \"num_classes\": ").append(numClasses());
        if (profile != null) {
            double ratio = profile.imbalanceRatio();
            sb.append(",\n  \"imbalance_ratio\": ").append(Double.isNaN(ratio) ? "null" : fmt(ratio));
            sb.append(",\n  \"head\": ").append(Arrays.toString(profile.headClasses()));
            sb.append(",\n  \"medium\": ").append(Arrays.toString(profile.mediumClasses()));
            sb.append(",\n  \"tail\": ").append(Arrays.toString(profile.tailClasses()));
            sb.append(",\n  \"classes\": [");
            for (int c = 0; c < trainCounts.length; c++) {
                sb.append(c == 0 ? "\n    " : ",\n    ");
                sb.append("{\"label\": ").append(c).append(", \"name\": ").append(quote(names[c]))
                        .append(", \"train\": ").append(trainCounts[c]).append(", \"test\": ").append(testCounts[c])
                        .append(", \"group\": \"").append(profile.groupOf(c).name().toLowerCase(Locale.ROOT))
                        .append("\"}");
            }
            sb.append("\n  ]");
        }
        sb.append(",\n  \"skipped_count\": ").append(skippedCount);
        sb.append(",\n  \"skipped\": [");
        for (int i = 0; i < skippedExamples.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(quote(skippedExamples.get(i)));
        }
        sb.append("]\n}\n");
        return sb.toString();
    }

    /**
     * A human-readable summary: totals, imbalance, group sizes and a per-class table (all classes up to
     * {@value #MAX_LISTED}, else the largest and smallest 10).
     */
    public String toTable() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "dataset %s: %d train, %d test rows", dataset, numTrain, numTest));
        if (unlabelled > 0) {
            sb.append(String.format(Locale.ROOT, ", %d unlabelled", unlabelled));
        }
        sb.append('\n');
        if (profile != null) {
            sb.append(String.format(Locale.ROOT, "classes %d, imbalance ratio %s, head/medium/tail %d/%d/%d%n",
                    numClasses(), fmt(profile.imbalanceRatio()), profile.headClasses().length,
                    profile.mediumClasses().length, profile.tailClasses().length));
            sb.append(String.format(Locale.ROOT, "%6s  %-28s %8s %6s  %s%n", "label", "name", "train", "test",
                    "group"));
            int[] order = profile.classesByCountDescending();
            List<Integer> shown = new ArrayList<>();
            if (order.length <= MAX_LISTED) {
                Arrays.stream(order).forEach(shown::add);
            } else {
                Arrays.stream(order, 0, 10).forEach(shown::add);
                shown.add(-1);
                Arrays.stream(order, order.length - 10, order.length).forEach(shown::add);
            }
            for (int c : shown) {
                if (c < 0) {
                    sb.append(String.format(Locale.ROOT, "%6s  ... %d more classes ...%n", "",
                            order.length - 20));
                    continue;
                }
                String name = names[c] == null ? "" : names[c];
                if (name.length() > 28) {
                    name = name.substring(0, 25) + "...";
                }
                sb.append(String.format(Locale.ROOT, "%6d  %-28s %8d %6d  %s%n", c, name, trainCounts[c],
                        testCounts[c], profile.groupOf(c).name().toLowerCase(Locale.ROOT)));
            }
        }
        if (skippedCount > 0) {
            sb.append(String.format(Locale.ROOT, "skipped %d unreadable file(s), e.g.%n", skippedCount));
            skippedExamples.stream().limit(10).forEach(s -> sb.append("  ").append(s).append('\n'));
        }
        return sb.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4g", v);
    }

    static String quote(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (ch < 0x20) {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
            }
        }
        return sb.append('"').toString();
    }
}
