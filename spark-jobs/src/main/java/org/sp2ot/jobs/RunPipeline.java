package org.sp2ot.jobs;

import static org.apache.spark.sql.functions.col;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.sp2ot.jobs.assign.AssignStage;
import org.sp2ot.jobs.eval.EvaluateStage;
import org.sp2ot.jobs.eval.EvaluationReport;
import org.sp2ot.jobs.eval.KMeansBaseline;
import org.sp2ot.train.CollapseCheck;
import org.sp2ot.jobs.eval.MetricsJson;
import org.sp2ot.jobs.eval.ReportHtml;
import org.sp2ot.jobs.eval.SplitMetrics;
import org.sp2ot.jobs.eval.TrainCurves;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.datasets.ManifestBuilder;
import org.sp2ot.jobs.extract.BackboneFingerprint;
import org.sp2ot.jobs.extract.ImageFailures;
import org.sp2ot.jobs.io.Fingerprint;
import org.sp2ot.jobs.io.RunDirectory;
import org.sp2ot.jobs.io.StageOutput;
import org.sp2ot.ml.knn.KnnGraphBuilder;
import org.sp2ot.ml.knn.KnnOptions;
import org.sp2ot.jobs.train.TrainStage;
import org.sp2ot.ml.Sp2otClustering;
import org.sp2ot.ml.Sp2otClusteringModel;
import org.sp2ot.train.HeadInit;
import org.sp2ot.train.SecondView;

/**
 * The stages of one run in one run directory (DESIGN.md, "Stage contracts"). Layout of {@code <out>/<run-id>/}:
 * <pre>
 *   manifest/                    id, path, label, label_name, split
 *   features/                    id, features array&lt;float&gt;, label
 *   extract-failures/            images that could not be read (images input only)
 *   knn/                         id, neighbors, weights (only when a method needs the graph)
 *   model/&lt;method&gt;/             Spark ML persistence of each trained head (every param in its metadata)
 *   train-weights/&lt;method&gt;/     id, weight: each training row's OT weight of the last epoch (assign joins it)
 *   checkpoints/&lt;method&gt;/       per-epoch training state (a killed run resumes from the newest)
 *   train-log/&lt;method&gt;.jsonl    one line per epoch
 *   assignments/method=&lt;m&gt;/     id, path, cluster, confidence, weight, run_id; one partition per method,
 *                                kmeans included: read assignments/ as one table with a method column, or one
 *                                partition directory as the method's table
 *   report.html, metrics.json    the scores (labelled inputs only)
 *   config.conf                  the config that produced the outputs (written when the run completes)
 *   _RUN_SUCCESS                 written last: the run's fingerprint and every output with its fingerprint
 * </pre>
 * Every directory output is written to {@code _staging/} and renamed into place with {@code _SUCCESS} and its
 * {@link Fingerprint} ({@link StageFingerprints}: the upstream fingerprints and the config keys the stage reads).
 * A stage is skipped only when its output is current: committed with the fingerprint the config expects. A stage
 * that is stale, missing or {@code overwrite}-forced is recomputed, and before it writes anything, its old output,
 * everything downstream of it and the run-level files ({@code _RUN_SUCCESS}, {@code metrics.json},
 * {@code report.html}, {@code config.conf}) are removed. A killed or failed run therefore never leaves
 * complete-looking outputs that disagree, and the next run recomputes exactly what is missing or stale.
 */
public final class RunPipeline {
    public static final String MANIFEST = "manifest";
    public static final String FEATURES = "features";
    public static final String EXTRACT_FAILURES = "extract-failures";
    public static final String MANIFEST_STATS = "manifest-stats.json";
    public static final String KNN = "knn";
    public static final String CONFIG_FILE = "config.conf";
    /** The run-level completion marker, written last. */
    public static final String RUN_SUCCESS = "_RUN_SUCCESS";

    /** Removed first whenever any stage is recomputed, the completion marker before anything else. */
    private static final List<String> RUN_LEVEL = List.of(RUN_SUCCESS, MetricsJson.FILE_NAME, ReportHtml.FILE_NAME,
            CONFIG_FILE);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final RunConfig config;
    private final SparkSession spark;
    private final RunDirectory run;
    private final boolean overwrite;
    private final PrintStream console;
    private final StageFingerprints fingerprints;

    public RunPipeline(RunConfig config, SparkSession spark, RunDirectory run, boolean overwrite, PrintStream console) {
        this.config = config;
        this.spark = spark;
        this.run = run;
        this.overwrite = overwrite;
        this.console = console;
        this.fingerprints = new StageFingerprints(config);
    }

    public static String modelDir(String method) {
        return "model/" + method;
    }

    public static String trainWeightsDir(String method) {
        return "train-weights/" + method;
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

    /** The expected fingerprint of every directory output of {@code config}'s run, in stage order. */
    public static Map<String, Fingerprint> expectedOutputs(RunConfig config) {
        return new StageFingerprints(config).outputs();
    }

    /** The fingerprint of {@code config}'s whole run (recorded in metrics.json and {@value #RUN_SUCCESS}). */
    public static Fingerprint runFingerprint(RunConfig config) {
        return new StageFingerprints(config).run();
    }

    /** All stages in order, then the completion marker; returns the evaluation (null when the data has no labels). */
    public EvaluationReport runAll() throws IOException {
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
        EvaluationReport report = evaluate();
        complete();
        return report;
    }

    /** Produces {@code manifest/} and {@code features/} (and {@code extract-failures/}) from the configured input. */
    public void extract() throws IOException {
        Fingerprint expected = fingerprints.extract();
        List<String> outputs = new ArrayList<>(List.of(MANIFEST, FEATURES));
        if (config.input().needsExtract()) {
            outputs.add(EXTRACT_FAILURES);
        }
        String reason = whyRecompute(outputs, expected);
        if (reason == null) {
            skipped("extract", FEATURES);
            return;
        }
        long start = System.nanoTime();
        InputStage.materialize(config, spark, run, console, expected, () -> invalidate("extract", reason, MANIFEST,
                FEATURES, EXTRACT_FAILURES, MANIFEST_STATS, ManifestBuilder.FAILURES, BackboneFingerprint.FILE, KNN,
                "model", "train-weights", "checkpoints", "train-log", "assignments"));
        done("extract", FEATURES, start);
    }

    /** Builds {@code knn/} from the features (ALGORITHM.md §3). */
    public void knn() throws IOException {
        requireCurrent(FEATURES, fingerprints.extract(), "extract");
        Fingerprint expected = fingerprints.knn();
        String reason = whyRecompute(List.of(KNN), expected);
        if (reason == null) {
            skipped("knn", KNN);
            return;
        }
        Dataset<Row> training = trainingFeatures().select("id", "features");
        config.checkAgainstData(training.count(), true);
        long start = System.nanoTime();
        invalidate("knn", reason, KNN, modelDir("sp2ot"), trainWeightsDir("sp2ot"), checkpointDir("sp2ot"),
                trainLog("sp2ot"), assignmentsDir("sp2ot"));
        KnnOptions options = KnnOptions.defaults().withK(config.knn().k())
                .withKernel(config.knn().kernel()).withSigma(config.knn().sigma())
                .withBlockSize(config.knn().blockSize());
        StageOutput out = run.begin(KNN, expected);
        Dataset<Row> graph = KnnGraphBuilder.build(training, options);
        graph.write().mode(SaveMode.Overwrite).parquet(out.stagingUri());
        graph.unpersist();
        out.commit();
        done("knn", KNN, start);
    }

    /**
     * Trains the head of {@code method} into {@code model/<method>/} and {@code train-weights/<method>/}, resuming from its checkpoints when they were
     * made with the same fingerprint (other checkpoints and the training log are discarded first).
     */
    public void train(String method) throws IOException {
        requireCurrent(FEATURES, fingerprints.extract(), "extract");
        String target = modelDir(method);
        String weights = trainWeightsDir(method);
        Fingerprint expected = fingerprints.train(method);
        String reason = whyRecompute(List.of(target, weights), expected);
        if (reason == null) {
            skipped("train " + method, target);
            return;
        }
        Dataset<Row> knn = null;
        if (method.equals("sp2ot") || config.train().view() == SecondView.NEIGHBOR) {
            requireCurrent(KNN, fingerprints.knn(), "knn");
            knn = spark.read().parquet(run.path(KNN).toString());
        }
        Dataset<Row> training = trainingFeatures();
        config.checkAgainstData(training.count());
        long start = System.nanoTime();
        invalidate("train " + method, reason, target, weights, assignmentsDir(method));
        String checkpoints = checkpointDir(method);
        if (overwrite || !expected.equals(run.fingerprint(checkpoints))) {
            boolean had = run.delete(checkpoints);
            had |= run.delete(trainLog(method));
            if (had) {
                console.printf(Locale.ROOT, "%-14s discarding checkpoints and training log of %s%n", "train " + method,
                        overwrite ? "the run being overwritten" : "other settings");
            }
            run.writeFileAtomically(checkpoints + "/" + Fingerprint.FILE_NAME, expected.render());
        }
        StageOutput out = run.begin(target, expected);
        StageOutput weightsOut = run.begin(weights, expected);
        TrainStage.run(spark, training, knn, config.estimator(method), out.stagingUri(),
                weightsOut.stagingUri(), run.path(checkpoints).toString(), run.path(trainLog(method)).toString());
        weightsOut.commit();
        out.commit();
        done("train " + method, target, start);
    }

    /** Assigns every row of the features with the head of {@code method}, joining its training weights. */
    public void assign(String method) throws IOException {
        requireCurrent(FEATURES, fingerprints.extract(), "extract");
        requireCurrent(modelDir(method), fingerprints.train(method), "train");
        requireCurrent(trainWeightsDir(method), fingerprints.train(method), "train");
        String target = assignmentsDir(method);
        Fingerprint expected = fingerprints.assign(method);
        String reason = whyRecompute(List.of(target), expected);
        if (reason == null) {
            skipped("assign " + method, target);
            return;
        }
        long start = System.nanoTime();
        invalidate("assign " + method, reason, target);
        Sp2otClusteringModel model = Sp2otClusteringModel.load(run.path(modelDir(method)).toString());
        StageOutput out = run.begin(target, expected);
        Dataset<Row> trainingWeights = spark.read().parquet(run.path(trainWeightsDir(method)).toString());
        AssignStage.write(AssignStage.assignments(features(), manifest(), model, trainingWeights, config.runId()),
                model, out.stagingUri());
        out.commit();
        done("assign " + method, target, start);
    }

    /** The k-means baseline (Spark MLlib) on the training features, written as the method {@code kmeans}. */
    public void kmeans() throws IOException {
        requireCurrent(FEATURES, fingerprints.extract(), "extract");
        String target = assignmentsDir(RunConfig.KMEANS);
        Fingerprint expected = fingerprints.kmeans();
        String reason = whyRecompute(List.of(target), expected);
        if (reason == null) {
            skipped("kmeans", target);
            return;
        }
        Dataset<Row> training = trainingFeatures();
        config.checkAgainstData(training.count());
        long start = System.nanoTime();
        invalidate("kmeans", reason, target);
        KMeansBaseline.Options options = new KMeansBaseline.Options(config.train().k(), config.train().seed(),
                config.evaluate().kmeansMaxIter(), config.evaluate().kmeansRestarts());
        KMeansBaseline.Result fitted = KMeansBaseline.fit(training, options);
        console.println("kmeans: " + KMeansBaseline.describe(options, fitted));
        Dataset<Row> assignments = AssignStage.ofClusters(fitted.predictions(), manifest(), config.runId());
        StageOutput out = run.begin(target, expected);
        assignments.write().mode(SaveMode.Overwrite).parquet(out.stagingUri());
        out.commit();
        done("kmeans", target, start);
    }

    /**
     * Scores every reported method against the manifest's labels and writes {@code report.html}, then
     * {@code metrics.json} (with the run's fingerprint). Rows whose image could not be read (no features) are not
     * scored. Without labels it writes {@code report.html} with the sections that need none (cluster sizes, map,
     * training curves, gallery), removes any old {@code metrics.json} and returns null. Unlike the other stages it
     * always runs: it only reads the assignments, which must be current, so its result is the same, and the run
     * can print the metrics table.
     */
    public EvaluationReport evaluate() throws IOException {
        requireCurrent(FEATURES, fingerprints.extract(), "extract");
        for (String method : config.reportedMethods()) {
            requireCurrent(assignmentsDir(method), fingerprints.assign(method),
                    method.equals(RunConfig.KMEANS) ? "assign' (k-means baseline)" : "assign");
        }
        Map<String, Dataset<Row>> assignments = new LinkedHashMap<>();
        Map<String, TrainCurves> curves = new LinkedHashMap<>();
        for (String method : config.reportedMethods()) {
            assignments.put(method, spark.read().parquet(run.path(assignmentsDir(method)).toString()));
            curves.put(method, TrainCurves.read(run.fs(), run.path(trainLog(method))));
        }
        RunConfig.Evaluate e = config.evaluate();
        EvaluateStage.Inputs inputs = new EvaluateStage.Inputs(manifest(), features(), assignments, curves,
                config.train().k(), e.galleryClusters(), e.mapPoints(), config.train().seed(),
                config.train().methods().get(0), ImageFailures.summary(spark, run, EXTRACT_FAILURES), parameters());
        // evaluate rewrites run-level files: the completion marker goes first (complete() writes it again)
        run.delete(RUN_SUCCESS);
        EvaluationReport report = EvaluateStage.run(run, inputs, spark.sparkContext().hadoopConfiguration());
        if (report == null) {
            console.println("evaluate: the input has no labels; report.html shows what needs none, no metrics.json"
                    + " (assignments are the result)");
            return null;
        }
        for (Map.Entry<String, Map<String, SplitMetrics>> method : report.methods().entrySet()) {
            SplitMetrics train = method.getValue().get(EvaluateStage.TRAIN);
            if (train != null) {
                CollapseCheck.diagnose(method.getKey(), train.clusterSizes())
                        .ifPresent(warning -> console.println("WARNING: " + warning));
            }
        }
        return report;
    }

    /**
     * Marks the run complete, after checking that every output the config's run consists of is current: writes
     * {@value #CONFIG_FILE} (the config that produced them) and then {@value #RUN_SUCCESS} (the run's fingerprint and
     * each output with its fingerprint). Scheduled jobs wait for {@value #RUN_SUCCESS}.
     */
    public void complete() throws IOException {
        Map<String, Fingerprint> outputs = fingerprints.outputs();
        for (Map.Entry<String, Fingerprint> output : outputs.entrySet()) {
            requireCurrent(output.getKey(), output.getValue(), "run");
        }
        Fingerprint runPrint = fingerprints.run();
        run.writeFileAtomically(CONFIG_FILE, config.render());
        ObjectNode marker = JSON.createObjectNode();
        marker.put("run-id", config.runId());
        marker.put("fingerprint", runPrint.hash());
        marker.put("finished", Instant.now().toString());
        ObjectNode list = marker.putObject("outputs");
        outputs.forEach((name, fingerprint) -> list.put(name, fingerprint.hash()));
        for (String file : List.of(ReportHtml.FILE_NAME, MetricsJson.FILE_NAME, CONFIG_FILE)) {
            if (run.fileExists(file)) {
                list.put(file, runPrint.hash());
            }
        }
        run.writeFileAtomically(RUN_SUCCESS, JSON.writeValueAsString(marker) + "\n");
    }

    private Map<String, String> parameters() {
        Map<String, String> p = new LinkedHashMap<>();
        RunConfig.Train t = config.train();
        p.put("run-id", config.runId());
        p.put("fingerprint", fingerprints.run().hash());
        p.put("input", config.input().type() + (config.input().path().isEmpty() ? "" : " " + config.input().path()));
        p.put("K", String.valueOf(t.k()));
        p.put("epochs", String.valueOf(t.epochs()));
        p.put("batch", String.valueOf(t.batch()));
        p.put("bank", t.bankFactor() + " x batch");
        p.put("lr", String.valueOf(t.lr()));
        p.put("eps", String.valueOf(t.eps()));
        p.put("gamma", String.valueOf(t.gamma()));
        p.put("rho", t.rhoSchedule().configName() + " from " + t.rho0());
        p.put("lam0", String.valueOf(t.lam0()));
        p.put("solver", Sp2otClustering.backendName(t.solver()));
        p.put("head", t.head().configName());
        p.put("init", t.init().configName() + (t.init() != HeadInit.RANDOM ? " (" + t.initRestarts() + " restarts)" : ""));
        p.put("preprocess", new org.sp2ot.train.FeaturePreprocessing.Spec(t.center(), t.pcaDim(), t.whiten(),
                t.l2()).describe());
        p.put("lam-scaling", t.lamScaling().configName());
        p.put("view", t.view().configName());
        p.put("adapter", t.adapter().configName()
                + (t.adapter() == org.sp2ot.train.AdapterKind.NONE ? "" : " (" + t.adapterHidden() + " hidden)"));
        p.put("augment", new org.sp2ot.train.Augmentation(t.augmentDropout(), t.augmentNoise()).describe());
        p.put("selection", t.selection().configName());
        p.put("seed", String.valueOf(t.seed()));
        if (config.evaluate().kmeans()) {
            p.put("kmeans", KMeansBaseline.INIT_MODE + " init, " + config.evaluate().kmeansRestarts()
                    + " restarts (lowest cost kept), at most " + config.evaluate().kmeansMaxIter() + " iterations");
            p.put("kmeans-restarts", String.valueOf(config.evaluate().kmeansRestarts()));
        }
        p.put("knn", "k=" + config.knn().k() + " " + config.knn().kernel().cliName() + " sigma=" + config.knn().sigma());
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

    /**
     * Null when every output in {@code outputs} is current for {@code expected} and no overwrite was asked for;
     * else why the stage runs: "--overwrite", "stale (train.lam0 1000 -> 100)" or null-free "not computed yet".
     */
    private String whyRecompute(List<String> outputs, Fingerprint expected) throws IOException {
        if (overwrite) {
            return "--overwrite";
        }
        for (String output : outputs) {
            if (!run.isComplete(output)) {
                return "";
            }
        }
        for (String output : outputs) {
            Fingerprint recorded = run.fingerprint(output);
            if (!expected.equals(recorded)) {
                return "stale: " + String.join(", ", expected.differences(recorded));
            }
        }
        return null;
    }

    /**
     * Before a stage writes: removes the run-level files (the completion marker first), then {@code doomed} (the
     * stage's old output and everything downstream of it), so that no complete-looking output disagrees with the
     * one being recomputed, whatever happens next.
     */
    private void invalidate(String stage, String reason, String... doomed) throws IOException {
        if (!reason.isEmpty()) {
            console.printf(Locale.ROOT, "%-14s recomputing (%s)%n", stage, reason);
        }
        List<String> removed = new ArrayList<>();
        for (String relative : RUN_LEVEL) {
            if (run.delete(relative)) {
                removed.add(relative);
            }
        }
        for (String relative : doomed) {
            if (run.delete(relative)) {
                removed.add(relative);
            }
        }
        if (!reason.isEmpty() && !removed.isEmpty()) {
            console.printf(Locale.ROOT, "%-14s removed before recomputing: %s%n", stage, String.join(", ", removed));
        }
    }

    /** A {@link UsageException} naming the stage to run first when {@code relative} is missing or stale. */
    private void requireCurrent(String relative, Fingerprint expected, String stage) throws IOException {
        String first = "; run the '" + stage + "' stage first (or the whole run: sp2ot run --config ... --run-id "
                + config.runId() + ")";
        if (!run.isComplete(relative)) {
            throw new UsageException(run.path(relative) + " is missing or incomplete" + first);
        }
        Fingerprint recorded = run.fingerprint(relative);
        if (!expected.equals(recorded)) {
            throw new UsageException(run.path(relative) + " was produced with other settings ("
                    + String.join(", ", expected.differences(recorded)) + ")" + first);
        }
    }

    private void skipped(String stage, String relative) {
        console.printf(Locale.ROOT, "%-14s skipped: %s is current (use --overwrite to recompute)%n", stage,
                run.path(relative));
    }

    private void done(String stage, String relative, long startNanos) {
        console.printf(Locale.ROOT, "%-14s done in %.1f s -> %s%n", stage, (System.nanoTime() - startNanos) / 1e9,
                run.path(relative));
    }

    /** The compact metrics table printed at the end of a run. */
    public static String metricsTable(EvaluationReport report) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%-8s %-6s %6s %6s %6s %6s %6s %6s %6s %7s%n", "method", "split",
                "ACC", "NMI", "F1", "ARI", "head", "medium", "tail", "used"));
        for (Map.Entry<String, Map<String, SplitMetrics>> method : report.methods().entrySet()) {
            for (Map.Entry<String, SplitMetrics> split : method.getValue().entrySet()) {
                SplitMetrics m = split.getValue();
                text.append(String.format(Locale.ROOT, "%-8s %-6s %6.1f %6.1f %6.1f %6.1f %6.1f %6.1f %6.1f %7s%n",
                        method.getKey(), split.getKey(), 100 * m.acc(), 100 * m.nmi(), 100 * m.f1(), 100 * m.ari(),
                        100 * m.head(), 100 * m.medium(), 100 * m.tail(),
                        CollapseCheck.clustersUsed(m.clusterSizes()) + "/" + m.clusterSizes().length));
            }
        }
        return text.toString();
    }

    /** Where the results are, for the end of a run: only the outputs that exist. */
    public String summary() throws IOException {
        Path root = run.root();
        StringBuilder text = new StringBuilder();
        text.append("assignments: ").append(new Path(root, "assignments")).append("  (one partition per method: ")
                .append(String.join(", ", List.copyOf(config.reportedMethods()))).append(")\n");
        if (run.fileExists(MetricsJson.FILE_NAME)) {
            text.append("metrics:     ").append(new Path(root, MetricsJson.FILE_NAME)).append('\n');
        }
        if (run.fileExists(ReportHtml.FILE_NAME)) {
            text.append("report:      ").append(new Path(root, ReportHtml.FILE_NAME)).append('\n');
        }
        if (run.fileExists(RUN_SUCCESS)) {
            text.append("complete:    ").append(new Path(root, RUN_SUCCESS)).append("  (fingerprint ")
                    .append(fingerprints.run().hash()).append(")\n");
        }
        return text.toString();
    }
}
