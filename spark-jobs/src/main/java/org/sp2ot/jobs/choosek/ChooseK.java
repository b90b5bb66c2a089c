package org.sp2ot.jobs.choosek;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.explode;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.jobs.eval.ClusteringMetrics;
import org.sp2ot.ml.Sp2otClustering;
import org.sp2ot.ml.Sp2otClusteringModel;

/**
 * Chooses the number of clusters without labels. For each candidate K it trains two short heads (two seeds) with
 * the given estimator, on a sample of the rows when there are more than {@link Options#sampleCap()}, assigns every
 * row on the executors and scores the assignment with {@link ClusterQuality}: non-empty and effective clusters,
 * the share of k-NN edges inside one cluster against a size-matched random baseline, and the stability across the
 * two seeds (adjusted Rand index). Only counts reach the driver (cluster sizes, edge counts, a K x K table).
 */
public final class ChooseK {

    /** Relative tolerance of the suggestion rule ({@link ClusterQuality#suggest}). */
    public static final double DEFAULT_TOLERANCE = 0.05;
    /** Epochs of each short head. */
    public static final int DEFAULT_EPOCHS = 10;
    /**
     * Adam learning rate of the short heads: 40 times the long run's 5e-4, so that a few hundred steps move the
     * prototypes (measured: at 5e-4, 8 epochs of 3 steps left the heads near their random start, graph agreement
     * 0.80 and stability 0.17 at the true K of five separated groups; at 0.02 both were 1.0).
     */
    public static final double DEFAULT_LR = 0.02;

    /**
     * @param ks        candidates, increasing
     * @param epochs    epochs of each short head
     * @param sampleCap rows each head trains on at most
     * @param seed      the first seed; the second is {@code seed + 1}
     * @param tolerance of the suggestion rule
     */
    public record Options(List<Integer> ks, int epochs, int sampleCap, long seed, double tolerance) {
        public Options {
            ks = List.copyOf(ks);
            if (ks.size() < 2) {
                throw new UsageException("choose-k needs at least two candidates of K");
            }
            if (epochs < 1) {
                throw new UsageException("--epochs must be at least 1, got " + epochs);
            }
            if (sampleCap < 2) {
                throw new UsageException("--sample must be at least 2, got " + sampleCap);
            }
            if (!(tolerance >= 0 && tolerance < 1)) {
                throw new UsageException("--tolerance must lie in [0, 1), got " + tolerance);
            }
        }
    }

    private ChooseK() {
    }

    /**
     * @param features  id long, features (the rows to cluster)
     * @param knn       id, neighbors array&lt;long&gt; over the same ids
     * @param estimator the head's settings (method, batch, lr, ...); K, epochs and seed are set per candidate
     */
    public static ChooseKResult run(Dataset<Row> features, Dataset<Row> knn, Sp2otClustering estimator,
            Options options, PrintStream console) {
        long n = features.count();
        int largest = options.ks().get(options.ks().size() - 1);
        if (largest > n) {
            throw new UsageException("candidate K = " + largest + " exceeds the " + n + " samples; lower --k");
        }
        Dataset<Row> rows = features.select("id", "features").persist(StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> training = rows;
        if (n > options.sampleCap()) {
            double fraction = Math.min(1.0, 1.05 * options.sampleCap() / n);
            training = rows.sample(false, fraction, options.seed()).limit(options.sampleCap())
                    .persist(StorageLevel.MEMORY_AND_DISK());
        }
        long trainRows = training.count();
        if (largest > trainRows) {
            throw new UsageException("candidate K = " + largest + " exceeds the " + trainRows
                    + " rows of the training sample; raise --sample or lower --k");
        }
        int batch = Math.min(estimator.getBatchSize(), (int) trainRows);
        Dataset<Row> edges = knn.select(col("id").as("src"), explode(col("neighbors")).as("dst"))
                .persist(StorageLevel.MEMORY_AND_DISK());
        long edgeCount = edges.count();
        long[] seeds = {options.seed(), options.seed() + 1};
        List<CandidateScore> scores = new ArrayList<>();
        try {
            for (int k : options.ks()) {
                long started = System.nanoTime();
                List<Dataset<Row>> assignments = new ArrayList<>();
                double nonEmpty = 0;
                double effective = 0;
                double agreement = 0;
                double random = 0;
                double adjusted = 0;
                for (long seed : seeds) {
                    Sp2otClusteringModel model = estimator.copy(org.apache.spark.ml.param.ParamMap.empty()).setK(k)
                            .setEpochs(options.epochs()).setSeed(seed).setBatchSize(batch)
                            .setCheckpointDir("").setTrainLogPath("").fit(training);
                    Dataset<Row> assigned = model.setPredictionCol("cluster").transform(rows).select("id", "cluster")
                            .persist(StorageLevel.MEMORY_AND_DISK());
                    assignments.add(assigned);
                    long[] sizes = clusterSizes(assigned, k);
                    long inside = edgesInside(edges, assigned);
                    nonEmpty += ClusterQuality.nonEmpty(sizes) / 2.0;
                    effective += ClusterQuality.effectiveClusters(sizes) / 2.0;
                    agreement += (edgeCount == 0 ? 0 : (double) inside / edgeCount) / 2.0;
                    random += ClusterQuality.randomAgreement(sizes) / 2.0;
                    adjusted += ClusterQuality.adjustedAgreement(inside, edgeCount, sizes) / 2.0;
                }
                double stability = ClusteringMetrics.adjustedRandIndex(crossTable(assignments.get(0),
                        assignments.get(1), k));
                assignments.forEach(Dataset::unpersist);
                CandidateScore score = new CandidateScore(k, nonEmpty, effective, agreement, random, adjusted,
                        stability, ClusterQuality.score(adjusted, stability), (System.nanoTime() - started) / 1e9);
                scores.add(score);
                console.printf(Locale.ROOT, "choose-k K=%-5d non-empty %6.1f  graph agreement %.3f (random %.3f)"
                                + "  stability %.3f  score %.3f  (%.1f s)%n", k, nonEmpty, agreement, random,
                        stability, score.score(), score.seconds());
            }
        } finally {
            edges.unpersist();
            training.unpersist();
            rows.unpersist();
        }
        int[] ks = scores.stream().mapToInt(CandidateScore::k).toArray();
        double[] values = scores.stream().mapToDouble(CandidateScore::score).toArray();
        CandidateScore best = scores.get(ClusterQuality.suggest(ks, values, options.tolerance()));
        int suggested = Math.max(2, (int) Math.round(best.nonEmpty()));
        return new ChooseKResult(scores, best.k(), suggested, options.tolerance(), n, trainRows, edgeCount, options.epochs(),
                seeds);
    }

    private static long[] clusterSizes(Dataset<Row> assigned, int k) {
        long[] sizes = new long[k];
        for (Row row : assigned.groupBy("cluster").count().collectAsList()) {
            sizes[row.getInt(0)] = row.getLong(1);
        }
        return sizes;
    }

    private static long edgesInside(Dataset<Row> edges, Dataset<Row> assigned) {
        Dataset<Row> a = assigned.select(col("id").as("a_id"), col("cluster").as("a_cluster"));
        Dataset<Row> b = assigned.select(col("id").as("b_id"), col("cluster").as("b_cluster"));
        return edges.join(a, col("src").equalTo(col("a_id")))
                .join(b, col("dst").equalTo(col("b_id")))
                .where(col("a_cluster").equalTo(col("b_cluster"))).count();
    }

    private static long[][] crossTable(Dataset<Row> first, Dataset<Row> second, int k) {
        Dataset<Row> a = first.select(col("id").as("a_id"), col("cluster").as("a_cluster"));
        Dataset<Row> b = second.select(col("id").as("b_id"), col("cluster").as("b_cluster"));
        long[][] counts = new long[k][k];
        for (Row row : a.join(b, col("a_id").equalTo(col("b_id"))).groupBy("a_cluster", "b_cluster").count()
                .collectAsList()) {
            counts[row.getInt(0)][row.getInt(1)] = row.getLong(2);
        }
        return counts;
    }
}
