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
 * probability, {@code weight} the OT row mass of the last training epoch (null for rows not trained on).
 */
public final class AssignStage {

    /** Column order of the assignments table. */
    public static final String[] COLUMNS = {"id", "path", "cluster", "confidence", "weight", "run_id"};

    private AssignStage() {
    }

    /**
     * The assignments of every row of {@code features} (id long, features ...), not yet written.
     *
     * @param manifest a manifest table (id, path, ...) or null
     * @throws IllegalArgumentException when a required column is missing or runId is empty
     */
    public static Dataset<Row> assignments(Dataset<Row> features, Dataset<Row> manifest, Sp2otClusteringModel model,
            String runId) {
        return assignments(features, manifest, model, runId, true);
    }

    /**
     * The assignments of new data (not the rows the model was trained on): as {@link #assignments}, with a null
     * {@code weight}, since the training run's OT masses belong to its own ids.
     */
    public static Dataset<Row> predictions(Dataset<Row> features, Dataset<Row> manifest, Sp2otClusteringModel model,
            String runId) {
        return assignments(features, manifest, model, runId, false);
    }

    private static Dataset<Row> assignments(Dataset<Row> features, Dataset<Row> manifest, Sp2otClusteringModel model,
            String runId, boolean trainingWeights) {
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("run_id must be a non-empty string");
        }
        requireColumns(features, "features", "id", model.getFeaturesCol());
        Dataset<Row> predicted = model.transform(features.select(functions.col("id").cast("long").as("id"),
                functions.col(model.getFeaturesCol()))).select(functions.col("id"),
                functions.col(model.getPredictionCol()).as("cluster"),
                functions.col(model.getConfidenceCol()).as("confidence"));
        Dataset<Row> withPath;
        if (manifest == null) {
            withPath = predicted.withColumn("path", functions.lit(null).cast("string"));
        } else {
            requireColumns(manifest, "manifest", "id", "path");
            Dataset<Row> paths = manifest.select(functions.col("id").cast("long").as("id"), functions.col("path"));
            withPath = predicted.join(paths, predicted.col("id").equalTo(paths.col("id")), "left")
                    .drop(paths.col("id"));
        }
        Dataset<Row> joined;
        if (trainingWeights) {
            Dataset<Row> weights = model.trainingWeights(features.sparkSession());
            joined = withPath.join(weights, withPath.col("id").equalTo(weights.col("id")), "left")
                    .drop(weights.col("id"));
        } else {
            joined = withPath.withColumn("weight", functions.lit(null).cast("float"));
        }
        return joined.withColumn("run_id", functions.lit(runId))
                .select(Arrays.stream(COLUMNS).map(functions::col).toArray(Column[]::new));
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
