package org.sp2ot.jobs;

import java.io.PrintStream;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.jobs.eval.EvaluationReport;
import org.sp2ot.jobs.io.RunDirectory;

/**
 * One stage of a run: {@code sp2ot extract | knn | train | assign | evaluate --config FILE --run-id ID [--set ...]
 * [--overwrite]} (DESIGN.md, "Command line"). The stage reads its inputs from the run directory (an earlier stage
 * or {@code run} wrote them) and fails naming the stage to run first when they are missing. The run id must be
 * given (option or config): a fresh timestamp would name an empty run.
 * <ul>
 *   <li>{@code extract}: the input (demo data, feature table, or images through the model) to {@code manifest/}
 *       and {@code features/};</li>
 *   <li>{@code knn}: {@code knn/};</li>
 *   <li>{@code train}: one head per method in {@code train.methods};</li>
 *   <li>{@code assign}: the assignments of every method, and the k-means baseline's when enabled;</li>
 *   <li>{@code evaluate}: {@code report.html} and {@code metrics.json}, then {@code config.conf} and the completion
 *       marker {@code _RUN_SUCCESS} (when every output of the run is current).</li>
 * </ul>
 */
public final class StageCommand implements Command {
    private final String stage;
    private final PrintStream console;

    public StageCommand(String stage) {
        this(stage, System.out);
    }

    public StageCommand(String stage, PrintStream console) {
        if (!List.of("extract", "knn", "train", "assign", "evaluate").contains(stage)) {
            throw new IllegalArgumentException("no stage named " + stage);
        }
        this.stage = stage;
        this.console = console;
    }

    @Override
    public String name() {
        return stage;
    }

    @Override
    public String summary() {
        return "one stage of a run: --config FILE --run-id ID [--set key=value ...] [--overwrite]";
    }

    @Override
    public String help() {
        String what = switch (stage) {
            case "extract" -> "the input (demo data, a feature table, or images through the model) to manifest/ and"
                    + " features/";
            case "knn" -> "the k-NN graph knn/ from features/";
            case "train" -> "one head per method in train.methods (model/<method>/, train-weights/<method>/), resuming"
                    + " from checkpoints";
            case "assign" -> "assignments/method=<m>/ for every method, and the k-means baseline when enabled";
            default -> "report.html and metrics.json from the assignments, then config.conf and _RUN_SUCCESS";
        };
        return "usage: sp2ot " + stage + " --config FILE --run-id ID [--set key=value ...] [--overwrite]\n\n"
                + "One stage of an existing run: " + what + ".\n"
                + "Its inputs must be current (produced with the config's settings); otherwise it names the stage to"
                + " run first.\nA current output is skipped; a stale one is recomputed, and the outputs downstream of"
                + " it are removed\n(run the later stages, or 'sp2ot run', to recompute them).\n\n"
                + "Options:\n"
                + "  --config FILE      the run config\n"
                + "  --run-id ID        the run (required: the stage works on <out>/<run-id>/)\n"
                + "  --set key=value    override a config key; repeatable\n"
                + "  --overwrite        recompute the stage even when its output is current\n\n"
                + "Example:\n  sp2ot " + stage + " --config conf/demo.conf --run-id demo-1"
                + (stage.equals("train") ? " --set train.methods=sp2ot" : "") + "\n";
    }

    @Override
    public int run(Args args) throws Exception {
        RunConfig config = RunCommand.loadConfig(args);
        boolean overwrite = args.flag("overwrite");
        args.rejectUnread();
        if (!config.runIdGiven()) {
            throw new UsageException("the " + stage + " stage works on an existing run: give its id with --run-id ID"
                    + " (or run-id in the config)");
        }
        if (stage.equals("extract")) {
            config.checkInputsExist(new Configuration());
        }
        SparkSession spark = SparkSessions.start(config);
        try (RunDirectory run = RunDirectory.open(spark.sparkContext().hadoopConfiguration(), config.out(),
                config.runId())) {
            RunPipeline pipeline = new RunPipeline(config, spark, run, overwrite, console);
            switch (stage) {
                case "extract" -> pipeline.extract();
                case "knn" -> pipeline.knn();
                case "train" -> {
                    for (String method : config.train().methods()) {
                        pipeline.train(method);
                    }
                }
                case "assign" -> {
                    for (String method : config.train().methods()) {
                        pipeline.assign(method);
                    }
                    if (config.evaluate().kmeans()) {
                        pipeline.kmeans();
                    }
                }
                default -> {
                    EvaluationReport report = pipeline.evaluate();
                    pipeline.complete();
                    console.print(pipeline.summary());
                    if (report != null) {
                        console.print(RunPipeline.metricsTable(report));
                    }
                }
            }
        }
        return 0;
    }
}
