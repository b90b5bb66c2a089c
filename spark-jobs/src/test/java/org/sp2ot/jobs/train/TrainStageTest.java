package org.sp2ot.jobs.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.SparkTestSession;
import org.sp2ot.ml.Sp2otClusteringModel;
import org.sp2ot.solver.Backend;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.SolverSettings;
import org.sp2ot.ml.data.TrainLog;
import org.sp2ot.train.ToyData;
import org.sp2ot.train.TrainSettings;

class TrainStageTest {

    private static TrainSettings settings() {
        return TrainSettings.builder(3).method(Method.P2OT).epochs(3).batchSize(64).bankSize(256).learningRate(0.05)
                .solver(SolverSettings.defaults().withBackend(Backend.REFERENCE)).build();
    }

    @Test
    void savesALoadableModelWithCheckpointsAndTrainLog(@TempDir Path dir) throws IOException {
        SparkSession spark = SparkTestSession.get();
        Dataset<Row> features = new ToyData(3, 60, 40, 20).frame(spark);
        Sp2otClusteringModel model = TrainStage.run(spark, features, null, settings(), dir.resolve("model").toString(),
                dir.resolve("checkpoints").toString(), dir.resolve("train-log.jsonl").toString());
        Sp2otClusteringModel loaded = Sp2otClusteringModel.load(dir.resolve("model").toString());
        assertArrayEquals(model.clusterHead().parameters(), loaded.clusterHead().parameters());
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
                checkpoints, firstLog.toString());
        Sp2otClusteringModel again = TrainStage.run(spark, features, null, settings(), dir.resolve("b").toString(),
                checkpoints, againLog.toString());
        // The log is written after every epoch trained (TrainLog.onEpoch): the first run trained 3, the rerun none.
        assertEquals(3, Files.readAllLines(firstLog).size());
        assertFalse(Files.exists(againLog), "the rerun trained an epoch: " + againLog + " was written");
        assertEquals(3, again.summary().lossPerEpoch().length, "the resumed summary still lists every epoch");
        assertArrayEquals(first.clusterHead().parameters(), again.clusterHead().parameters());
        assertArrayEquals(first.summary().lossPerEpoch(), again.summary().lossPerEpoch());
    }
}
