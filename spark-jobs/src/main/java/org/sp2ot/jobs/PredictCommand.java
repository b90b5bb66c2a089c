package org.sp2ot.jobs;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.size;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sp2ot.jobs.assign.AssignStage;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.jobs.extract.BackboneFingerprint;
import org.sp2ot.jobs.io.RunDirectory;
import org.sp2ot.jobs.io.StageOutput;
import org.sp2ot.ml.Sp2otClusteringModel;

/**
 * {@code sp2ot predict --model RUN/model/METHOD --input PATH --out PATH [--input-type features|images]
 * [--config FILE] [--set key=value ...] [--overwrite]}: assigns new data with a head a run saved, on the
 * executors, for scheduled jobs (train once, assign every night's images).
 *
 * <p>The input is a feature table (Parquet, .npy, CSV: {@code input.type = features}) or a folder of images
 * ({@code input.dataset = folder}); {@code --input-type} defaults to features for a {@code .npy}/{@code .csv} file or a
 * Parquet directory and to images otherwise. The settings are the training run's {@code config.conf}, then
 * {@code --config} and {@code --set} on top, except the {@code extract} section, which is always the training
 * run's: images go through the same backbone and preprocessing, and the backbone's content hash must equal the one
 * the run recorded at extract time ({@link BackboneFingerprint}), else predict refuses naming both hashes. The
 * features' dimension must be the head's.
 *
 * <p>{@code --out} is laid out like a run directory and written the same way (staged outputs renamed into place, a
 * lock): {@code manifest/}, {@code features/}, {@code extract-failures/} (images), {@code assignments/} in the
 * DESIGN.md assignments schema with the model's run id ({@code weight} null: the OT masses are the training rows'),
 * and {@code predict.conf} (what was predicted with what). Rerunning the same command is a no-op; a different model
 * or input on an existing {@code --out} is refused unless {@code --overwrite}.
 */
public final class PredictCommand implements Command {
    /** Where predict records the model and input it used, inside {@code --out}. */
    public static final String RECORD = "predict.conf";
    /** The assignments table inside {@code --out}. */
    public static final String ASSIGNMENTS = "assignments";

    private final PrintStream console;

    public PredictCommand() {
        this(System.out);
    }

    public PredictCommand(PrintStream console) {
        this.console = console;
    }

    @Override
    public String name() {
        return "predict";
    }

    @Override
    public String summary() {
        return "assign new data with a saved head: --model RUN/model/METHOD --input PATH --out PATH";
    }

    @Override
    public String help() {
        return """
                usage: sp2ot predict --model RUN/model/METHOD --input PATH --out PATH [--input-type features|images]
                                     [--config FILE] [--set key=value ...] [--overwrite]

                Assigns new data with a head a run saved, on the executors. The settings are the training run's
                config.conf, then --config and --set on top, except extract.*, which is always the training run's
                (images go through the same backbone, checked by its SHA-256). --out is written like a run
                directory: manifest/, features/, extract-failures/ (images), assignments/, predict.conf.

                Options:
                  --model DIR        a saved head: <run>/model/<method> of a completed run
                  --input PATH       a feature table (Parquet, .npy, CSV) or a folder of images
                  --out PATH         where the predictions go; rerunning the same command is a no-op
                  --input-type T     features | images (default: features for .npy/.csv or a Parquet directory)
                  --config FILE      settings over the training run's config.conf
                  --set key=value    override a key; repeatable
                  --overwrite        replace predictions of another model or input in --out

                Example:
                  sp2ot predict --model runs/nightly/model/sp2ot --input new-features.npy --out runs/nightly-predict
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        String modelPath = args.require("model");
        String input = args.require("input");
        String out = args.require("out");
        String inputType = args.get("input-type", "");
        String userConfig = args.get("config");
        List<String> sets = args.sets();
        boolean overwrite = args.flag("overwrite");
        args.rejectUnread();

        Configuration hadoop = new Configuration();
        org.apache.hadoop.fs.Path model = new org.apache.hadoop.fs.Path(modelPath);
        FileSystem modelFs = model.getFileSystem(hadoop);
        if (!modelFs.exists(new org.apache.hadoop.fs.Path(model, "metadata"))) {
            throw new UsageException("--model " + modelPath + " is not a saved head (no metadata/ inside); give a "
                    + "run's model directory, RUN/model/METHOD, e.g. runs/<run-id>/model/sp2ot");
        }
        org.apache.hadoop.fs.Path runRoot = model.getParent().getParent();
        Config trained = readRunConfig(modelFs, new org.apache.hadoop.fs.Path(runRoot, RunPipeline.CONFIG_FILE));
        String type = inputType.isEmpty() ? guessType(hadoop, input) : inputType;
        if (!type.equals("features") && !type.equals("images")) {
            throw new UsageException("--input-type must be features or images, got '" + type + "'");
        }
        RunConfig config = predictConfig(trained, userConfig, sets, type, input);
        config.checkInputsExist(hadoop);

        long start = System.nanoTime();
        SparkSession spark = SparkSessions.start(config);
        org.apache.hadoop.fs.Path outPath = new org.apache.hadoop.fs.Path(out);
        Sp2otClusteringModel head = Sp2otClusteringModel.load(modelPath);
        String record = "model = \"" + model.getFileSystem(hadoop).makeQualified(model) + "\"\n"
                + "input = \"" + input + "\"\ninput-type = " + type + "\nrun-id = \"" + config.runId() + "\"\n";
        try (RunDirectory dir = RunDirectory.open(spark.sparkContext().hadoopConfiguration(),
                outPath.getParent() == null ? "." : outPath.getParent().toString(), outPath.getName())) {
            if (!overwrite && dir.isComplete(ASSIGNMENTS)) {
                String previous = readText(dir.fs(), dir.path(RECORD));
                if (record.equals(previous)) {
                    console.println("predict skipped: " + dir.path(ASSIGNMENTS) + " is complete for this model and "
                            + "input (use --overwrite to recompute)");
                    return 0;
                }
                throw new UsageException(dir.root() + " holds the predictions of another model or input ("
                        + dir.path(RECORD) + "); choose another --out or pass --overwrite");
            }
            if (type.equals("images")) {
                checkBackbone(dir.fs().getConf(), modelFs, runRoot, config);
            }
            InputStage.materialize(config, spark, dir, console);
            Dataset<Row> features = spark.read().parquet(dir.path(RunPipeline.FEATURES).toString());
            int dim = features.select(size(col("features"))).first().getInt(0);
            if (dim != head.clusterHead().dim()) {
                throw new IllegalArgumentException("the model " + modelPath + " was trained on features of dimension "
                        + head.clusterHead().dim() + " but " + input + " has features of dimension " + dim
                        + "; predict with features from the same backbone as the training run");
            }
            Dataset<Row> manifest = spark.read().parquet(dir.path(RunPipeline.MANIFEST).toString());
            StageOutput staged = dir.begin(ASSIGNMENTS, true);
            AssignStage.write(AssignStage.predictions(features, manifest, head, config.runId()), head,
                    staged.stagingUri());
            dir.writeFileAtomically(RECORD, record);
            staged.commit();
            long rows = spark.read().parquet(dir.path(ASSIGNMENTS).toString()).count();
            console.printf(Locale.ROOT, "predict: %d rows assigned with %s (run %s) in %.1f s -> %s%n", rows,
                    modelPath, config.runId(), (System.nanoTime() - start) / 1e9, dir.path(ASSIGNMENTS));
        }
        return 0;
    }

    /**
     * The settings of a prediction: the forced input, then the training run's extract section, then the user's
     * {@code --config} and {@code --set}, then the rest of the training run's config.
     */
    static RunConfig predictConfig(Config trained, String userConfig, List<String> sets, String type, String input) {
        Config user = ConfigFactory.empty();
        if (userConfig != null) {
            Path file = Path.of(userConfig);
            if (!java.nio.file.Files.isRegularFile(file)) {
                throw new UsageException("config file " + file + " does not exist");
            }
            try {
                user = ConfigFactory.parseFile(file.toFile());
            } catch (ConfigException e) {
                throw new UsageException("config file " + file + " cannot be read: " + e.getMessage(), e);
            }
        }
        user = RunConfig.applyOverrides(user, sets);
        Config forced = ConfigFactory.empty()
                .withValue("input.type", ConfigValueFactory.fromAnyRef(type))
                .withValue("run-id", ConfigValueFactory.fromAnyRef(trained.getString("run-id")))
                .withValue("input.path", ConfigValueFactory.fromAnyRef(input));
        if (type.equals("images")) {
            forced = forced.withValue("input.dataset", ConfigValueFactory.fromAnyRef("folder"));
        }
        Config merged = forced;
        if (trained.hasPath("extract")) {
            merged = merged.withFallback(trained.getConfig("extract").atPath("extract"));
        }
        merged = merged.withFallback(user).withFallback(trained);
        return RunConfig.fromUser(merged);
    }

    /** Refuses images when the backbone file is not byte for byte the one the training run extracted with. */
    private static void checkBackbone(Configuration hadoop, FileSystem runFs, org.apache.hadoop.fs.Path runRoot,
                                      RunConfig config) throws IOException {
        org.apache.hadoop.fs.Path recordPath = new org.apache.hadoop.fs.Path(runRoot, BackboneFingerprint.FILE);
        String recorded = readText(runFs, recordPath);
        if (recorded == null) {
            throw new IllegalStateException("the training run " + runRoot + " has no " + BackboneFingerprint.FILE
                    + ": it was not extracted from images by this version (a feature-table or demo run has no "
                    + "backbone); predict from a feature table of the same backbone instead (--input-type features)");
        }
        String model = config.extract().model();
        String now = BackboneFingerprint.of(hadoop, model);
        String then = BackboneFingerprint.hashOf(recorded);
        if (!now.equals(then)) {
            throw new IllegalStateException("the backbone " + model + " differs from the one the training run "
                    + runRoot + " extracted with (sha256 " + then + " recorded in " + recordPath + ", " + now
                    + " now); its features would not match the head. Restore that backbone file or train anew");
        }
    }

    private static Config readRunConfig(FileSystem fs, org.apache.hadoop.fs.Path file) throws IOException {
        String text = readText(fs, file);
        if (text == null) {
            throw new UsageException("the model's run has no " + file + "; --model must be RUN/model/METHOD inside "
                    + "a run directory");
        }
        return ConfigFactory.parseString(text);
    }

    /** features for a .npy/.csv file or a directory of Parquet files, else images. */
    private static String guessType(Configuration hadoop, String input) throws IOException {
        String lower = input.toLowerCase(Locale.ROOT);
        if (lower.endsWith(".npy") || lower.endsWith(".csv") || lower.endsWith(".parquet")) {
            return "features";
        }
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(input);
        FileSystem fs = path.getFileSystem(hadoop);
        if (fs.exists(path) && fs.getFileStatus(path).isDirectory()) {
            List<String> names = new ArrayList<>();
            for (var status : fs.listStatus(path)) {
                names.add(status.getPath().getName());
            }
            if (names.stream().anyMatch(n -> n.endsWith(".parquet"))) {
                return "features";
            }
        }
        return "images";
    }

    private static String readText(FileSystem fs, org.apache.hadoop.fs.Path file) throws IOException {
        if (!fs.exists(file)) {
            return null;
        }
        try (InputStream in = fs.open(file)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
