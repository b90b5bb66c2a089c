package org.sp2ot.ml.knn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sp2ot.jobs.SparkTestSession;

/** Tiny feature tables and the brute-force k-NN they are checked against. */
public final class KnnTestData {
    public static final StructType FEATURES_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private KnnTestData() {
    }

    /**
     * Rows of +-1 entries with d = 16: after normalisation every entry is exactly +-0.25 and every dot product a
     * multiple of 1/16, so cosines are exact in float whatever the summation order, and ties are frequent.
     */
    public static float[][] signVectors(int n, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][16];
        for (float[] row : rows) {
            for (int c = 0; c < row.length; c++) {
                row[c] = random.nextBoolean() ? 1f : -1f;
            }
        }
        return rows;
    }

    public static float[][] gaussianVectors(int n, int d, long seed) {
        Random random = new Random(seed);
        float[][] rows = new float[n][d];
        for (float[] row : rows) {
            for (int c = 0; c < d; c++) {
                row[c] = (float) random.nextGaussian();
            }
        }
        return rows;
    }

    /** Ids that are neither dense nor in row order: 7 + 3 * (position in a fixed shuffle). */
    public static long[] scatteredIds(int n) {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ids.add(7L + 3L * i);
        }
        java.util.Collections.shuffle(ids, new Random(11));
        return ids.stream().mapToLong(Long::longValue).toArray();
    }

    public static Dataset<Row> table(long[] ids, float[][] rows, int partitions) {
        List<Row> data = new ArrayList<>();
        for (int i = 0; i < ids.length; i++) {
            data.add(RowFactory.create(ids[i], rows[i]));
        }
        return SparkTestSession.get().createDataFrame(data, FEATURES_SCHEMA).repartition(partitions);
    }

    /** Cosine similarity computed in double from the raw rows. */
    public static double cosine(float[] x, float[] y) {
        double dot = 0;
        double xx = 0;
        double yy = 0;
        for (int c = 0; c < x.length; c++) {
            dot += (double) x[c] * y[c];
            xx += (double) x[c] * x[c];
            yy += (double) y[c] * y[c];
        }
        return dot / Math.sqrt(xx * yy);
    }

    /** For row i: the ids of its k most similar other rows, higher cosine first, ties by smaller id. */
    public static long[] bruteForceNeighbours(long[] ids, float[][] rows, int i, int k) {
        Integer[] others = new Integer[ids.length];
        for (int j = 0; j < ids.length; j++) {
            others[j] = j;
        }
        double[] sim = new double[ids.length];
        for (int j = 0; j < ids.length; j++) {
            sim[j] = cosine(rows[i], rows[j]);
        }
        Arrays.sort(others, (a, b) -> sim[a] != sim[b] ? Double.compare(sim[b], sim[a]) : Long.compare(ids[a], ids[b]));
        return Arrays.stream(others).filter(j -> j != i).limit(k).mapToLong(j -> ids[j]).toArray();
    }
}
