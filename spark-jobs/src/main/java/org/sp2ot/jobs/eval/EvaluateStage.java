package org.sp2ot.jobs.eval;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.sp2ot.datasets.LongTailProfile;
import org.sp2ot.jobs.extract.ImageFailures;
import org.sp2ot.jobs.io.RunDirectory;

/**
 * The evaluate stage (DESIGN.md, "evaluate" row; ALGORITHM.md §6): scores a clustering against the manifest's labels,
 * once per split ({@code train} = the imbalanced training set, transductive; {@code test} = the balanced test
 * set).
 *
 * <p>Only small tables reach the driver: Spark joins the predictions of every method (one union) to the labelled
 * manifest rows and counts them by (method, split, label, cluster), in one job for all methods; the driver receives
 * at most methods × splits × classes × clusters counts and runs {@link ClusteringMetrics} on them. Head / medium /
 * tail come from the training split's class sizes in the manifest, for every split.
 *
 * <p>Coverage is checked, not assumed: a split in which no labelled row has a prediction is not evaluated (for
 * example a run that assigned the training set only); a split where some rows have a prediction and others not,
 * an id predicted twice, or a cluster id outside {@code [0, numClusters)} is an error that names the problem.
 */
public final class EvaluateStage {

    /** The manifest's split holding the (imbalanced) training set. */
    public static final String TRAIN = "train";
    /** The manifest's split holding the (balanced) test set. */
    public static final String TEST = "test";

    private static final String PREDICTED_ID = "predicted_id";

    private EvaluateStage() {
    }

    /**
     * Scores one method's predictions.
     *
     * @param predictions at least {@code id} (long) and {@code cluster} (integral): the assignments table or
     *                    {@link KMeansBaseline}'s output
     * @param manifest    at least {@code id}, {@code label} (int, null for unlabelled rows) and {@code split}
     * @param numClusters K, the number of clusters the method had (clusters nobody fell into count as empty
     *                    clusters in the report)
     * @return split name to scores: {@code train} first, {@code test} second, any other split after them by name
     * @throws IllegalArgumentException when the manifest has no labelled training row, a label is negative, or
     *                                  the predictions are incomplete, duplicated or out of range (see above)
     */
    public static Map<String, SplitMetrics> evaluate(Dataset<Row> predictions, Dataset<Row> manifest,
                                                     int numClusters) {
        return evaluateAll(Map.of(SINGLE, predictions), manifest, numClusters).get(SINGLE);
    }

    /** The method name of a lone {@link #evaluate(Dataset, Dataset, int)} (not shown in its messages). */
    private static final String SINGLE = "";
    private static final String METHOD = "method";
    private static final String PREDICTED_METHOD = "predicted_method";

    /**
     * {@link #evaluate(Dataset, Dataset, int)} for several methods at once, in two Spark jobs whatever their number
     * (the manifest's class counts, and one join of the labelled manifest rows, repeated per method, with the
     * union of the predictions, counted by (method, split, label, cluster)); errors name the method.
     *
     * @return method to its scores by split, in the order of {@code predictionsByMethod}
     */
    static Map<String, Map<String, SplitMetrics>> evaluateAll(Map<String, Dataset<Row>> predictionsByMethod,
            Dataset<Row> manifest, int numClusters) {
        if (numClusters < 1) {
            throw new IllegalArgumentException("numClusters must be at least 1, got " + numClusters);
        }
        requireColumns(manifest, "manifest", "id", "label", "split");
        Dataset<Row> clusters = unionByMethod(predictionsByMethod, PREDICTED_METHOD, PREDICTED_ID);
        Dataset<Row> labelled = manifest.where(col("label").isNotNull())
                .select(col("id").cast(DataTypes.LongType).as("id"), col("label").cast(DataTypes.IntegerType)
                        .as("label"), col("split"));

        Map<String, Map<Integer, Long>> manifestCounts = countBy(labelled.groupBy("split", "label").count()
                .collectAsList());
        int numClasses = numClasses(manifestCounts);
        LongTailProfile trainProfile = trainProfile(manifestCounts, numClasses);

        Dataset<Row> methods = manifest.sparkSession().createDataset(new ArrayList<>(predictionsByMethod.keySet()),
                org.apache.spark.sql.Encoders.STRING()).toDF(METHOD);
        List<Row> table = labelled.crossJoin(functions.broadcast(methods))
                .join(clusters, col("id").equalTo(col(PREDICTED_ID)).and(col(METHOD).equalTo(col(PREDICTED_METHOD))),
                        "left")
                .groupBy(METHOD, "split", "label", "cluster").count()
                .collectAsList();
        Map<String, Map<String, long[][]>> contingency = new TreeMap<>();
        Map<String, Map<String, Long>> unpredicted = new TreeMap<>();
        for (Row row : table) {
            String method = row.getString(0);
            String split = row.getString(1);
            int label = row.getInt(2);
            long count = row.getLong(4);
            if (row.isNullAt(3)) {
                unpredicted.computeIfAbsent(method, m -> new TreeMap<>()).merge(split, count, Long::sum);
                continue;
            }
            int cluster = row.getInt(3);
            if (cluster < 0 || cluster >= numClusters) {
                throw new IllegalArgumentException(of(method) + "the predictions hold cluster " + cluster
                        + " outside [0, " + numClusters + "); evaluate with the K the method was trained with");
            }
            contingency.computeIfAbsent(method, m -> new TreeMap<>())
                    .computeIfAbsent(split, sp -> new long[numClasses][numClusters])[label][cluster] += count;
        }
        Map<String, Map<String, SplitMetrics>> all = new LinkedHashMap<>();
        for (String method : predictionsByMethod.keySet()) {
            Map<String, long[][]> bySplit = contingency.getOrDefault(method, Map.of());
            Map<String, SplitMetrics> result = new LinkedHashMap<>();
            for (String split : splitOrder(manifestCounts)) {
                long[][] counts = bySplit.get(split);
                if (counts == null) {
                    continue;
                }
                long missing = unpredicted.getOrDefault(method, Map.of()).getOrDefault(split, 0L);
                if (missing > 0) {
                    Dataset<Row> own = clusters.where(col(PREDICTED_METHOD).equalTo(method));
                    throw new IllegalArgumentException(of(method) + missing + " labelled " + split + " rows of the"
                            + " manifest have no prediction, e.g. ids " + unpredictedIds(labelled, own, split)
                            + "; assign every row of the split (or none of it) before evaluating");
                }
                checkNoDuplicates(method, split, counts, manifestCounts.get(split));
                result.put(split, ClusteringMetrics.evaluate(counts, trainProfile));
            }
            if (result.isEmpty()) {
                throw new IllegalArgumentException(of(method) + "no labelled manifest row has a prediction; the"
                        + " predictions' ids must be the manifest's ids");
            }
            all.put(method, result);
        }
        return all;
    }

    /**
     * Every method's predictions in one table ({@code methodColumn} string, {@code idColumn} long, {@code cluster}
     * int), so that one Spark job can count all methods.
     *
     * @throws IllegalArgumentException when a method's table has no {@code id} or {@code cluster} column
     */
    static Dataset<Row> unionByMethod(Map<String, Dataset<Row>> predictionsByMethod, String methodColumn,
            String idColumn) {
        Dataset<Row> union = null;
        for (Map.Entry<String, Dataset<Row>> entry : predictionsByMethod.entrySet()) {
            requireColumns(entry.getValue(), entry.getKey().isEmpty() ? "predictions" : entry.getKey()
                    + " predictions", "id", "cluster");
            Dataset<Row> one = entry.getValue().select(functions.lit(entry.getKey()).as(methodColumn),
                    col("id").cast(DataTypes.LongType).as(idColumn),
                    col("cluster").cast(DataTypes.IntegerType).as("cluster"));
            union = union == null ? one : union.union(one);
        }
        return union;
    }

    /** The prefix naming the method in an error ("" for a lone evaluation). */
    private static String of(String method) {
        return method.isEmpty() ? "" : method + ": ";
    }

    /**
     * Scores several methods against one manifest and gathers them into a report: the stage's entry point for a
     * run (the trained methods' assignments, and {@link KMeansBaseline}'s predictions under {@code "kmeans"}).
     *
     * @param predictionsByMethod method name to its predictions ({@code id}, {@code cluster}), in report order
     * @param numClusters         K of every method
     * @param parameters          the run's parameters, shown in the report and stored in metrics.json
     */
    public static EvaluationReport evaluateMethods(Map<String, Dataset<Row>> predictionsByMethod,
                                                   Dataset<Row> manifest, int numClusters,
                                                   Map<String, String> parameters) {
        return new EvaluationReport(evaluateAll(predictionsByMethod, manifest, numClusters), parameters);
    }

    /**
     * What the evaluate stage of a run reads.
     *
     * @param manifest        the run's manifest (id, path, label, split, ...)
     * @param features        the run's features (id, features); manifest rows without features (unreadable images)
     *                        are not scored
     * @param assignments     method to its assignments (id, path, cluster, confidence), in report order
     * @param curves          method to its training curves (k-means has none)
     * @param numClusters     K of every method
     * @param galleryClusters the largest clusters the gallery shows (0: no gallery)
     * @param mapPoints       rows sampled for the 2-D map
     * @param seed            the seed of the map's sample
     * @param galleryMethod   the method whose clusters the gallery shows
     * @param failures        the images left out at extract time
     * @param parameters      the run's parameters, shown in the report and stored in metrics.json
     */
    public record Inputs(Dataset<Row> manifest, Dataset<Row> features, Map<String, Dataset<Row>> assignments,
            Map<String, TrainCurves> curves, int numClusters, int galleryClusters, int mapPoints, long seed,
            String galleryMethod, ImageFailures.Summary failures, Map<String, String> parameters) {
    }

    /**
     * The stage of a run: scores every method against the manifest's labels ({@link #evaluateMethods}) when it has
     * any, gathers the label-free views ({@link ReportViews}) and writes the outputs ({@link #writeOutputs}).
     *
     * @return the scores, or null when the manifest has no label (then no metrics.json exists afterwards)
     */
    public static EvaluationReport run(RunDirectory run, Inputs in, Configuration hadoop) throws IOException {
        Dataset<Row> extracted = in.features().select(col("id").as("fid"));
        Dataset<Row> manifest = in.manifest().join(extracted, col("id").equalTo(col("fid")), "left_semi");
        boolean labelled = !manifest.where(col("label").isNotNull()).isEmpty();
        EvaluationReport report = labelled
                ? evaluateMethods(in.assignments(), manifest, in.numClusters(), in.parameters()) : null;
        boolean images = !manifest.where(col("path").isNotNull()).isEmpty();
        ReportViews views = ReportViews.gather(manifest, in.features(), in.assignments(), in.curves(),
                in.numClusters(), new ReportViews.Options(in.galleryClusters(), in.mapPoints(), images, in.seed(),
                        in.galleryMethod()), hadoop);
        writeOutputs(run, report, views, in.failures(), in.parameters());
        return report;
    }

    /**
     * Writes {@value ReportHtml#FILE_NAME} and then {@value MetricsJson#FILE_NAME} into the run directory, each
     * atomically; metrics.json comes last, so its presence marks a finished evaluate stage. Without labels
     * ({@code report} null) any old metrics.json is removed first and report.html holds the label-free sections.
     */
    public static void writeOutputs(RunDirectory run, EvaluationReport report, ReportViews views,
            ImageFailures.Summary failures, Map<String, String> parameters) throws IOException {
        if (report == null) {
            run.delete(MetricsJson.FILE_NAME);
        }
        ReportHtml.write(run, report, views, failures, parameters);
        if (report != null) {
            MetricsJson.write(run, report);
        }
    }

    /**
     * {@link #evaluate(Dataset, Dataset, int)} with K taken as the largest predicted cluster id + 1 (trailing
     * empty clusters are then not reported; pass K explicitly when it is known).
     */
    public static Map<String, SplitMetrics> evaluate(Dataset<Row> predictions, Dataset<Row> manifest) {
        requireColumns(predictions, "predictions", "id", "cluster");
        Row max = predictions.agg(org.apache.spark.sql.functions.max(col("cluster").cast(DataTypes.IntegerType)))
                .head();
        if (max.isNullAt(0)) {
            throw new IllegalArgumentException("the predictions are empty; there is nothing to evaluate");
        }
        return evaluate(predictions, manifest, max.getInt(0) + 1);
    }

    private static void requireColumns(Dataset<Row> table, String name, String... columns) {
        List<String> present = List.of(table.columns());
        for (String column : columns) {
            if (!present.contains(column)) {
                throw new IllegalArgumentException("the " + name + " table has no column '" + column + "' (it has "
                        + present + ")");
            }
        }
    }

    private static Map<String, Map<Integer, Long>> countBy(List<Row> splitLabelCounts) {
        Map<String, Map<Integer, Long>> counts = new TreeMap<>();
        for (Row row : splitLabelCounts) {
            if (row.isNullAt(0)) {
                throw new IllegalArgumentException("the manifest has labelled rows without a split; every row"
                        + " needs split 'train' or 'test'");
            }
            int label = row.getInt(1);
            if (label < 0) {
                throw new IllegalArgumentException("the manifest holds label " + label + "; labels must be"
                        + " 0..numClasses-1");
            }
            counts.computeIfAbsent(row.getString(0), s -> new TreeMap<>()).put(label, row.getLong(2));
        }
        return counts;
    }

    private static int numClasses(Map<String, Map<Integer, Long>> manifestCounts) {
        int max = -1;
        for (Map<Integer, Long> bySplit : manifestCounts.values()) {
            for (int label : bySplit.keySet()) {
                max = Math.max(max, label);
            }
        }
        if (max < 0) {
            throw new IllegalArgumentException("the manifest has no labelled row; metrics need ground-truth"
                    + " labels");
        }
        return max + 1;
    }

    /** Head / medium / tail are defined by the training split's class sizes (ALGORITHM.md §6). */
    private static LongTailProfile trainProfile(Map<String, Map<Integer, Long>> manifestCounts, int numClasses) {
        Map<Integer, Long> train = manifestCounts.get(TRAIN);
        if (train == null) {
            throw new IllegalArgumentException("the manifest has no labelled '" + TRAIN + "' row; head/medium/tail"
                    + " are defined by the training class sizes (splits present: " + manifestCounts.keySet() + ")");
        }
        long[] sizes = new long[numClasses];
        train.forEach((label, count) -> sizes[label] = count);
        return LongTailProfile.fromCounts(sizes);
    }

    private static List<String> splitOrder(Map<String, Map<Integer, Long>> manifestCounts) {
        List<String> order = new ArrayList<>();
        TreeSet<String> others = new TreeSet<>(manifestCounts.keySet());
        for (String first : List.of(TRAIN, TEST)) {
            if (others.remove(first)) {
                order.add(first);
            }
        }
        order.addAll(others);
        return order;
    }

    private static void checkNoDuplicates(String method, String split, long[][] counts,
            Map<Integer, Long> manifestSizes) {
        long[] predicted = ClusteringMetrics.rowSums(counts);
        for (int label = 0; label < predicted.length; label++) {
            long expected = manifestSizes.getOrDefault(label, 0L);
            if (predicted[label] != expected) {
                throw new IllegalArgumentException(of(method) + "class " + label + " of split " + split + " has "
                        + expected
                        + " manifest rows but " + predicted[label] + " predictions; an id is predicted more than"
                        + " once");
            }
        }
    }

    private static List<Long> unpredictedIds(Dataset<Row> labelled, Dataset<Row> clusters, String split) {
        return labelled.where(col("split").equalTo(split))
                .join(clusters, col("id").equalTo(col(PREDICTED_ID)), "left_anti")
                .select(col("id")).limit(5).as(org.apache.spark.sql.Encoders.LONG()).collectAsList();
    }
}
