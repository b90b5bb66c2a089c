package org.sp2ot.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.sp2ot.jobs.assign.AssignStage;
import org.sp2ot.jobs.eval.EvaluateStage;
import org.sp2ot.jobs.eval.EvaluationReport;
import org.sp2ot.jobs.eval.KMeansBaseline;
import org.sp2ot.jobs.eval.MetricsJson;
import org.sp2ot.jobs.eval.ReportHtml;
import org.sp2ot.jobs.eval.ReportViews;
import org.sp2ot.jobs.eval.SplitMetrics;
import org.sp2ot.jobs.eval.TrainCurves;
import org.sp2ot.jobs.io.RunDirectory;
import org.sp2ot.jobs.io.StageOutput;
import org.sp2ot.jobs.knn.KnnGraphBuilder;
import org.sp2ot.jobs.knn.KnnKernel;
import org.sp2ot.jobs.knn.KnnOptions;
import org.sp2ot.jobs.train.TrainStage;
import org.sp2ot.ml.Sp2otClusteringModel;

/**
 * The stages of one run in one run directory (DESIGN.md, "Stage contracts"). Layout of {@code <out>/<run-id>/}:
 * <pre>
 *   config.conf                  the resolved run config (every key)
 *   manifest/                    id, path, label, label_name, split
 *   features/                    id, features array&lt;float&gt;, label
 *   extract-failures/            images that could not be read (images input only)
 *   knn/                         id, neighbors, weights (only when a method needs the graph)
 *   model/&lt;method&gt;/             Spark ML persistence of each trained head
 *   checkpoints/&lt;method&gt;/       per-epoch training state (a killed run resumes from the newest)
 *   train-log/&lt;method&gt;.jsonl    one line per epoch
 *   assignments/method=&lt;m&gt;/     id, path, cluster, confidence, weight, run_id; one partition per method,
 *                                kmeans included: read assignments/ as one table with a method column, or one
 *                                partition directory as the method's table
 *   report.html, metrics.json    metrics.json is written last: it marks the run complete
 * </pre>
 * Every directory output is written to {@code _staging/} and renamed into place with {@code _SUCCESS}
 * ({@link RunDirectory}); a stage whose output is complete is skipped unless {@code overwrite}.
 */
public final class RunPipeline {
    public static final String MANIFEST = "manifest";
    public static final String FEATURES = "features";
    public static final String EXTRACT_FAILURES = "extract-failures";
    public static final String KNN = "knn";
    public static final String CONFIG_FILE = "config.conf";

    private final RunConfig config;
    private final SparkSession spark;
    private final RunDirectory run;
    private final boolean overwrite;
    private final PrintStream console;

    public RunPipeline(RunConfig config, SparkSession spark, RunDirectory run, boolean overwrite, PrintStream console) {
        this.config = config;
        this.spark = spark;
        this.run = run;
        this.overwrite = overwrite;
        this.console = console;
    }

    public static String modelDir(String method) {
        return "model/" + method;
    }

    public static String checkpointDir(String method) {
        return "checkpoints/" + method;
    }

    public static String trainLog(String method) {
        return "train-log/" + method + ".jsonl";
    }

    public static String assignmentsDir(String method) {
        return "assignments/method=" + method;
    }

    /** Writes the resolved config beside the outputs (replaced on every run, so it says what the last run used). */
    public void writeConfig() throws IOException {
        run.writeFileAtomically(CONFIG_FILE, config.render());
    }

    /** All stages in order; returns the evaluation (null when the data has no labels). */
    public EvaluationReport runAll() throws IOException {
        writeConfig();
        extract();
        if (config.needsKnn()) {
            knn();
        }
        for (String method : config.train().methods()) {
            train(method);
        }
        for (String method : config.train().methods()) {
            assign(method);
        }
        if (config.evaluate().kmeans()) {
            kmeans();
        }
        return evaluate();
    }

    /** Produces {@code manifest/} and {@code features/} from the configured input. */
    public void extract() throws IOException {
        if (!overwrite && run.isComplete(MANIFEST) && run.isComplete(FEATURES)) {
            skipped("extract", FEATURES);
            return;
        }
        long start = System.nanoTime();
        InputStage.materialize(config, spark, run, console);
        done("extract", FEATURES, start);
    }

    /** Builds {@code knn/} from the features (ALGORITHM.md §3). */
    public void knn() throws IOException {
        requireComplete(FEATURES, "extract");
        if (!overwrite && run.isComplete(KNN)) {
            skipped("knn", KNN);
            return;
        }
        long start = System.nanoTime();
        KnnOptions options = KnnOptions.defaults().withK(config.knn().k())
                .withKernel(KnnKernel.parse(config.knn().kernel())).withSigma(config.knn().sigma())
                .withBlockSize(config.knn().blockSize());
        StageOutput out = run.begin(KNN, overwrite);
        Dataset<Row> graph = KnnGraphBuilder.build(trainingFeatures().select("id", "features"), options);
        graph.write().mode(SaveMode.Overwrite).parquet(out.stagingUri());
        graph.unpersist();
        out.commit();
        done("knn", KNN, start);
    }

    /** Trains the head of {@code method} into {@code model/<method>/}, resuming from its checkpoints. */
    public void train(String method) throws IOException {
        requireComplete(FEATURES, "extract");
        String target = modelDir(method);
        if (!overwrite && run.isComplete(target)) {
            skipped("train " + method, target);
            return;
        }
        Dataset<Row> knn = null;
        if (method.equals("sp2ot")) {
            requireComplete(KNN, "knn");
            knn = spark.read().parquet(run.path(KNN).toString());
        }
        if (overwrite) {
            run.fs().delete(run.path(checkpointDir(method)), true);
            run.fs().delete(run.path(trainLog(method)), false);
        }
        Dataset<Row> training = trainingFeatures();
        config.checkAgainstData(training.count());
        long start = System.nanoTime();
        StageOutput out = run.begin(target, overwrite);
        TrainStage.run(spark, training, knn, TrainSettingsMapper.settings(config, method), out.stagingUri(),
                run.path(checkpointDir(method)).toString(), run.path(trainLog(method)).toString());
        out.commit();
        done("train " + method, target, start);
    }

    /** Assigns every row of the features with the head of {@code method}. */
    public void assign(String method) throws IOException {
        requireComplete(FEATURES, "extract");
        requireComplete(modelDir(method), "train");
        String target = assignmentsDir(method);
        if (!overwrite && run.isComplete(target)) {
            skipped("assign " + method, target);
            return;
        }
        long start = System.nanoTime();
        Sp2otClusteringModel model = Sp2otClusteringModel.load(run.path(modelDir(method)).toString());
        StageOutput out = run.begin(target, overwrite);
        AssignStage.assignments(features(), manifest(), model, config.runId())
                .write().mode(SaveMode.Overwrite).parquet(out.stagingUri());
        out.commit();
        done("assign " + method, target, start);
    }

    /** The k-means baseline (Spark MLlib) on the training features, written as the method {@code kmeans}. */
    public void kmeans() throws IOException {
        requireComplete(FEATURES, "extract");
        String target = assignmentsDir(RunConfig.KMEANS);
        if (!overwrite && run.isComplete(target)) {
            skipped("kmeans", target);
            return;
        }
        Dataset<Row> training = trainingFeatures();
        config.checkAgainstData(training.count());
        long start = System.nanoTime();
        KMeansBaseline.Options options = new KMeansBaseline.Options(config.train().k(), config.train().seed(),
                config.evaluate().kmeansMaxIter(), KMeansBaseline.Options.defaults(config.train().k()).tol());
        Dataset<Row> predictions = KMeansBaseline.fit(training, options).predictions();
        Dataset<Row> paths = manifest().select(col("id").as("manifest_id"), col("path"));
        Dataset<Row> assignments = predictions
                .join(paths, predictions.col("id").equalTo(paths.col("manifest_id")), "left")
                .select(col("id"), col("path"), col("cluster").cast(DataTypes.IntegerType).as("cluster"),
                        lit(null).cast(DataTypes.FloatType).as("confidence"),
                        lit(null).cast(DataTypes.FloatType).as("weight"), lit(config.runId()).as("run_id"));
        StageOutput out = run.begin(target, overwrite);
        assignments.write().mode(SaveMode.Overwrite).parquet(out.stagingUri());
        out.commit();
        done("kmeans", target, start);
    }

    /**
     * Scores every reported method against the manifest's labels and writes {@code report.html}, then
     * {@code metrics.json}. Rows whose image could not be read (no features) are not scored. Without labels it
     * writes {@code report.html} with the sections that need none (cluster sizes, map, training curves, gallery)
     * and no {@code metrics.json}, and returns null. Unlike the other stages it always runs: it only reads the
     * committed assignments, so its result is the same, and the run can print the metrics table.
     */
    public EvaluationReport evaluate() throws IOException {
        requireComplete(FEATURES, "extract");
        Dataset<Row> extracted = features().select(col("id").as("fid"));
        Dataset<Row> manifest = manifest().join(extracted, col("id").equalTo(col("fid")), "left_semi");
        boolean labelled = !manifest.where(col("label").isNotNull()).isEmpty();
        Map<String, Map<String, SplitMetrics>> methods = new LinkedHashMap<>();
        Map<String, Dataset<Row>> assignments = new LinkedHashMap<>();
        Map<String, TrainCurves> curves = new LinkedHashMap<>();
        for (String method : config.reportedMethods()) {
            String table = assignmentsDir(method);
            requireComplete(table, "assign");
            Dataset<Row> assigned = spark.read().parquet(run.path(table).toString());
            assignments.put(method, assigned);
            curves.put(method, TrainCurves.read(run.fs(), run.path(trainLog(method))));
            if (labelled) {
                methods.put(method, EvaluateStage.evaluate(assigned, manifest, config.train().k()));
            }
        }
        RunConfig.Evaluate e = config.evaluate();
        boolean images = !manifest.where(col("path").isNotNull()).isEmpty();
        ReportViews views = ReportViews.gather(manifest, features(), assignments, curves, config.train().k(),
                new ReportViews.Options(e.galleryClusters(), e.mapPoints(), images, config.train().seed(),
                        config.train().methods().get(0)), spark.sparkContext().hadoopConfiguration());
        if (!labelled) {
            ReportHtml.write(run, null, views, parameters());
            console.println("evaluate: the input has no labels; report.html shows what needs none, no metrics.json"
                    + " (assignments are the result)");
            return null;
        }
        EvaluationReport report = new EvaluationReport(methods, parameters());
        ReportHtml.write(run, report, views, report.parameters());
        MetricsJson.write(run, report);
        return report;
    }

    private Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        RunConfig.Train t = config.train();
        p.put("run-id", config.runId());
        p.put("input", config.input().type() + (config.input().path().isEmpty() ? "" : " " + config.input().path()));
        p.put("K", String.valueOf(t.k()));
        p.put("epochs", String.valueOf(t.epochs()));
        p.put("batch", String.valueOf(t.batch()));
        p.put("bank", t.bankFactor() + " x batch");
        p.put("lr", String.valueOf(t.lr()));
        p.put("eps", String.valueOf(t.eps()));
        p.put("gamma", String.valueOf(t.gamma()));
        p.put("rho", t.rhoSchedule() + " from " + t.rho0());
        p.put("lam0", String.valueOf(t.lam0()));
        p.put("solver", t.solver());
        p.put("head", t.head());
        p.put("seed", String.valueOf(t.seed()));
        p.put("knn", "k=" + config.knn().k() + " " + config.knn().kernel() + " sigma=" + config.knn().sigma());
        return p;
    }

    /** The features table of the run. */
    public Dataset<Row> features() {
        return spark.read().parquet(run.path(FEATURES).toString());
    }

    /** The manifest table of the run. */
    public Dataset<Row> manifest() {
        return spark.read().parquet(run.path(MANIFEST).toString());
    }

    /** The rows the heads train on: the features of the manifest's training split. */
    public Dataset<Row> trainingFeatures() {
        Dataset<Row> train = manifest().where(col("split").equalTo(EvaluateStage.TRAIN)).select(col("id").as("tid"));
        Dataset<Row> features = features();
        return features.join(train, features.col("id").equalTo(train.col("tid")), "left_semi");
    }

    private void requireComplete(String relative, String stage) throws IOException {
        if (!run.isComplete(relative)) {
            throw new IllegalStateException(run.path(relative) + " is missing or incomplete; run the '" + stage
                    + "' stage first (or the whole run: sp2ot run --config ... --run-id " + config.runId() + ")");
        }
    }

    private void skipped(String stage, String relative) {
        console.printf(Locale.ROOT, "%-14s skipped: %s is complete (use --overwrite to recompute)%n", stage,
                run.path(relative));
    }

    private void done(String stage, String relative, long startNanos) {
        console.printf(Locale.ROOT, "%-14s done in %.1f s -> %s%n", stage, (System.nanoTime() - startNanos) / 1e9,
                run.path(relative));
    }

    /** The compact metrics table printed at the end of a run. */
    public static String metricsTable(EvaluationReport report) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%-8s %-6s %6s %6s %6s %6s %6s %6s %6s%n", "method", "split", "ACC",
                "NMI", "F1", "ARI", "head", "medium", "tail"));
        for (Map.Entry<String, Map<String, SplitMetrics>> method : report.methods().entrySet()) {
            for (Map.Entry<String, SplitMetrics> split : method.getValue().entrySet()) {
                SplitMetrics m = split.getValue();
                text.append(String.format(Locale.ROOT, "%-8s %-6s %6.1f %6.1f %6.1f %6.1f %6.1f %6.1f %6.1f%n",
                        method.getKey(), split.getKey(), 100 * m.acc(), 100 * m.nmi(), 100 * m.f1(), 100 * m.ari(),
                        100 * m.head(), 100 * m.medium(), 100 * m.tail()));
            }
        }
        return text.toString();
    }

    /** Where the results are, for the end of a run. */
    public String summary() {
        Path root = run.root();
        return "assignments: " + new Path(root, "assignments") + "  (one partition per method: "
                + String.join(", ", List.copyOf(config.reportedMethods())) + ")\n"
                + "metrics:     " + new Path(root, MetricsJson.FILE_NAME) + "\n"
                + "report:      " + new Path(root, ReportHtml.FILE_NAME) + "\n";
    }
}
