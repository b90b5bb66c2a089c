package org.sp2ot.jobs.train;

import java.io.IOException;
import java.io.UncheckedIOException;

import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.sp2ot.ml.Sp2otClustering;
import org.sp2ot.ml.Sp2otClusteringModel;

/**
 * The train stage of the pipeline (DESIGN.md "Stage contracts"): features (+ k-NN table) in, a fitted
 * {@link Sp2otClusteringModel} saved with Spark ML persistence under the model directory, the training rows'
 * last-epoch OT weights as Parquet under the weights directory (id long, weight double; the assign stage joins
 * them), per-epoch checkpoints under the checkpoint directory (a re-run with the same settings resumes from the
 * newest one) and {@code train-log.jsonl}.
 */
public final class TrainStage {

    private TrainStage() {
    }

    /**
     * Trains and saves the model (overwriting {@code modelDir}) and the training weights (overwriting
     * {@code weightsDir}).
     *
     * @param features id long, features array&lt;float&gt; (or vector)
     * @param knn the k-NN table for SP2OT, or null to build it (other methods ignore it)
     * @param estimator the training params (not changed: the checkpoint and log paths are set on a copy)
     * @param checkpointDir per-epoch checkpoints; null or empty for none
     * @param trainLogPath train-log.jsonl; null or empty for console only
     * @return the fitted model (with its training summary)
     */
    public static Sp2otClusteringModel run(SparkSession spark, Dataset<Row> features, Dataset<Row> knn,
            Sp2otClustering estimator, String modelDir, String weightsDir, String checkpointDir, String trainLogPath) {
        Sp2otClusteringModel model = estimator.copy(ParamMap.empty())
                .setCheckpointDir(checkpointDir == null ? "" : checkpointDir)
                .setTrainLogPath(trainLogPath == null ? "" : trainLogPath).fit(features, knn);
        model.summary().trainingWeights().write().mode(SaveMode.Overwrite).parquet(weightsDir);
        try {
            model.write().overwrite().session(spark).save(modelDir);
        } catch (IOException e) {
            throw new UncheckedIOException("could not save the model to " + modelDir, e);
        }
        return model;
    }
}
