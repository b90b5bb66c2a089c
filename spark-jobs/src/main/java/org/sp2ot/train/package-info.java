/**
 * Training of the clustering head on frozen features (ALGORITHM.md §4), on the driver in plain Java: the head
 * ({@link org.sp2ot.train.ClusterHead}), its loss, Adam with cosine decay, the logits bank, the rho schedule and
 * the {@link org.sp2ot.train.Trainer} loop with exact resume from checkpoints. No Spark or Hadoop class is imported
 * here (DependencyRulesTest): the Spark edges live above, in {@code org.sp2ot.ml.data} (TrainingData collects the
 * inputs, HadoopCheckpointStore, TrainLog), and {@code org.sp2ot.ml.Sp2otClustering} drives the trainer.
 */
package org.sp2ot.train;
