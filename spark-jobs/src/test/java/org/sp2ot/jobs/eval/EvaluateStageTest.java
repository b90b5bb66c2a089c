package org.sp2ot.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.datasets.LongTailProfile;
import org.sp2ot.jobs.SparkTestSession;
import org.sp2ot.jobs.extract.ImageFailures;
import org.sp2ot.jobs.io.RunDirectory;

class EvaluateStageTest {

    private static final StructType MANIFEST = new StructType()
            .add("id", DataTypes.LongType).add("path", DataTypes.StringType).add("label", DataTypes.IntegerType)
            .add("label_name", DataTypes.StringType).add("split", DataTypes.StringType);
    private static final StructType PREDICTIONS = new StructType()
            .add("id", DataTypes.LongType).add("cluster", DataTypes.IntegerType);

    /** Rows (id, label, split, cluster or null); a null label is an unlabelled row. */
    private record Sample(long id, Integer label, String split, Integer cluster) {
    }

    private static final List<Sample> SAMPLES = new ArrayList<>();

    static {
        long id = 0;
        // train, imbalanced 6 / 3 / 1; class 0 -> cluster 2 (5 of 6), class 1 -> cluster 0 (2 of 3), class 2 -> 1
        int[][] train = {{0, 2}, {0, 2}, {0, 2}, {0, 2}, {0, 2}, {0, 0}, {1, 0}, {1, 0}, {1, 2}, {2, 1}};
        for (int[] s : train) {
            SAMPLES.add(new Sample(id++, s[0], "train", s[1]));
        }
        // test, balanced 2 / 2 / 2
        int[][] test = {{0, 2}, {0, 2}, {1, 0}, {1, 1}, {2, 1}, {2, 3}};
        for (int[] s : test) {
            SAMPLES.add(new Sample(id++, s[0], "test", s[1]));
        }
        SAMPLES.add(new Sample(id, null, "train", 3));
    }

    private static final long[][] TRAIN_COUNTS = {{1, 0, 5, 0}, {2, 0, 1, 0}, {0, 1, 0, 0}};
    private static final long[][] TEST_COUNTS = {{0, 0, 2, 0}, {1, 1, 0, 0}, {0, 1, 0, 1}};
    private static final LongTailProfile TRAIN_PROFILE = LongTailProfile.fromCounts(new long[] {6, 3, 1});

    private static Dataset<Row> manifest(List<Sample> samples) {
        List<Row> rows = new ArrayList<>();
        for (Sample s : samples) {
            rows.add(RowFactory.create(s.id(), "img/" + s.id() + ".jpg", s.label(),
                    s.label() == null ? null : "class" + s.label(), s.split()));
        }
        return spark().createDataFrame(rows, MANIFEST);
    }

    private static Dataset<Row> predictions(List<Sample> samples) {
        List<Row> rows = new ArrayList<>();
        for (Sample s : samples) {
            if (s.cluster() != null) {
                rows.add(RowFactory.create(s.id(), s.cluster()));
            }
        }
        return spark().createDataFrame(rows, PREDICTIONS);
    }

    /** The predictions as an assignments table (a path and a confidence as well). */
    private static Dataset<Row> assignments(List<Sample> samples) {
        return predictions(samples).selectExpr("id", "concat('img/', id, '.jpg') AS path", "cluster",
                "CAST(0.5 AS FLOAT) AS confidence");
    }

    private static SparkSession spark() {
        return SparkTestSession.get();
    }

    @Test
    void scoresEachSplitExactlyAsThePureComputationOnItsContingencyTable() {
        Map<String, SplitMetrics> result = EvaluateStage.evaluate(predictions(SAMPLES), manifest(SAMPLES), 4);
        assertEquals(List.of("train", "test"), List.copyOf(result.keySet()));
        assertEquals(ClusteringMetrics.evaluate(TRAIN_COUNTS, TRAIN_PROFILE), result.get("train"));
        assertEquals(ClusteringMetrics.evaluate(TEST_COUNTS, TRAIN_PROFILE), result.get("test"));
    }

    @Test
    void groupsTheBalancedTestSplitByTrainingClassSizes() {
        SplitMetrics test = EvaluateStage.evaluate(predictions(SAMPLES), manifest(SAMPLES), 4).get("test");
        assertEquals(LongTailProfile.Group.HEAD, test.perClass().get(0).group());
        assertEquals(LongTailProfile.Group.TAIL, test.perClass().get(2).group());
        assertEquals(6, test.perClass().get(0).trainSize());
    }

    @Test
    void reportsEmptyClustersUpToTheGivenK() {
        SplitMetrics train = EvaluateStage.evaluate(predictions(SAMPLES), manifest(SAMPLES), 6).get("train");
        assertArrayEquals(new long[] {3, 1, 6, 0, 0, 0}, train.clusterSizes());
    }

    @Test
    void infersKFromTheLargestPredictedCluster() {
        SplitMetrics train = EvaluateStage.evaluate(predictions(SAMPLES), manifest(SAMPLES)).get("train");
        assertEquals(4, train.clusterSizes().length);
    }

    @Test
    void skipsASplitWithoutAnyPrediction() {
        List<Sample> trainOnly = SAMPLES.stream().filter(s -> !s.split().equals("test")).toList();
        Map<String, SplitMetrics> result = EvaluateStage.evaluate(predictions(trainOnly), manifest(SAMPLES), 4);
        assertEquals(List.of("train"), List.copyOf(result.keySet()));
    }

    @Test
    void rejectsASplitWithMissingPredictionsNamingTheIds() {
        List<Sample> withoutId3 = SAMPLES.stream().filter(s -> s.id() != 3).toList();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluateStage.evaluate(predictions(withoutId3), manifest(SAMPLES), 4));
        assertTrue(e.getMessage().contains("1 labelled train rows") && e.getMessage().contains("[3]"),
                e.getMessage());
    }

    @Test
    void rejectsAnIdPredictedTwice() {
        List<Sample> duplicated = new ArrayList<>(SAMPLES);
        duplicated.add(new Sample(4, 0, "train", 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluateStage.evaluate(predictions(duplicated), manifest(SAMPLES), 4));
        assertTrue(e.getMessage().contains("more than once"), e.getMessage());
    }

    @Test
    void rejectsAClusterOutsideK() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluateStage.evaluate(predictions(SAMPLES), manifest(SAMPLES), 3));
        assertTrue(e.getMessage().contains("cluster 3"), e.getMessage());
    }

    @Test
    void rejectsAManifestWithoutLabelledTrainingRows() {
        List<Sample> testOnly = SAMPLES.stream().filter(s -> s.split().equals("test")).toList();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluateStage.evaluate(predictions(testOnly), manifest(testOnly), 4));
        assertTrue(e.getMessage().contains("training class sizes"), e.getMessage());
    }

    @Test
    void rejectsPredictionsWithoutAClusterColumn() {
        Dataset<Row> wrong = predictions(SAMPLES).withColumnRenamed("cluster", "prediction");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluateStage.evaluate(wrong, manifest(SAMPLES), 4));
        assertTrue(e.getMessage().contains("'cluster'"), e.getMessage());
    }

    @Test
    void evaluatesSeveralMethodsIntoOneReportInTheGivenOrder() {
        Map<String, Dataset<Row>> methods = new LinkedHashMap<>();
        methods.put("sp2ot", predictions(SAMPLES));
        methods.put("kmeans", predictions(SAMPLES).selectExpr("id", "(cluster + 1) % 4 AS cluster"));
        EvaluationReport report = EvaluateStage.evaluateMethods(methods, manifest(SAMPLES), 4,
                Map.of("train.k", "4"));
        assertEquals(List.of("sp2ot", "kmeans"), List.copyOf(report.methods().keySet()));
        assertEquals(ClusteringMetrics.evaluate(TRAIN_COUNTS, TRAIN_PROFILE),
                report.methods().get("sp2ot").get("train"));
        assertEquals(report.methods().get("sp2ot").get("test").acc(),
                report.methods().get("kmeans").get("test").acc(), 0.0, "relabelled clusters score the same");
        assertEquals("4", report.parameters().get("train.k"));
    }

    @Test
    void severalMethodsScoredInOneJobScoreAsEachAloneAndAnErrorNamesItsMethod() {
        Map<String, Dataset<Row>> methods = new LinkedHashMap<>();
        methods.put("sp2ot", predictions(SAMPLES));
        methods.put("p2ot", predictions(SAMPLES).selectExpr("id", "(cluster + 2) % 4 AS cluster"));
        methods.put("ot", predictions(SAMPLES).selectExpr("id", "CASE WHEN id < 8 THEN 0 ELSE 1 END AS cluster"));
        Map<String, Map<String, SplitMetrics>> together = EvaluateStage.evaluateAll(methods, manifest(SAMPLES), 4);
        assertEquals(List.of("sp2ot", "p2ot", "ot"), List.copyOf(together.keySet()));
        methods.forEach((method, predictions) -> assertEquals(EvaluateStage.evaluate(predictions,
                manifest(SAMPLES), 4), together.get(method), method));

        methods.put("uot", predictions(SAMPLES.stream().filter(s -> s.id() != 3).toList()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> EvaluateStage.evaluateAll(methods, manifest(SAMPLES), 4));
        assertTrue(e.getMessage().startsWith("uot: 1 labelled train rows") && e.getMessage().contains("[3]"),
                e.getMessage());
    }

    @Test
    void reportViewsCountEveryMethodsTrainingClustersIncludingUnlabelledRows() {
        Dataset<Row> features = spark().createDataFrame(SAMPLES.stream().map(s -> RowFactory.create(s.id(),
                new float[] {s.id() % 3, s.id() % 5})).toList(), new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType)));
        Map<String, Dataset<Row>> assignments = new LinkedHashMap<>();
        assignments.put("sp2ot", assignments(SAMPLES));
        assignments.put("kmeans", assignments(SAMPLES).selectExpr("id", "path", "(cluster + 1) % 4 AS cluster",
                "confidence"));
        ReportViews views = ReportViews.gather(manifest(SAMPLES), features, assignments, Map.of(), 4,
                new ReportViews.Options(0, 100, false, 1L, "sp2ot"), new Configuration());
        ReportViews.MethodView sp2ot = views.byMethod().get("sp2ot");
        ReportViews.MethodView kmeans = views.byMethod().get("kmeans");
        // training rows: clusters 2,2,2,2,2,0,0,0,2,1 and the unlabelled row in cluster 3
        assertArrayEquals(new long[] {3, 1, 6, 1}, sp2ot.clusterSizes());
        assertArrayEquals(new long[] {1, 3, 1, 6}, kmeans.clusterSizes());
        assertArrayEquals(TRAIN_COUNTS, sp2ot.classByCluster());
        assertArrayEquals(new long[] {0, 1, 0, 5}, kmeans.classByCluster()[0]);
        assertEquals(views.map().xy().length / 2, sp2ot.mapClusters().length);
        for (int i = 0; i < sp2ot.mapClusters().length; i++) {
            assertEquals((sp2ot.mapClusters()[i] + 1) % 4, kmeans.mapClusters()[i], "map point " + i);
        }
    }

    @Test
    void writesTheReportAndThenMetricsJsonIntoTheRunDirectory(@TempDir Path out) throws Exception {
        EvaluationReport report = EvaluateStage.evaluateMethods(Map.of("sp2ot", predictions(SAMPLES)),
                manifest(SAMPLES), 4, Map.of());
        try (RunDirectory run = RunDirectory.open(new Configuration(), out.toString(), "r")) {
            EvaluateStage.writeOutputs(run, report, ReportViews.none(), ImageFailures.Summary.NONE,
                    report.parameters());
        }
        assertEquals(MetricsJson.toJson(report), Files.readString(out.resolve("r").resolve(MetricsJson.FILE_NAME)));
        assertEquals(ReportHtml.render(report), Files.readString(out.resolve("r").resolve(ReportHtml.FILE_NAME)));
    }

    @Test
    void withoutLabelsTheStageRemovesAnOldMetricsJsonAndWritesTheLabelFreeReport(@TempDir Path out)
            throws Exception {
        EvaluationReport old = EvaluateStage.evaluateMethods(Map.of("sp2ot", predictions(SAMPLES)),
                manifest(SAMPLES), 4, Map.of());
        List<Sample> unlabelled = new ArrayList<>();
        for (Sample s : SAMPLES) {
            unlabelled.add(new Sample(s.id(), null, s.split(), s.cluster()));
        }
        Dataset<Row> features = spark().createDataFrame(unlabelled.stream().map(s -> RowFactory.create(s.id(),
                new float[] {s.id() % 3, s.id() % 5})).toList(), new StructType().add("id", DataTypes.LongType)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType)));
        Map<String, String> parameters = Map.of("run-id", "r");
        EvaluateStage.Inputs inputs = new EvaluateStage.Inputs(manifest(unlabelled), features,
                Map.of("sp2ot", assignments(unlabelled)), Map.of(), 4, 0, 100, 1L, "sp2ot",
                ImageFailures.Summary.NONE, parameters);
        try (RunDirectory run = RunDirectory.open(new Configuration(), out.toString(), "r")) {
            EvaluateStage.writeOutputs(run, old, ReportViews.none(), ImageFailures.Summary.NONE, Map.of());
            assertTrue(Files.exists(out.resolve("r").resolve(MetricsJson.FILE_NAME)));
            assertEquals(null, EvaluateStage.run(run, inputs, new Configuration()));
        }
        assertFalse(Files.exists(out.resolve("r").resolve(MetricsJson.FILE_NAME)), "no metrics without labels");
        String html = Files.readString(out.resolve("r").resolve(ReportHtml.FILE_NAME));
        assertTrue(html.contains("The input has no labels") && html.contains("id=\"sizes\"")
                && !html.contains("id=\"heatmaps\""), "the label-free report");
    }

    @Test
    void theStageScoresOnlyRowsWithFeaturesAndWritesWhatItReturns(@TempDir Path out) throws Exception {
        // row 5 (train, class 0, cluster 0: a miss) has no features: it was an unreadable image
        Dataset<Row> features = spark().createDataFrame(SAMPLES.stream().filter(s -> s.id() != 5)
                .map(s -> RowFactory.create(s.id(), new float[] {s.id() % 3, s.id() % 5})).toList(),
                new StructType().add("id", DataTypes.LongType)
                        .add("features", DataTypes.createArrayType(DataTypes.FloatType)));
        Map<String, String> parameters = Map.of("run-id", "r");
        EvaluateStage.Inputs inputs = new EvaluateStage.Inputs(manifest(SAMPLES), features,
                Map.of("sp2ot", assignments(SAMPLES)), Map.of(), 4, 0, 100, 1L, "sp2ot",
                ImageFailures.Summary.NONE, parameters);
        EvaluationReport report;
        try (RunDirectory run = RunDirectory.open(new Configuration(), out.toString(), "r")) {
            report = EvaluateStage.run(run, inputs, new Configuration());
        }
        long[][] withoutRow5 = {{0, 0, 5, 0}, {2, 0, 1, 0}, {0, 1, 0, 0}};
        assertEquals(ClusteringMetrics.evaluate(withoutRow5, LongTailProfile.fromCounts(new long[] {5, 3, 1})),
                report.methods().get("sp2ot").get("train"));
        assertEquals(MetricsJson.toJson(report), Files.readString(out.resolve("r").resolve(MetricsJson.FILE_NAME)));
        assertTrue(Files.readString(out.resolve("r").resolve(ReportHtml.FILE_NAME)).contains("id=\"sizes\""));
    }
}
