package org.sp2ot.datasets;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.concat;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * iNaturalist 2018 and its nested subsets (ALGORITHM.md §5) from the list files {@code iNaturalist18_train.txt} and
 * {@code iNaturalist18_val.txt} ("relative/path label" per line; the path may contain spaces, the label is the last
 * token). Classes are ordered by training count descending, ties by the smaller original label; the subset of
 * {@code num} classes is cut from that list by {@link #nestedSubset}; labels are re-indexed 0..num-1 in subset order
 * (0 = largest class) and {@code label_name} keeps the original label. The test split is the validation images of
 * the same classes. Paths are resolved against the images root (the input folder unless given).
 *
 * <p>Everything runs in Spark over the list files; the only table brought to the driver is the per-class count
 * (one row per class), plus at most a few offending lines when the input is bad.
 */
public final class INaturalist2018 {
    public static final String TRAIN_LIST = "iNaturalist18_train.txt";
    public static final String VAL_LIST = "iNaturalist18_val.txt";
    /** Original labels are 0..8141 in iNaturalist 2018. */
    public static final int ORIGINAL_CLASSES = 8142;
    /** The subset sizes below the full class count, largest first (ALGORITHM.md §5). */
    static final int[] CHAIN = {2000, 1000, 500, 200, 100};
    private static final int MAX_NAMED = 5;

    private INaturalist2018() {
    }

    /**
     * ALGORITHM.md §5, the nested subsets: starting from {@code classesByCount} (all classes, largest first), walk
     * the chain {@code [total, 2000, 1000, 500, 200, 100]} (sizes not below {@code total} dropped); each step keeps
     * every {@code (prev // cur)}-th class of the parent list, starting with its first, then the first {@code cur}
     * of those. Stops at {@code num}.
     *
     * @param num {@code total} or one of the chain sizes below it
     * @return the original labels of the subset, in subset order
     */
    public static int[] nestedSubset(int[] classesByCount, int num) {
        int total = classesByCount.length;
        if (num == total) {
            return classesByCount.clone();
        }
        if (Arrays.stream(CHAIN).noneMatch(c -> c == num) || num > total) {
            throw new IllegalArgumentException("--classes " + num + " is not a subset size for " + total
                    + " classes; use " + total + " (all) or one of " + Arrays.stream(CHAIN).filter(c -> c < total)
                    .mapToObj(Integer::toString).collect(Collectors.joining(", ")));
        }
        int[] current = classesByCount;
        for (int cur : CHAIN) {
            if (cur >= total) {
                continue;
            }
            final int[] parent = current;
            int step = parent.length / cur;
            current = IntStream.range(0, cur).map(i -> parent[i * step]).toArray();
            if (cur == num) {
                break;
            }
        }
        return current;
    }

    /**
     * The manifest entries ({@link Manifests#ENTRY_SCHEMA}) of the {@code num}-class subset ({@code num <= 0}: all
     * classes present in the training list).
     */
    static Dataset<Row> entries(SparkSession spark, String input, String imagesRoot, int num, int originalClasses)
            throws IOException {
        Path root = new Path(input);
        FileSystem fs = root.getFileSystem(spark.sparkContext().hadoopConfiguration());
        Path trainList = new Path(root, TRAIN_LIST);
        Path valList = new Path(root, VAL_LIST);
        for (Path list : new Path[] {trainList, valList}) {
            if (!fs.isFile(list)) {
                throw new IOException("iNaturalist list file " + list + " not found; --input must be the folder "
                        + "holding " + TRAIN_LIST + " and " + VAL_LIST);
            }
        }
        Path images = new Path(imagesRoot == null ? input : imagesRoot);
        String prefix = images.getFileSystem(spark.sparkContext().hadoopConfiguration()).makeQualified(images)
                + "/";

        Dataset<Row> train = parseChecked(spark, trainList, originalClasses);
        Dataset<Row> val = parseChecked(spark, valList, originalClasses);

        List<Row> counts = train.groupBy("orig").count().collectAsList();
        long[] countByLabel = new long[originalClasses];
        for (Row r : counts) {
            countByLabel[r.getInt(0)] = r.getLong(1);
        }
        int[] present = IntStream.range(0, originalClasses).filter(c -> countByLabel[c] > 0).toArray();
        int[] byCount = Arrays.stream(present).boxed()
                .sorted((a, b) -> countByLabel[a] != countByLabel[b] ? Long.compare(countByLabel[b], countByLabel[a])
                        : Integer.compare(a, b))
                .mapToInt(Integer::intValue).toArray();
        int[] subset = nestedSubset(byCount, num <= 0 ? byCount.length : num);

        List<Row> mapping = new ArrayList<>(subset.length);
        for (int i = 0; i < subset.length; i++) {
            mapping.add(RowFactory.create(subset[i], i, Integer.toString(subset[i])));
        }
        Dataset<Row> relabel = broadcast(spark.createDataFrame(mapping, new StructType()
                .add("orig", DataTypes.IntegerType, false)
                .add("label", DataTypes.IntegerType, false)
                .add("label_name", DataTypes.StringType, false)));
        Dataset<Row> trainRows = train.join(relabel, "orig").withColumn("split", lit(Manifests.TRAIN));
        Dataset<Row> valRows = val.join(relabel, "orig").withColumn("split", lit(Manifests.TEST));
        return trainRows.unionByName(valRows)
                .select(concat(lit(prefix), col("rel")).as("path"), col("label"), col("label_name"), col("split"));
    }

    /**
     * The list file as (line long, rel string, orig int); fails naming the file, the first offending line numbers
     * (1-based) and how many lines are bad when a line lacks a label or its label is not in
     * {@code [0, originalClasses)}. Blank lines are ignored.
     */
    static Dataset<Row> parseChecked(SparkSession spark, Path list, int originalClasses) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<Row> parsed = jsc.textFile(list.toString()).zipWithIndex()
                .filter(t -> !t._1().isBlank())
                .map(t -> parseLine(t._1(), t._2() + 1, originalClasses));
        Dataset<Row> rows = spark.createDataFrame(parsed, new StructType()
                .add("line", DataTypes.LongType, false)
                .add("rel", DataTypes.StringType, true)
                .add("orig", DataTypes.IntegerType, true)
                .add("problem", DataTypes.StringType, true));
        Dataset<Row> bad = rows.filter(col("problem").isNotNull());
        long badCount = bad.count();
        if (badCount > 0) {
            List<String> named = bad.orderBy("line").limit(MAX_NAMED).collectAsList().stream()
                    .map(r -> "line " + r.getLong(0) + ": " + r.getString(3)).collect(Collectors.toList());
            throw new IOException(list + ": " + badCount + " bad line(s) (expected 'relative/path label' with a "
                    + "label in [0, " + originalClasses + ")): " + String.join("; ", named));
        }
        return rows.select("rel", "orig");
    }

    private static Row parseLine(String line, long lineNumber, int originalClasses) {
        String trimmed = line.trim();
        int space = Math.max(trimmed.lastIndexOf(' '), trimmed.lastIndexOf('\t'));
        if (space < 0) {
            return RowFactory.create(lineNumber, null, null, "no label after the path '" + trimmed + "'");
        }
        String rel = trimmed.substring(0, space).trim();
        String token = trimmed.substring(space + 1);
        int label;
        try {
            label = Integer.parseInt(token);
        } catch (NumberFormatException e) {
            return RowFactory.create(lineNumber, null, null, "label '" + token + "' is not an integer");
        }
        if (label < 0 || label >= originalClasses) {
            return RowFactory.create(lineNumber, null, null, "label " + label + " is outside [0, "
                    + originalClasses + ")");
        }
        return RowFactory.create(lineNumber, rel, label, null);
    }
}
