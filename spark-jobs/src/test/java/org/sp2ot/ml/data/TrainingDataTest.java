package org.sp2ot.ml.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.sp2ot.jobs.SparkTestSession;
import org.sp2ot.solver.KnnGraph;
import org.sp2ot.train.FeatureMatrix;

class TrainingDataTest {
    private static final StructType FEATURES = new StructType().add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    private static final StructType KNN = new StructType().add("id", DataTypes.LongType, false)
            .add("neighbors", DataTypes.createArrayType(DataTypes.LongType, false), false)
            .add("weights", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    private static Dataset<Row> features(SparkSession spark) {
        return spark.createDataFrame(List.of(RowFactory.create(7L, new Float[] {7f, 0f}),
                RowFactory.create(3L, new Float[] {3f, 0f}), RowFactory.create(5L, new Float[] {5f, 0f})), FEATURES);
    }

    @Test
    void featuresAreCollectedSortedById() {
        FeatureMatrix matrix = TrainingData.collectFeatures(features(SparkTestSession.get()), "id", "features");
        assertArrayEquals(new long[] {3, 5, 7}, matrix.ids());
        assertArrayEquals(new float[] {3, 0, 5, 0, 7, 0}, matrix.values());
    }

    @Test
    void rowOfAnotherLengthIsRejectedNamingItsId() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> ragged = features(spark).union(spark.createDataFrame(
                List.of(RowFactory.create(9L, new Float[] {1f})), FEATURES));
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TrainingData.collectFeatures(ragged.coalesce(1), "id", "features"));
        assertEquals("features of id 9 have 1 dimensions, expected 2 like the other rows", error.getMessage());
    }

    @Test
    void knnNeighboursOutsideTheTrainingRowsBecomeEmptySlots() {
        SparkSession spark = SparkTestSession.get();
        FeatureMatrix matrix = TrainingData.collectFeatures(features(spark), "id", "features");
        Dataset<Row> knn = spark.createDataFrame(List.of(
                RowFactory.create(3L, new Long[] {5L, 99L}, new Float[] {0.5f, 0.4f}),
                RowFactory.create(5L, new Long[] {7L, 3L}, new Float[] {0.9f, 0.5f}),
                RowFactory.create(7L, new Long[] {5L, 3L}, new Float[] {0.9f, 0.1f}),
                RowFactory.create(99L, new Long[] {3L, 5L}, new Float[] {0.4f, 0.1f})), KNN);
        KnnGraph graph = TrainingData.collectKnn(knn, matrix);
        assertEquals(3, graph.n());
        assertEquals(1, graph.neighbor(0, 0));
        assertEquals(-1, graph.neighbor(0, 1));
        assertEquals(0f, graph.weight(0, 1));
        assertEquals(2, graph.neighbor(1, 0));
    }

    @Test
    void trainingRowWithoutAKnnRowIsRejectedNamingItsId() {
        SparkSession spark = SparkTestSession.get();
        FeatureMatrix matrix = TrainingData.collectFeatures(features(spark), "id", "features");
        Dataset<Row> knn = spark.createDataFrame(List.of(
                RowFactory.create(3L, new Long[] {5L}, new Float[] {0.5f}),
                RowFactory.create(5L, new Long[] {3L}, new Float[] {0.5f})), KNN);
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> TrainingData.collectKnn(knn, matrix));
        assertTrue(error.getMessage().startsWith("the k-NN table has no row for training id 7"), error.getMessage());
    }
}
