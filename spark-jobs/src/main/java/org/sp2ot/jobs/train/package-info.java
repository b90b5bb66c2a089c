/**
 * Training of the clustering head on frozen features (ALGORITHM.md §4), on the driver in plain Java: the head
 * ({@link org.sp2ot.jobs.train.ClusterHead}), its loss, Adam with cosine decay, the logits bank, the rho schedule and
 * the {@link org.sp2ot.jobs.train.Trainer} loop with exact resume from checkpoints. The Spark edges are
 * {@link org.sp2ot.jobs.train.TrainingData} (collecting inputs), {@link org.sp2ot.jobs.train.HadoopCheckpointStore},
 * {@link org.sp2ot.jobs.train.TrainLog} and the pipeline entry {@link org.sp2ot.jobs.train.TrainStage}.
 */
package org.sp2ot.jobs.train;
