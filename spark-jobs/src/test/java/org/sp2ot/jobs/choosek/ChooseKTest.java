package org.sp2ot.jobs.choosek;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.sp2ot.jobs.SparkTestSession;
import org.sp2ot.ml.knn.KnnGraphBuilder;
import org.sp2ot.ml.knn.KnnOptions;
import org.sp2ot.ml.Sp2otClustering;

class ChooseKTest {
    private static final int CLUSTERS = 5;
    private static final int PER_CLUSTER = 60;
    private static final int DIM = 16;

    /** Five tight groups around orthogonal directions of R^16: the truth is K = 5 and nothing else. */
    static Dataset<Row> wellSeparated(SparkSession spark) {
        Random random = new Random(7);
        List<Row> rows = new ArrayList<>();
        long id = 0;
        for (int c = 0; c < CLUSTERS; c++) {
            for (int i = 0; i < PER_CLUSTER; i++) {
                float[] x = new float[DIM];
                for (int d = 0; d < DIM; d++) {
                    x[d] = (float) (0.08 * random.nextGaussian());
                }
                x[3 * c] += 1;
                rows.add(RowFactory.create(id++, x));
            }
        }
        StructType schema = new StructType().add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        return spark.createDataFrame(rows, schema).repartition(2);
    }

    @Test
    void suggestsTheKnownNumberOfWellSeparatedClusters() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> features = wellSeparated(spark).cache();
        Dataset<Row> knn = KnnGraphBuilder.build(features, KnnOptions.defaults().withK(10).withBlockSize(128));
        Sp2otClustering estimator = new Sp2otClustering().setMethod("p2ot").setBatchSize(50).setBankSize(300)
                .setLr(ChooseK.DEFAULT_LR);
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ChooseKResult result = ChooseK.run(features, knn, estimator,
                new ChooseK.Options(List.of(3, 5, 8), ChooseK.DEFAULT_EPOCHS, 20000, 0, ChooseK.DEFAULT_TOLERANCE),
                new PrintStream(console, true, StandardCharsets.UTF_8));
        String table = ChooseKReport.table(result);
        assertEquals(CLUSTERS, result.suggested(), table);
        CandidateScore best = result.candidates().stream().filter(c -> c.k() == result.best()).findFirst()
                .orElseThrow();
        assertTrue(best.adjustedAgreement() > 0.95 && best.stability() > 0.95, table);
        assertEquals(300, result.samples());
        assertEquals(300L * 10, result.edges());
        assertTrue(console.toString(StandardCharsets.UTF_8).contains("choose-k K=5"));
        knn.unpersist();
        features.unpersist();
    }

    @Test
    void aSampleCapTrainsOnAtMostThatManyRowsButScoresAll() {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> features = wellSeparated(spark).cache();
        Dataset<Row> knn = KnnGraphBuilder.build(features, KnnOptions.defaults().withK(5).withBlockSize(128));
        Sp2otClustering estimator = new Sp2otClustering().setMethod("p2ot").setBatchSize(500).setBankSize(0);
        ChooseKResult result = ChooseK.run(features, knn, estimator,
                new ChooseK.Options(List.of(2, 3), 1, 120, 3, ChooseK.DEFAULT_TOLERANCE),
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        assertTrue(result.trainSamples() <= 120 && result.trainSamples() > 60, "" + result.trainSamples());
        assertEquals(300, result.samples());
        knn.unpersist();
        features.unpersist();
    }
}
