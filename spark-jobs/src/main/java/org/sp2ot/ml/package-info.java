/**
 * SP2OT clustering as a Spark ML estimator, used like {@code KMeans}:
 *
 * <pre>{@code
 * Sp2otClustering sp2ot = new Sp2otClustering().setK(100).setMethod("sp2ot").setEpochs(50)
 *         .setCheckpointDir("hdfs:///runs/r1/checkpoints").setTrainLogPath("hdfs:///runs/r1/train-log.jsonl");
 * Sp2otClusteringModel model = sp2ot.fit(features, knn);      // knn may be null: fit builds the graph
 * model.summary().lossPerEpoch();
 * model.transform(features);                                  // + prediction int, confidence float
 * model.write().overwrite().save("hdfs:///runs/r1/model");
 * Sp2otClusteringModel again = Sp2otClusteringModel.load("hdfs:///runs/r1/model");
 * }</pre>
 *
 * Both classes work as {@code Pipeline} stages and persist with Spark ML's params JSON + Parquet format.
 */
package org.sp2ot.ml;
