/**
 * The evaluate stage (DESIGN.md, "evaluate" row; ALGORITHM.md §6).
 *
 * <p>Pure arithmetic: {@link org.sp2ot.jobs.eval.Hungarian} (maximum-weight matching, rectangular allowed) and
 * {@link org.sp2ot.jobs.eval.ClusteringMetrics} (class-averaged ACC, NMI, macro F1, ARI, head / medium / tail,
 * per-class table) from a {@code classes × clusters} contingency table.
 *
 * <p>Spark edge: {@link org.sp2ot.jobs.eval.EvaluateStage} aggregates the contingency table per split in Spark and
 * scores it on the driver; {@link org.sp2ot.jobs.eval.KMeansBaseline} is the k-means baseline (greedy k-means++ and Lloyd, lowest cost of 10 restarts).
 *
 * <p>Outputs: {@link org.sp2ot.jobs.eval.MetricsJson} ({@code metrics.json}) and
 * {@link org.sp2ot.jobs.eval.ReportHtml} ({@code report.html}, self-contained, inline SVG charts), both written
 * atomically into the run directory by {@link org.sp2ot.jobs.eval.EvaluateStage#writeOutputs}.
 */
package org.sp2ot.jobs.eval;
