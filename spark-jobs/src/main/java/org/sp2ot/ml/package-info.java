/**
 * SP2OT clustering as a Spark ML estimator, used like {@code KMeans}:
 *
 * <pre>{@code
 * Sp2otClustering sp2ot = new Sp2otClustering().setK(100).setMethod("sp2ot").setEpochs(50)
 *         .setCheckpointDir("hdfs:///runs/r1/checkpoints").setTrainLogPath("hdfs:///runs/r1/train-log.jsonl");
 * Sp2otClusteringModel model = sp2ot.fit(features, knn);      // knn may be null: fit builds the graph
 * model.summary().lossPerEpoch();
 * model.summary().trainingWeights();                          // id, weight: each training row's last-epoch OT mass
 * model.transform(features);                                  // + prediction int, confidence float
 * model.write().overwrite().save("hdfs:///runs/r1/model");
 * Sp2otClusteringModel again = Sp2otClusteringModel.load("hdfs:///runs/r1/model");
 * again.getMethod(); again.getEps(); again.getRhoSchedule();  // every param that trained it
 * }</pre>
 *
 * Both classes share their params ({@link org.sp2ot.ml.Sp2otParams}, as MLlib's {@code KMeansParams}), work as
 * {@code Pipeline} stages and persist with Spark ML's params JSON + Parquet format.
 */
package org.sp2ot.ml;
