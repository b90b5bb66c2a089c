package org.sp2ot.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.sp2ot.jobs.SparkTestSession;

class KMeansBaselineTest {

    private static final int CLASSES = 3;
    private static final int PER_CLASS = 8;

    /** Three tight blobs 10 apart in 4 dimensions; class c lies around (10c, -10c, 10c, 0). */
    private static Dataset<Row> blobs(StructType schema, boolean asFloat) {
        Random random = new Random(3);
        List<Row> rows = new ArrayList<>();
        long id = 0;
        for (int c = 0; c < CLASSES; c++) {
            for (int i = 0; i < PER_CLASS; i++) {
                double[] x = {10 * c, -10 * c, 10 * c, 0};
                float[] f = new float[x.length];
                for (int d = 0; d < x.length; d++) {
                    x[d] += 0.3 * random.nextGaussian();
                    f[d] = (float) x[d];
                }
                rows.add(RowFactory.create(id++, asFloat ? f : x, c));
            }
        }
        return SparkTestSession.get().createDataFrame(rows, schema);
    }

    private static StructType schema(org.apache.spark.sql.types.DataType element) {
        return new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(element, false)).add("label", DataTypes.IntegerType);
    }

    private static Dataset<Row> manifestOf(Dataset<Row> features) {
        return features.selectExpr("id", "label", "'train' AS split");
    }

    @Test
    void recoversWellSeparatedBlobsFromFloatArrays() {
        Dataset<Row> features = blobs(schema(DataTypes.FloatType), true);
        KMeansBaseline.Result result = KMeansBaseline.fit(features, new KMeansBaseline.Options(CLASSES, 0L, 100, 2));
        SplitMetrics train = EvaluateStage.evaluate(result.predictions(), manifestOf(features), CLASSES)
                .get("train");
        assertEquals(1.0, train.acc(), 0.0);
        assertEquals(1.0, train.nmi(), 1e-12);
    }

    @Test
    void returnsOneClusterIdPerFeatureRow() {
        Dataset<Row> features = blobs(schema(DataTypes.DoubleType), false);
        KMeansBaseline.Result result = KMeansBaseline.fit(features, new KMeansBaseline.Options(CLASSES, 5L, 10, 1));
        assertEquals(List.of("id", "cluster"), List.of(result.predictions().columns()));
        assertEquals(CLASSES * PER_CLASS, result.predictions().count());
        assertEquals(CLASSES * PER_CLASS, result.predictions().select("id").distinct().count());
        assertTrue(result.iterations() >= 1 && result.iterations() <= 10);
    }

    @Test
    void restartsKeepTheLowestCostFitAndItsCostIsTheSumOfSquaredDistances() {
        Dataset<Row> features = blobs(schema(DataTypes.FloatType), true);
        // K = 6 on 3 blobs: the restarts split the blobs differently, so their costs differ
        KMeansBaseline.Result result = KMeansBaseline.fit(features, new KMeansBaseline.Options(CLASSES + 3, 1L, 20,
                4));
        assertEquals(4, result.costs().length);
        double lowest = java.util.Arrays.stream(result.costs()).min().orElseThrow();
        double highest = java.util.Arrays.stream(result.costs()).max().orElseThrow();
        assertTrue(highest > lowest, "the restarts should not all find the same cost: " + java.util.Arrays
                .toString(result.costs()));
        assertEquals(lowest, result.trainingCost(), 0.0);
        assertEquals(lowest, result.costs()[result.keptRestart()], 0.0);
        // the reported cost is the sum of squared distances to the means of the predicted clusters
        java.util.Map<Long, Integer> cluster = new java.util.HashMap<>();
        for (Row row : result.predictions().collectAsList()) {
            cluster.put(row.getLong(0), row.getInt(1));
        }
        List<Row> rows = features.collectAsList();
        int k = CLASSES + 3;
        double[][] sums = new double[k][4];
        int[] counts = new int[k];
        for (Row row : rows) {
            int c = cluster.get(row.getLong(0));
            List<Float> x = row.getList(1);
            counts[c]++;
            for (int d = 0; d < 4; d++) {
                sums[c][d] += x.get(d);
            }
        }
        double cost = 0;
        for (Row row : rows) {
            int c = cluster.get(row.getLong(0));
            List<Float> x = row.getList(1);
            for (int d = 0; d < 4; d++) {
                double diff = x.get(d) - sums[c][d] / counts[c];
                cost += diff * diff;
            }
        }
        assertEquals(cost, result.trainingCost(), 1e-4 * cost);
    }

    @Test
    void rejectsMoreClustersThanRows() {
        Dataset<Row> features = blobs(schema(DataTypes.FloatType), true).limit(2);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KMeansBaseline.fit(features, KMeansBaseline.Options.defaults(CLASSES)));
        assertTrue(e.getMessage().contains("k <= N"), e.getMessage());
    }

    @Test
    void rejectsNonNumericFeatures() {
        Dataset<Row> features = blobs(schema(DataTypes.FloatType), true).selectExpr("id", "'x' AS features");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> KMeansBaseline.fit(features, KMeansBaseline.Options.defaults(CLASSES)));
        assertTrue(e.getMessage().contains("array<float>"), e.getMessage());
    }
}
