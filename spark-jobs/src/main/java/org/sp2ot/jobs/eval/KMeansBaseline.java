package org.sp2ot.jobs.eval;

import static org.apache.spark.sql.functions.col;

import java.util.List;
import org.apache.spark.ml.clustering.KMeans;
import org.apache.spark.ml.clustering.KMeansModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The k-means baseline of ALGORITHM.md §7 ("k-means on DINO"): Spark MLlib's {@link KMeans} with k-means||
 * initialisation on the same feature table the trained methods use, returning a predictions table that
 * {@link EvaluateStage} scores exactly like an assignments table.
 *
 * <p>A well-run k-means, not a single draw: {@code restarts} fits from the seeds {@code seed, seed + 1, ...} and the
 * one with the lowest cost (sum of squared distances) is kept, as scikit-learn's {@code n_init} does (issue 9: "beats
 * k-means" must mean beating this one).
 */
public final class KMeansBaseline {

    /** The MLlib initialisation used: k-means|| (the scalable k-means++). */
    public static final String INIT_MODE = "k-means||";

    /**
     * @param k       number of clusters, K (the number of classes for the paper's protocol)
     * @param seed    the random seed of the initialisation
     * @param maxIter Lloyd iterations at most
     * @param tol     convergence tolerance on the centre movement
     * @param restarts fits from different seeds; the lowest-cost one is kept
     */
    public record Options(int k, long seed, int maxIter, double tol, int restarts) {
        /** Default number of restarts (scikit-learn's {@code n_init}). */
        public static final int DEFAULT_RESTARTS = 10;

        public Options {
            if (restarts < 1) {
                throw new IllegalArgumentException("k-means restarts must be at least 1, got " + restarts);
            }
            if (k < 1) {
                throw new IllegalArgumentException("k-means k must be at least 1, got " + k);
            }
            if (maxIter < 1) {
                throw new IllegalArgumentException("k-means maxIter must be at least 1, got " + maxIter);
            }
            if (!(tol >= 0) || Double.isInfinite(tol)) {
                throw new IllegalArgumentException("k-means tol must be finite and >= 0, got " + tol);
            }
        }

        /** {@code k} clusters, seed 0, at most 100 iterations, MLlib's default tolerance 1e-4, 10 restarts. */
        public static Options defaults(int k) {
            return new Options(k, 0L, 100, 1e-4, DEFAULT_RESTARTS);
        }
    }

    /**
     * @param predictions  {@code id} long, {@code cluster} int in {@code [0, k)}
     * @param iterations   Lloyd iterations run
     * @param trainingCost sum of squared distances of the points to their centres (of the kept restart)
     * @param keptRestart  which restart (0-based; its seed is {@code seed + keptRestart}) was kept
     * @param costs        the cost of every restart, in order
     */
    public record Result(Dataset<Row> predictions, int iterations, double trainingCost, int keptRestart,
            double[] costs) {
    }

    private KMeansBaseline() {
    }

    /**
     * Clusters a feature table.
     *
     * @param features the features contract: {@code id} long and {@code features} as array&lt;float&gt;,
     *                 array&lt;double&gt; or an ML Vector
     * @throws IllegalArgumentException when a column is missing or of another type, or k exceeds the row count
     */
    public static Result fit(Dataset<Row> features, Options options) {
        Dataset<Row> vectors = features.select(col("id").cast(DataTypes.LongType).as("id"),
                asVector(features).as("features"));
        long rows = vectors.count();
        if (options.k() > rows) {
            throw new IllegalArgumentException("k-means k = " + options.k() + " exceeds the " + rows
                    + " feature rows; use k <= N");
        }
        vectors = vectors.persist(StorageLevel.MEMORY_AND_DISK());
        try {
            KMeansModel best = null;
            int kept = -1;
            double[] costs = new double[options.restarts()];
            for (int r = 0; r < options.restarts(); r++) {
                KMeansModel model = new KMeans().setK(options.k()).setSeed(options.seed() + r)
                        .setMaxIter(options.maxIter()).setTol(options.tol()).setInitMode(INIT_MODE)
                        .setFeaturesCol("features").setPredictionCol("cluster").fit(vectors);
                costs[r] = model.summary().trainingCost();
                if (best == null || costs[r] < costs[kept]) {
                    best = model;
                    kept = r;
                }
            }
            List<Row> rowsOut = best.transform(vectors)
                    .select(col("id"), col("cluster").cast(DataTypes.IntegerType).as("cluster")).collectAsList();
            Dataset<Row> predictions = vectors.sparkSession().createDataFrame(rowsOut, new StructType()
                    .add("id", DataTypes.LongType, false).add("cluster", DataTypes.IntegerType, false));
            return new Result(predictions, best.summary().numIter(), costs[kept], kept, costs);
        } finally {
            vectors.unpersist();
        }
    }

    /** One line on the fit: restarts, seeds, the restart kept and every restart's cost. */
    public static String describe(Options options, Result fitted) {
        return String.format(java.util.Locale.ROOT, "%d restarts (k-means||, seeds %d..%d), kept restart %d, cost %.6g"
                + " (costs %s)", options.restarts(), options.seed(), options.seed() + options.restarts() - 1,
                fitted.keptRestart(), fitted.trainingCost(), java.util.Arrays.toString(fitted.costs()));
    }

    private static Column asVector(Dataset<Row> features) {
        if (!List.of(features.columns()).contains("features") || !List.of(features.columns())
                .contains("id")) {
            throw new IllegalArgumentException("the feature table needs columns 'id' and 'features' (it has "
                    + List.of(features.columns()) + ")");
        }
        DataType type = features.schema().apply("features").dataType();
        if (type.equals(SQLDataTypes.VectorType())) {
            return col("features");
        }
        if (type instanceof ArrayType array && (array.elementType().equals(DataTypes.FloatType)
                || array.elementType().equals(DataTypes.DoubleType))) {
            return org.apache.spark.ml.functions.array_to_vector(col("features"));
        }
        throw new IllegalArgumentException("column 'features' is " + type.simpleString()
                + "; k-means needs array<float>, array<double> or an ML Vector");
    }
}
