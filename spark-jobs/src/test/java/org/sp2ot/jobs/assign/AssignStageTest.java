package org.sp2ot.jobs.assign;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.SparkTestSession;
import org.sp2ot.train.ClusterHead;
import org.sp2ot.train.HeadKind;
import org.sp2ot.ml.Sp2otClusteringModel;

class AssignStageTest {
    private static SparkSession spark;
    private static Dataset<Row> features;
    private static Dataset<Row> manifest;
    private static Sp2otClusteringModel model;
    /** The train stage's weights: id 0 weighs 0.5, id 1 was not in the last pass. */
    private static Dataset<Row> weights;

    /** Two prototypes along the axes; rows 0 and 2 lie on axis 0, rows 1 and 3 on axis 1. Trained on ids 0 and 1. */
    @BeforeAll
    static void setUp() {
        spark = SparkTestSession.get();
        StructType featureSchema = new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        features = spark.createDataFrame(List.of(
                RowFactory.create(0L, new Float[] {1f, 0f}), RowFactory.create(1L, new Float[] {0f, 2f}),
                RowFactory.create(2L, new Float[] {3f, 0.1f}), RowFactory.create(3L, new Float[] {0.2f, 1f})),
                featureSchema);
        StructType manifestSchema = new StructType().add("id", DataTypes.LongType, false)
                .add("path", DataTypes.StringType, true);
        manifest = spark.createDataFrame(List.of(RowFactory.create(0L, "a.jpg"), RowFactory.create(1L, "b.jpg"),
                RowFactory.create(2L, "c.jpg")), manifestSchema);
        ClusterHead head = new ClusterHead(HeadKind.COSINE, 2, 2, 10, new float[] {1, 0, 0, 1});
        model = new Sp2otClusteringModel("m", head);
        weights = spark.createDataFrame(List.of(RowFactory.create(0L, 0.5), RowFactory.create(1L, null)),
                org.sp2ot.ml.Sp2otTrainingSummary.TRAINING_WEIGHTS_SCHEMA);
    }

    private static List<Row> byId(Dataset<Row> table) {
        return table.orderBy("id").collectAsList();
    }

    @Test
    void assignmentsHaveTheContractColumnsInOrder() {
        Dataset<Row> assignments = AssignStage.assignments(features, manifest, model, weights, "r1");
        assertArrayEquals(new String[] {"id", "path", "cluster", "confidence", "weight", "run_id"}, assignments.columns());
        assertEquals(DataTypes.IntegerType, assignments.schema().apply("cluster").dataType());
        assertEquals(DataTypes.FloatType, assignments.schema().apply("confidence").dataType());
        assertEquals(DataTypes.FloatType, assignments.schema().apply("weight").dataType());
    }

    @Test
    void clusterIsTheNearestPrototypeAndConfidenceTheMaxSoftmax() {
        List<Row> rows = byId(AssignStage.assignments(features, manifest, model, weights, "r1"));
        assertArrayEquals(new int[] {0, 1, 0, 1}, rows.stream().mapToInt(r -> r.getInt(2)).toArray());
        assertEquals(1 / (1 + Math.exp(-10)), rows.get(0).getFloat(3), 1e-6);
    }

    @Test
    void pathComesFromTheManifestAndIsNullWhereItHasNone() {
        List<Row> rows = byId(AssignStage.assignments(features, manifest, model, weights, "r1"));
        assertEquals("c.jpg", rows.get(2).getString(1));
        assertNull(rows.get(3).get(1));
        assertNull(byId(AssignStage.assignments(features, null, model, weights, "r1")).get(0).get(1));
    }

    @Test
    void weightIsTheLastEpochMassAndNullForRowsNotInTheLastPass() {
        List<Row> rows = byId(AssignStage.assignments(features, manifest, model, weights, "r1"));
        assertEquals(0.5f, rows.get(0).getFloat(4));
        assertNull(rows.get(1).get(4));
        assertNull(rows.get(2).get(4));
    }

    @Test
    void writingDestroysTheBroadcastHeadSoTheTransformedDataCannotBeReadAgain(@TempDir Path dir) {
        String path = dir.resolve("assignments").toString();
        Dataset<Row> assignments = AssignStage.assignments(features, manifest, model, weights, "r1");
        AssignStage.write(assignments, model, path);
        assertEquals(4, spark.read().parquet(path).count());
        assertThrows(Exception.class, assignments::collectAsList, "the broadcast head was destroyed");
        assertEquals(4, AssignStage.assignments(features, manifest, model, weights, "r1").count(),
                "a new transform works");
    }

    @Test
    void clustersOnlyAssignmentsHaveTheContractColumnsThePathsAndNullConfidenceAndWeight() {
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("cluster", DataTypes.IntegerType, false);
        Dataset<Row> clusters = spark.createDataFrame(List.of(RowFactory.create(0L, 1), RowFactory.create(2L, 0),
                RowFactory.create(3L, 1)), schema);
        Dataset<Row> assignments = AssignStage.ofClusters(clusters, manifest, "r2");
        assertArrayEquals(AssignStage.COLUMNS, assignments.columns());
        assertEquals(java.util.Arrays.stream(AssignStage.assignments(features, manifest, model, weights, "r1")
                .schema().fields()).map(f -> f.dataType()).toList(), java.util.Arrays.stream(assignments.schema().fields())
                .map(f -> f.dataType()).toList(), "the same types as a head's assignments");
        List<Row> rows = byId(assignments);
        assertEquals(List.of(0L, 2L, 3L), rows.stream().map(r -> r.getLong(0)).toList());
        assertEquals(java.util.Arrays.asList("a.jpg", "c.jpg", null), rows.stream().map(r -> r.getString(1)).toList());
        assertEquals(List.of(1, 0, 1), rows.stream().map(r -> r.getInt(2)).toList());
        for (Row row : rows) {
            assertNull(row.get(3));
            assertNull(row.get(4));
            assertEquals("r2", row.getString(5));
        }
    }

    @Test
    void newDataHasNoWeightsAndTheSameClusters() {
        List<Row> rows = byId(AssignStage.predictions(features, manifest, model, "r1"));
        for (Row row : rows) {
            assertNull(row.get(4), "new data has no training weight: " + row);
        }
        assertEquals(byId(AssignStage.assignments(features, manifest, model, weights, "r1")).stream()
                .map(r -> r.getInt(2)).toList(), rows.stream().map(r -> r.getInt(2)).toList());
    }

    @Test
    void weightsWithoutAWeightColumnAreRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> AssignStage.assignments(features, manifest, model, weights.drop("weight"), "r1"));
        assertTrue(error.getMessage().startsWith("the training weights table has no column 'weight'"),
                error.getMessage());
    }

    @Test
    void featuresWithoutAnIdColumnAreRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> AssignStage.assignments(features.drop("id"), manifest, model, weights, "r1"));
        assertTrue(error.getMessage().startsWith("the features table has no column 'id'"), error.getMessage());
    }
}
