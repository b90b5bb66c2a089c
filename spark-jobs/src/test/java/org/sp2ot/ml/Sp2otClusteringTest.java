package org.sp2ot.ml;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.SparkTestSession;
import org.sp2ot.train.ToyData;

class Sp2otClusteringTest {
    private static final ToyData TOY = new ToyData(7, 300, 200, 100);
    private static SparkSession spark;
    private static Dataset<Row> features;
    private static Sp2otClusteringModel model;

    @BeforeAll
    static void fitOnce() {
        spark = SparkTestSession.get();
        features = TOY.frame(spark);
        model = toyEstimator().fit(features);
    }

    static Sp2otClustering toyEstimator() {
        return new Sp2otClustering().setK(3).setMethod("p2ot").setEpochs(10).setBatchSize(64).setBankSize(256)
                .setLr(0.05).setBackend("cpu");
    }

    private static int[] clustersById(Dataset<Row> predicted) {
        List<Row> rows = predicted.select("id", "prediction").orderBy("id").collectAsList();
        return rows.stream().mapToInt(row -> row.getInt(1)).toArray();
    }

    @Test
    void fitRecoversSeparableImbalancedClusters() {
        double accuracy = TOY.matchedAccuracy(clustersById(model.transform(features)), 3);
        assertTrue(accuracy >= 0.95, "accuracy " + accuracy);
    }

    @Test
    void transformAddsIntPredictionAndFloatConfidenceColumns() {
        StructType schema = model.transform(features).schema();
        assertEquals(DataTypes.IntegerType, schema.apply("prediction").dataType());
        assertEquals(DataTypes.FloatType, schema.apply("confidence").dataType());
        Row first = model.transform(features).select("confidence").first();
        assertTrue(first.getFloat(0) > 1f / 3 && first.getFloat(0) <= 1f);
    }

    @Test
    void vectorAndDoubleArrayFeaturesPredictLikeFloatArrays() {
        Dataset<Row> vectors = features.withColumn("features",
                org.apache.spark.ml.functions.array_to_vector(features.col("features")));
        Dataset<Row> doubles = features.withColumn("features", features.col("features").cast("array<double>"));
        int[] expected = clustersById(model.transform(features));
        assertArrayEquals(expected, clustersById(model.transform(vectors)));
        assertArrayEquals(expected, clustersById(model.transform(doubles)));
    }

    @Test
    void summaryReportsOneLossPerEpochAndClusterSizesSummingToN() {
        Sp2otTrainingSummary summary = model.summary();
        assertEquals(10, summary.lossPerEpoch().length);
        assertEquals(600, Arrays.stream(summary.clusterSizes()).sum());
        assertEquals(256, summary.bankRows());
    }

    @Test
    void savedAndLoadedModelGivesIdenticalPredictions(@TempDir Path dir) throws IOException {
        String path = dir.resolve("model").toString();
        model.write().save(path);
        Sp2otClusteringModel loaded = Sp2otClusteringModel.load(path);
        List<Row> before = model.transform(features).select("id", "prediction", "confidence").orderBy("id").collectAsList();
        List<Row> after = loaded.transform(features).select("id", "prediction", "confidence").orderBy("id").collectAsList();
        assertEquals(before, after);
        assertEquals(model.uid(), loaded.uid());
        assertFalse(loaded.hasSummary());
    }

    @Test
    void theModelCarriesEveryParamOfItsEstimatorAndKeepsThemThroughSaveAndLoad(@TempDir Path dir)
            throws IOException {
        Sp2otClustering estimator = toyEstimator().setEpochs(2).setRhoSchedule("linear").setRho0(0.2).setEps(0.2)
                .setLamFixed(Double.NaN).setSeed(42).setInit("random").setSelection("lowest-loss");
        Sp2otClusteringModel fitted = estimator.fit(features);
        String path = dir.resolve("model").toString();
        fitted.write().save(path);
        Sp2otClusteringModel loaded = Sp2otClusteringModel.load(path);
        List<String> estimatorParams = Arrays.stream(estimator.params()).map(p -> p.name()).toList();
        assertEquals(estimatorParams, Arrays.stream(loaded.params()).map(p -> p.name()).toList(),
                "the model has the estimator's params");
        assertTrue(estimatorParams.size() >= 40, "every training param: " + estimatorParams);
        for (org.apache.spark.ml.param.Param<?> param : estimator.params()) {
            Object expected = estimator.getOrDefault(param);
            assertEquals(expected, fitted.getOrDefault(fitted.getParam(param.name())), "fitted " + param.name());
            assertEquals(expected, loaded.getOrDefault(loaded.getParam(param.name())), "loaded " + param.name());
        }
        assertEquals("p2ot", loaded.getMethod());
        assertEquals(3, loaded.getK());
        assertEquals(0.2, loaded.getEps());
        assertEquals("linear", loaded.getRhoSchedule());
        assertEquals(42L, loaded.getSeed());
        assertTrue(Double.isNaN(loaded.getLamFixed()));
        // set params stay set and defaults stay defaults, as MLlib's persistence keeps them
        assertTrue(loaded.isSet(loaded.rhoSchedule()) && !loaded.isSet(loaded.gamma()) && loaded.isDefined(loaded.gamma()));
    }

    @Test
    void theSavedModelHoldsNoPerRowDataAndTheSummaryHasEveryTrainingRowsWeight(@TempDir Path dir)
            throws IOException {
        String path = dir.resolve("model").toString();
        model.write().save(path);
        try (var entries = Files.list(dir.resolve("model"))) {
            assertEquals(List.of("data", "metadata"), entries.map(p -> p.getFileName().toString()).sorted().toList());
        }
        List<Row> weights = model.summary().trainingWeights().orderBy("id").collectAsList();
        assertEquals(features.select("id").orderBy("id").collectAsList().stream().map(r -> r.getLong(0)).toList(),
                weights.stream().map(r -> r.getLong(0)).toList());
        for (Row row : weights) {
            assertTrue(row.isNullAt(1) || (row.getDouble(1) >= 0 && Double.isFinite(row.getDouble(1))), row.toString());
        }
        assertTrue(weights.stream().filter(r -> !r.isNullAt(1)).count() > weights.size() / 2,
                "most rows were in the last pass");
    }

    @Test
    void aModelOfTheEarlierFormatWithPerRowWeightsIsRefusedNamingTheFix(@TempDir Path dir) throws IOException {
        String path = dir.resolve("model").toString();
        model.write().save(path);
        // the earlier format: every training row's weight inside the model directory
        model.summary().trainingWeights().write().parquet(dir.resolve("model").resolve("trainingWeights").toString());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Sp2otClusteringModel.load(path));
        assertTrue(e.getMessage().contains("earlier version") && e.getMessage().contains("re-run its train stage")
                && e.getMessage().contains(path), e.getMessage());
    }

    @Test
    void pipelineWithTheEstimatorSurvivesSaveAndLoad(@TempDir Path dir) throws IOException {
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {toyEstimator().setEpochs(2)});
        PipelineModel fitted = pipeline.fit(features);
        String path = dir.resolve("pipeline").toString();
        fitted.write().save(path);
        PipelineModel loaded = PipelineModel.load(path);
        assertArrayEquals(clustersById(fitted.transform(features)), clustersById(loaded.transform(features)));
    }

    @Test
    void estimatorParamsSurviveSaveAndLoad(@TempDir Path dir) throws IOException {
        Sp2otClustering estimator = toyEstimator().setRhoSchedule("linear").setLamFixed(5).setSeed(42);
        String path = dir.resolve("estimator").toString();
        estimator.write().save(path);
        Sp2otClustering loaded = Sp2otClustering.load(path);
        assertEquals(estimator.trainSettings(), loaded.trainSettings());
    }

    @Test
    void preprocessingIsAppliedAlikeAtTrainingAndAssignmentAndSavedWithTheModel(@TempDir Path dir) throws IOException {
        Sp2otClusteringModel fitted = toyEstimator().setEpochs(3).setPcaDim(3).setPcaWhiten(true)
                .setPreprocessL2(true).fit(features);
        org.sp2ot.train.FeaturePreprocessing p = fitted.preprocessing();
        assertEquals(3, p.outDim());
        assertEquals(3, fitted.clusterHead().dim());
        // the head applied to the preprocessed training rows gives what transform (the assign path) gives
        int[] expected = org.sp2ot.train.Predictions.of(fitted.clusterHead(),
                p.applyAll(TOY.features.values(), TOY.features.n()), TOY.features.n()).clusters();
        assertArrayEquals(expected, clustersById(fitted.transform(features)));
        String path = dir.resolve("model").toString();
        fitted.write().save(path);
        Sp2otClusteringModel loaded = Sp2otClusteringModel.load(path);
        assertEquals(p, loaded.preprocessing());
        assertArrayEquals(expected, clustersById(loaded.transform(features)));
        assertTrue(Files.isDirectory(dir.resolve("model").resolve("preprocessing")));
    }

    @Test
    void adapterIsAppliedAlikeAtTrainingAndAssignmentAndSavedWithTheModel(@TempDir Path dir) throws IOException {
        Sp2otClusteringModel fitted = toyEstimator().setEpochs(3).setPreprocessCenter(true)
                .setAdapter("residual-mlp").setAdapterHidden(8).setAugmentDropout(0.1).setAugmentNoise(0.1)
                .fit(features);
        org.sp2ot.train.FeatureAdapter adapter = fitted.featureAdapter();
        assertEquals(8, adapter.hidden());
        int n = TOY.features.n();
        float[] seen = adapter.apply(fitted.preprocessing().applyAll(TOY.features.values(), n), n);
        // the head on the adapted rows (what training saw) gives what transform (the assign path) gives ...
        int[] expected = org.sp2ot.train.Predictions.of(fitted.clusterHead(), seen, n).clusters();
        assertArrayEquals(expected, clustersById(fitted.transform(features)));
        // ... and the trained adapter is not the identity, so the check above depends on applying it
        assertFalse(java.util.Arrays.equals(seen, fitted.preprocessing().applyAll(TOY.features.values(), n)));
        String path = dir.resolve("model").toString();
        fitted.write().save(path);
        Sp2otClusteringModel loaded = Sp2otClusteringModel.load(path);
        assertEquals(adapter, loaded.featureAdapter());
        assertArrayEquals(expected, clustersById(loaded.transform(features)));
        assertTrue(Files.isDirectory(dir.resolve("model").resolve("adapter")));
    }

    @Test
    void checkpointsAndTrainLogAreWritten(@TempDir Path dir) throws IOException {
        Path log = dir.resolve("train-log.jsonl");
        toyEstimator().setEpochs(2).setCheckpointDir(dir.resolve("checkpoints").toString())
                .setTrainLogPath(log.toString()).fit(features);
        List<String> lines = Files.readAllLines(log);
        assertEquals(2, lines.size());
        assertTrue(lines.get(1).startsWith("{\"epoch\":2,\"loss\":"), lines.get(1));
        assertTrue(Files.exists(dir.resolve("checkpoints").resolve("epoch-2")));
    }

    @Test
    void sp2otFitBuildsTheKnnGraphWhenNoneIsGiven() {
        Sp2otClusteringModel sp2ot = toyEstimator().setMethod("sp2ot").setEpochs(1).setKnnK(5).setMmMaxIter(5)
                .fit(features);
        assertTrue(sp2ot.summary().history().get(0).meanMmSteps() > 1);
    }

    @Test
    void fewerThanTwoClustersIsRejectedNamingK() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> toyEstimator().setK(1));
        assertTrue(error.getMessage().contains("parameter k given invalid value 1"), error.getMessage());
    }

    @Test
    void moreClustersThanSamplesIsRejectedNamingK() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> toyEstimator().setK(700).fit(features));
        assertTrue(error.getMessage().contains("k=700 exceeds the number of samples N=600"), error.getMessage());
    }

    @Test
    void batchLargerThanTheDataIsRejectedNamingBatchSize() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> toyEstimator().setBatchSize(1000).setBankSize(0).fit(features));
        assertTrue(error.getMessage().contains("batchSize=1000 exceeds"), error.getMessage());
    }

    @Test
    void missingFeaturesColumnIsRejectedNamingFeaturesCol() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> toyEstimator().setFeaturesCol("embedding").fit(features));
        assertTrue(error.getMessage().startsWith("featuresCol: column 'embedding' not found"), error.getMessage());
    }

    @Test
    void unknownMethodIsRejectedWhenSetNamingMethodAndItsValues() {
        Sp2otClustering estimator = toyEstimator();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> estimator.setMethod("kmeans"));
        assertEquals("method: 'kmeans' is not one of sp2ot, p2ot, uot, pot, ot, gsa", error.getMessage());
        assertEquals("p2ot", estimator.getMethod(), "a rejected value must leave the param unchanged");
    }

    @Test
    void everyStringParamIsValidatedWhenSetAlsoThroughAParamMap() {
        Sp2otClustering estimator = toyEstimator();
        assertThrows(IllegalArgumentException.class, () -> estimator.setBackend("cuda"));
        assertThrows(IllegalArgumentException.class, () -> estimator.setSelection("best"));
        assertThrows(IllegalArgumentException.class, () -> estimator.setHead("mlp"));
        assertThrows(IllegalArgumentException.class, () -> estimator.setRhoSchedule("cosine"));
        assertThrows(IllegalArgumentException.class, () -> estimator.setKernel("rbf"));
        assertThrows(IllegalArgumentException.class, () -> estimator.setInit("kmeans++"));
        assertThrows(IllegalArgumentException.class, () -> estimator.setLamScaling("size"));
        assertThrows(IllegalArgumentException.class, () -> estimator.setView("crop"));
        assertThrows(IllegalArgumentException.class, () -> estimator.setAdapter("mlp"));
        // Spark's own path (ParamMap / Pipeline tuning) goes through the param's validator.
        assertThrows(IllegalArgumentException.class,
                () -> estimator.copy(new org.apache.spark.ml.param.ParamMap().put(estimator.method(), "kmeans")));
        assertEquals("cpu", estimator.setBackend("cpu").getBackend());
        assertEquals("lowest-loss", estimator.setSelection("lowest-loss").getSelection());
        assertEquals("random", estimator.setInit("random").getInit());
        assertEquals("kmeans-euclidean", estimator.setInit("kmeans-euclidean").getInit());
        assertEquals("bank", estimator.setLamScaling("bank").getLamScaling());
        assertEquals("neighbor", estimator.setView("neighbor").getView());
        assertEquals("residual-mlp", estimator.setAdapter("residual-mlp").getAdapter());
    }
}
