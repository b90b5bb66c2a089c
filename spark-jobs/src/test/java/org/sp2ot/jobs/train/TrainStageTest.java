package org.sp2ot.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.SparkTestSession;
import org.sp2ot.ml.Sp2otClustering;
import org.sp2ot.ml.Sp2otClusteringModel;
import org.sp2ot.ml.data.TrainLog;
import org.sp2ot.train.ToyData;

class TrainStageTest {

    private static Sp2otClustering settings() {
        return new Sp2otClustering().setK(3).setMethod("p2ot").setEpochs(3).setBatchSize(64).setBankSize(256)
                .setLr(0.05).setBackend("cpu");
    }

    @Test
    void savesALoadableModelWithCheckpointsAndTrainLog(@TempDir Path dir) throws IOException {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> features = new ToyData(3, 60, 40, 20).frame(spark);
        Sp2otClusteringModel model = TrainStage.run(spark, features, null, settings(), dir.resolve("model").toString(),
                dir.resolve("weights").toString(), dir.resolve("checkpoints").toString(),
                dir.resolve("train-log.jsonl").toString());
        Sp2otClusteringModel loaded = Sp2otClusteringModel.load(dir.resolve("model").toString());
        assertArrayEquals(model.clusterHead().parameters(), loaded.clusterHead().parameters());
        assertEquals("p2ot", loaded.getMethod());
        // the training weights are a table of their own, one row per training row, as the summary holds them
        List<Row> weights = spark.read().parquet(dir.resolve("weights").toString()).orderBy("id").collectAsList();
        assertEquals(model.summary().trainingWeights().orderBy("id").collectAsList(), weights);
        assertEquals(features.count(), weights.size());
        assertTrue(weights.stream().anyMatch(row -> !row.isNullAt(1) && row.getDouble(1) > 0), "some row has mass");
        assertFalse(Files.exists(dir.resolve("model").resolve("trainingWeights")), "the model holds no per-row data");
        assertEquals(3, Files.readAllLines(dir.resolve("train-log.jsonl")).size());
        assertTrue(Files.exists(dir.resolve("checkpoints").resolve("epoch-3")));
    }

    @Test
    void rerunningACompletedRunResumesFromItsLastCheckpointWithoutTraining(@TempDir Path dir) throws IOException {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> features = new ToyData(3, 60, 40, 20).frame(spark);
        String checkpoints = dir.resolve("checkpoints").toString();
        Path firstLog = dir.resolve("a-train-log.jsonl");
        Path againLog = dir.resolve("b-train-log.jsonl");
        Sp2otClusteringModel first = TrainStage.run(spark, features, null, settings(), dir.resolve("a").toString(),
                dir.resolve("a-weights").toString(), checkpoints, firstLog.toString());
        Sp2otClusteringModel again = TrainStage.run(spark, features, null, settings(), dir.resolve("b").toString(),
                dir.resolve("b-weights").toString(), checkpoints, againLog.toString());
        // The log is written after every epoch trained (TrainLog.onEpoch): the first run trained 3, the rerun none.
        assertEquals(3, Files.readAllLines(firstLog).size());
        assertFalse(Files.exists(againLog), "the rerun trained an epoch: " + againLog + " was written");
        assertEquals(3, again.summary().lossPerEpoch().length, "the resumed summary still lists every epoch");
        assertArrayEquals(first.clusterHead().parameters(), again.clusterHead().parameters());
        assertArrayEquals(first.summary().lossPerEpoch(), again.summary().lossPerEpoch());
        assertEquals(spark.read().parquet(dir.resolve("a-weights").toString()).orderBy("id").collectAsList(),
                spark.read().parquet(dir.resolve("b-weights").toString()).orderBy("id").collectAsList(),
                "the resumed run writes the same training weights");
    }
}
