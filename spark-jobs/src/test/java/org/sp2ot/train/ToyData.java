package org.sp2ot.train;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A tiny separable, imbalanced data set for training tests: {@code sizes[c]} points around the c-th unit axis of an
 * 8-dimensional space, with small Gaussian noise; ids 0..N-1 in class order.
 */
public final class ToyData {
    public static final int DIM = 8;

    public final FeatureMatrix features;
    public final int[] labels;

    public ToyData(long seed, int... sizes) {
        SplittableRandom random = new SplittableRandom(seed);
        int n = 0;
        for (int size : sizes) {
            n += size;
        }
        long[] ids = new long[n];
        float[] values = new float[n * DIM];
        labels = new int[n];
        int row = 0;
        for (int c = 0; c < sizes.length; c++) {
            for (int i = 0; i < sizes[c]; i++, row++) {
                ids[row] = row;
                labels[row] = c;
                for (int d = 0; d < DIM; d++) {
                    values[row * DIM + d] = (float) ((d == c ? 1.0 : 0.0) + 0.15 * gaussian(random));
                }
            }
        }
        features = new FeatureMatrix(ids, values, DIM);
    }

    /** The features table of the stage contract: id long, features array&lt;float&gt;, label int; 3 partitions. */
    public Dataset<Row> frame(SparkSession spark) {
        List<Row> rows = new ArrayList<>();
        float[] values = features.values();
        for (int i = 0; i < features.n(); i++) {
            Float[] vector = new Float[DIM];
            for (int d = 0; d < DIM; d++) {
                vector[d] = values[i * DIM + d];
            }
            rows.add(RowFactory.create(features.id(i), vector, labels[i]));
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("label", DataTypes.IntegerType, true);
        return spark.createDataFrame(rows, schema).repartition(3);
    }

    /** Fraction of rows whose cluster, under the best one-to-one cluster-to-class map, is their class (K <= 4). */
    public double matchedAccuracy(int[] clusters, int k) {
        int[][] counts = new int[k][k];
        for (int i = 0; i < labels.length; i++) {
            counts[clusters[i]][labels[i]]++;
        }
        return bestMatch(counts, 0, new boolean[k]) / (double) labels.length;
    }

    private static int bestMatch(int[][] counts, int cluster, boolean[] used) {
        if (cluster == counts.length) {
            return 0;
        }
        int best = 0;
        for (int c = 0; c < counts.length; c++) {
            if (!used[c]) {
                used[c] = true;
                best = Math.max(best, counts[cluster][c] + bestMatch(counts, cluster + 1, used));
                used[c] = false;
            }
        }
        return best;
    }

    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }
}
