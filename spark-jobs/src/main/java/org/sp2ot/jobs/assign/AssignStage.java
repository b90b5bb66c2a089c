package org.sp2ot.jobs.assign;

import java.util.Arrays;

import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.functions;
import org.sp2ot.ml.Sp2otClusteringModel;

/**
 * The assign stage (DESIGN.md "Stage contracts"): every row of the features table gets a cluster on the executors
 * (the head is broadcast once), giving the {@code assignments} table
 * {@code id long, path string, cluster int, confidence float, weight float null, run_id string}:
 * {@code path} from the manifest (null without one or for ids it lacks), {@code confidence} the largest softmax
 * probability, {@code weight} the OT row mass of the last training epoch (null for rows not trained on), joined
 * from the train stage's {@code train-weights/<method>/} table (id long, weight double; the model itself holds no
 * per-row data).
 */
public final class AssignStage {

    /** Column order of the assignments table. */
    public static final String[] COLUMNS = {"id", "path", "cluster", "confidence", "weight", "run_id"};

    private AssignStage() {
    }

    /**
     * The assignments of every row of {@code features} (id long, features ...), not yet written.
     *
     * @param manifest        a manifest table (id, path, ...) or null
     * @param trainingWeights the training rows' last-epoch OT weights (id long, weight double or float, null where
     *                        the row was not in the last pass), as the train stage wrote them
     * @throws IllegalArgumentException when a required column is missing or runId is empty
     */
    public static Dataset<Row> assignments(Dataset<Row> features, Dataset<Row> manifest, Sp2otClusteringModel model,
            Dataset<Row> trainingWeights, String runId) {
        requireColumns(trainingWeights, "training weights", "id", "weight");
        return assignments(features, manifest, model, runId, trainingWeights);
    }

    /**
     * The assignments of new data (not the rows the model was trained on): as {@link #assignments}, with a null
     * {@code weight}, since the training run's OT masses belong to its own ids.
     */
    public static Dataset<Row> predictions(Dataset<Row> features, Dataset<Row> manifest, Sp2otClusteringModel model,
            String runId) {
        return assignments(features, manifest, model, runId, null);
    }

    private static Dataset<Row> assignments(Dataset<Row> features, Dataset<Row> manifest, Sp2otClusteringModel model,
            String runId, Dataset<Row> trainingWeights) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("run_id must be a non-empty string");
        }
        requireColumns(features, "features", "id", model.getFeaturesCol());
        Dataset<Row> predicted = model.transform(features.select(functions.col("id").cast("long").as("id"),
                functions.col(model.getFeaturesCol()))).select(functions.col("id"),
                functions.col(model.getPredictionCol()).as("cluster"),
                functions.col(model.getConfidenceCol()).as("confidence"));
        Dataset<Row> withPath = withPath(predicted, manifest);
        Dataset<Row> joined;
        if (trainingWeights != null) {
            Dataset<Row> weights = trainingWeights.select(functions.col("id").cast("long").as("id"),
                    functions.col("weight").cast("float").as("weight"));
            joined = withPath.join(weights, withPath.col("id").equalTo(weights.col("id")), "left")
                    .drop(weights.col("id"));
        } else {
            joined = withPath.withColumn("weight", functions.lit(null).cast("float"));
        }
        return joined.withColumn("run_id", functions.lit(runId))
                .select(Arrays.stream(COLUMNS).map(functions::col).toArray(Column[]::new));
    }

    /**
     * The assignments of a method that gives clusters only, such as the k-means baseline: {@code predictions}
     * (id long, cluster integral) with the manifest's paths, a null {@code confidence} and a null {@code weight}.
     *
     * @param manifest a manifest table (id, path, ...) or null
     */
    public static Dataset<Row> ofClusters(Dataset<Row> predictions, Dataset<Row> manifest, String runId) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("run_id must be a non-empty string");
        }
        requireColumns(predictions, "predictions", "id", "cluster");
        Dataset<Row> clusters = predictions.select(functions.col("id").cast("long").as("id"),
                functions.col("cluster").cast("int").as("cluster"),
                functions.lit(null).cast("float").as("confidence"));
        return withPath(clusters, manifest).withColumn("weight", functions.lit(null).cast("float"))
                .withColumn("run_id", functions.lit(runId))
                .select(Arrays.stream(COLUMNS).map(functions::col).toArray(Column[]::new));
    }

    /** {@code predicted} with the manifest's {@code path} joined by id (null without a manifest or for ids it lacks). */
    private static Dataset<Row> withPath(Dataset<Row> predicted, Dataset<Row> manifest) {
        if (manifest == null) {
            return predicted.withColumn("path", functions.lit(null).cast("string"));
        }
        requireColumns(manifest, "manifest", "id", "path");
        Dataset<Row> paths = manifest.select(functions.col("id").cast("long").as("id"), functions.col("path"));
        return predicted.join(paths, predicted.col("id").equalTo(paths.col("id")), "left").drop(paths.col("id"));
    }

    /**
     * Writes {@code assignments} (from {@link #assignments} or {@link #predictions} with {@code model}) as Parquet
     * to {@code path}, replacing what is there, then destroys the model's broadcast head.
     */
    public static void write(Dataset<Row> assignments, Sp2otClusteringModel model, String path) {
        try {
            assignments.write().mode(SaveMode.Overwrite).parquet(path);
        } finally {
            model.destroyBroadcasts();
        }
    }

    private static void requireColumns(Dataset<Row> table, String name, String... columns) {
        for (String column : columns) {
            if (!Arrays.asList(table.columns()).contains(column)) {
                throw new IllegalArgumentException("the " + name + " table has no column '" + column + "' (it has "
                        + String.join(", ", table.columns()) + ")");
            }
        }
    }
}
