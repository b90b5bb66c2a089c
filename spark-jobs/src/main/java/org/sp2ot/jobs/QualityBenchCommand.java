package org.sp2ot.jobs;

import static org.apache.spark.sql.functions.col;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.sp2ot.datasets.LongTailProfile;
import org.sp2ot.datasets.Manifests;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.jobs.eval.ClusteringMetrics;
import org.sp2ot.jobs.eval.KMeansBaseline;
import org.sp2ot.jobs.eval.SplitMetrics;
import org.sp2ot.jobs.io.RunDirectory;
import org.sp2ot.ml.knn.KnnGraphBuilder;
import org.sp2ot.ml.knn.KnnOptions;
import org.sp2ot.train.CollapseCheck;
import org.sp2ot.train.FeatureMatrix;
import org.sp2ot.train.FeaturePreprocessing;
import org.sp2ot.train.Predictions;
import org.sp2ot.ml.data.TrainLog;
import org.sp2ot.train.TrainResult;
import org.sp2ot.train.TrainSettings;
import org.sp2ot.train.Trainer;
import org.sp2ot.ml.data.TrainingData;
import org.sp2ot.solver.KnnGraph;

/**
 * {@code sp2ot bench quality [--config conf/fashion-mnist-lt.conf] [--views raw,pca-whiten] [--pca-dim 64]
 * [--variants "name:key=value,key=value;name2:..."] [--set key=value ...]}: clustering quality of every configured method and of the restarted k-means baseline on a
 * labelled set, on several feature views, as one table (issue 9's benchmark).
 *
 * <p>The config's input goes through the run's extract stage once (into {@code <out>/bench-quality}, reused when
 * complete). Each view transforms the whole feature table before anything sees it: {@code raw} is the table as is,
 * {@code pca-whiten} the training rows' top {@code --pca-dim} principal components scaled to unit variance
 * ({@link FeaturePreprocessing}, fitted on the training split, applied to both splits). On each view: the k-NN graph
 * (the config's knn keys), k-means with the config's restarts ({@link KMeansBaseline}), and one head per method
 * trained by the {@link Trainer} with exactly the settings {@code sp2ot run} would use; each head predicts both
 * splits with the preprocessing it was trained with. Scores are the evaluate stage's ({@link ClusteringMetrics});
 * "used" is the number of non-empty clusters; seconds are the training (or k-means) wall time on this machine.
 *
 * <p>{@code --variants} trains the heads once per variant (each a list of config overrides on top of the config and
 * {@code --set}), sharing the views, the k-NN graph and k-means, so that training-setup levers are compared on the
 * same data in one run; the method column then reads {@code method/variant}.
 */
public final class QualityBenchCommand implements Command {
    private final PrintStream console;

    public QualityBenchCommand(PrintStream console) {
        this.console = console;
    }

    @Override
    public String name() {
        return "quality";
    }

    @Override
    public String summary() {
        return "ACC/NMI/F1/head/medium/tail of every method and k-means on raw and PCA-whitened features";
    }

    /** One view of the data: training and test rows (test may be empty), labels, as dense arrays. */
    private record View(String name, FeatureMatrix train, int[] trainLabels, float[] test, int[] testLabels) {
    }

    /** One line of the table. */
    private record Line(String view, String method, String split, SplitMetrics metrics, double seconds) {
    }

    /** A named list of config overrides. */
    private record Variant(String name, RunConfig config) {
    }

    @Override
    public int run(Args args) throws Exception {
        String configFile = args.get("config", "conf/fashion-mnist-lt.conf");
        List<String> views = List.of(args.get("views", "raw,pca-whiten").split(","));
        int pcaDim = args.getInt("pca-dim", 64);
        for (String view : views) {
            if (!view.equals("raw") && !view.equals("pca-whiten")) {
                throw new UsageException("--views takes raw and/or pca-whiten, got '" + view + "'");
            }
        }
        RunConfig config = RunConfig.load(Path.of(configFile), args.sets()).withRunId("bench-quality");
        List<Variant> variants = new ArrayList<>();
        String variantText = args.get("variants", "");
        if (variantText.isBlank()) {
            variants.add(new Variant("", config));
        } else {
            for (String item : variantText.split(";")) {
                int colon = item.indexOf(':');
                String name = (colon < 0 ? item : item.substring(0, colon)).trim();
                List<String> sets = new ArrayList<>(args.sets());
                if (colon >= 0) {
                    for (String kv : item.substring(colon + 1).split(",")) {
                        if (!kv.isBlank()) {
                            sets.add(kv.trim());
                        }
                    }
                }
                variants.add(new Variant(name, RunConfig.load(Path.of(configFile), sets).withRunId("bench-quality")));
            }
        }
        args.rejectUnread();
        config.checkInputsExist(new Configuration());
        SparkSession spark = SparkSessions.start(config);
        List<Line> lines = new ArrayList<>();
        try (RunDirectory run = RunDirectory.open(spark.sparkContext().hadoopConfiguration(), config.out(),
                config.runId())) {
            RunPipeline pipeline = new RunPipeline(config, spark, run, false, console);
            pipeline.extract();
            View raw = collect(pipeline);
            if (raw.trainLabels().length == 0) {
                throw new UsageException("bench quality needs labelled data: " + configFile + "'s input has no labels");
            }
            config.checkAgainstData(raw.train().n());
            for (String viewName : views) {
                View view = viewName.equals("raw") ? raw : whitened(raw, pcaDim);
                lines.addAll(runView(spark, config, variants, view));
                console.println();
                console.print(table(lines));
            }
        }
        console.println();
        console.println("bench quality: " + configFile + " " + String.join(" ", args.sets()));
        console.print(table(lines));
        return 0;
    }

    private List<Line> runView(SparkSession spark, RunConfig config, List<Variant> variants, View view) {
        List<Line> lines = new ArrayList<>();
        int k = config.train().k();
        int numClasses = numClasses(view);
        LongTailProfile profile = LongTailProfile.fromLabels(view.trainLabels(), numClasses);
        Dataset<Row> trainTable = table(spark, view.train());
        KnnGraph graph = null;
        if (variants.stream().anyMatch(v -> v.config().needsKnn())) {
            KnnOptions options = KnnOptions.defaults().withK(config.knn().k())
                    .withKernel(config.knn().kernel()).withSigma(config.knn().sigma())
                    .withBlockSize(config.knn().blockSize());
            Dataset<Row> knn = KnnGraphBuilder.build(trainTable, options);
            graph = TrainingData.collectKnn(knn, view.train());
            knn.unpersist();
        }
        for (Variant variant : variants) {
            for (String method : variant.config().train().methods()) {
                lines.addAll(trainOne(variant, method, view, graph, numClasses, k, profile));
            }
        }
        if (config.evaluate().kmeans()) {
            long start = System.nanoTime();
            KMeansBaseline.Options kmOptions = new KMeansBaseline.Options(k, config.train().seed(),
                    config.evaluate().kmeansMaxIter(), config.evaluate().kmeansRestarts());
            KMeansBaseline.Result km = KMeansBaseline.fit(trainTable, kmOptions);
            double seconds = (System.nanoTime() - start) / 1e9;
            console.println("bench quality: " + view.name() + " kmeans: " + KMeansBaseline.describe(kmOptions,
                    km));
            int[] clusters = new int[view.train().n()];
            for (Row row : km.predictions().collectAsList()) {
                clusters[view.train().indexOf(row.getLong(0))] = row.getInt(1);
            }
            lines.add(new Line(view.name(), "kmeans x" + config.evaluate().kmeansRestarts(), Manifests.TRAIN,
                    score(view.trainLabels(), clusters, numClasses, k, profile), seconds));
        }
        trainTable.unpersist();
        return lines;
    }

    private List<Line> trainOne(Variant variant, String method, View view, KnnGraph graph, int numClasses, int k,
            LongTailProfile profile) {
        List<Line> lines = new ArrayList<>();
        String label = variant.name().isEmpty() ? method : method + "/" + variant.name();
        TrainSettings settings = variant.config().estimator(method).trainSettings();
        console.println("bench quality: " + view.name() + " " + label + ": " + settings.setup().key());
        long start = System.nanoTime();
        TrainResult result = new Trainer(settings, view.train(), graph, null, new TrainLog(new Configuration(),
                "")).train();
        double seconds = (System.nanoTime() - start) / 1e9;
        int[] trainClusters = Predictions.of(result.head(), result.headInput(view.train().values(),
                view.train().n()), view.train().n()).clusters();
        lines.add(new Line(view.name(), label, Manifests.TRAIN, score(view.trainLabels(), trainClusters,
                numClasses, k, profile), seconds));
        if (view.testLabels().length > 0) {
            int[] testClusters = Predictions.of(result.head(), result.headInput(view.test(),
                    view.testLabels().length), view.testLabels().length).clusters();
            lines.add(new Line(view.name(), label, Manifests.TEST, score(view.testLabels(), testClusters,
                    numClasses, k, profile), seconds));
        }
        CollapseCheck.diagnose(method, result.clusterSizes())
                .ifPresent(w -> console.println("WARNING (" + label + "): " + w));
        return lines;
    }

    private static SplitMetrics score(int[] labels, int[] clusters, int numClasses, int k, LongTailProfile profile) {
        return ClusteringMetrics.evaluate(ClusteringMetrics.contingency(labels, clusters, numClasses, k), profile);
    }

    private static int numClasses(View view) {
        int max = 0;
        for (int label : view.trainLabels()) {
            max = Math.max(max, label);
        }
        for (int label : view.testLabels()) {
            max = Math.max(max, label);
        }
        return max + 1;
    }

    /** The run's features joined with the manifest's labels and splits, on the driver. */
    private static View collect(RunPipeline pipeline) {
        Dataset<Row> manifest = pipeline.manifest().select(col("id").as("mid"), col("label").as("mlabel"),
                col("split"));
        Dataset<Row> joined = pipeline.features().join(manifest, col("id").equalTo(col("mid")))
                .where(col("mlabel").isNotNull()).orderBy("id");
        Dataset<Row> train = joined.where(col("split").equalTo(Manifests.TRAIN));
        Dataset<Row> test = joined.where(col("split").equalTo(Manifests.TEST));
        FeatureMatrix trainMatrix = TrainingData.collectFeatures(train, "id", "features");
        FeatureMatrix testMatrix = test.isEmpty() ? null : TrainingData.collectFeatures(test, "id", "features");
        return new View("raw", trainMatrix, labels(train, trainMatrix),
                testMatrix == null ? new float[0] : testMatrix.values(),
                testMatrix == null ? new int[0] : labels(test, testMatrix));
    }

    private static int[] labels(Dataset<Row> rows, FeatureMatrix matrix) {
        int[] labels = new int[matrix.n()];
        for (Row row : rows.select(col("id").cast("long"), col("mlabel")).collectAsList()) {
            labels[matrix.indexOf(row.getLong(0))] = row.getInt(1);
        }
        return labels;
    }

    /** The PCA-whitened view: fitted on the training rows, applied to both splits. */
    private static View whitened(View raw, int pcaDim) {
        int dim = raw.train().dim();
        if (pcaDim < 1 || pcaDim > Math.min(dim, raw.train().n())) {
            throw new UsageException("--pca-dim must lie in 1.." + Math.min(dim, raw.train().n()) + ", got " + pcaDim);
        }
        FeaturePreprocessing p = FeaturePreprocessing.fit(raw.train().values(), raw.train().n(), dim,
                new FeaturePreprocessing.Spec(true, pcaDim, true, false));
        FeatureMatrix train = new FeatureMatrix(raw.train().ids(), p.applyAll(raw.train().values(), raw.train().n()),
                pcaDim);
        float[] test = raw.testLabels().length == 0 ? new float[0] : p.applyAll(raw.test(), raw.testLabels().length);
        return new View("pca" + pcaDim + "-whiten", train, raw.trainLabels(), test, raw.testLabels());
    }

    private static Dataset<Row> table(SparkSession spark, FeatureMatrix m) {
        List<Row> rows = new ArrayList<>(m.n());
        float[] v = m.values();
        for (int i = 0; i < m.n(); i++) {
            Float[] row = new Float[m.dim()];
            for (int d = 0; d < m.dim(); d++) {
                row[d] = v[i * m.dim() + d];
            }
            rows.add(RowFactory.create(m.id(i), row, null));
        }
        return spark.createDataFrame(rows, Manifests.FEATURES_SCHEMA).select("id", "features")
                .repartition(Math.max(2, spark.sparkContext().defaultParallelism())).cache();
    }

    /** The table: one row per view, method and split; scores in %. */
    static String table(List<Line> lines) {
        StringBuilder text = new StringBuilder();
        text.append("| view | method | split | ACC | NMI | F1 | head | medium | tail | used | seconds |\n");
        text.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Integer> order = new LinkedHashMap<>();
        for (Line line : lines) {
            order.putIfAbsent(line.view(), order.size());
        }
        for (Line line : lines) {
            SplitMetrics m = line.metrics();
            text.append(String.format(Locale.ROOT, "| %s | %s | %s | %.1f | %.1f | %.1f | %.1f | %.1f | %.1f | %d/%d | %.1f |%n",
                    line.view(), line.method(), line.split(), 100 * m.acc(), 100 * m.nmi(), 100 * m.f1(),
                    100 * m.head(), 100 * m.medium(), 100 * m.tail(), CollapseCheck.clustersUsed(m.clusterSizes()),
                    m.clusterSizes().length, line.seconds()));
        }
        return text.toString();
    }
}
