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
 *   <li>{@code evaluate}: {@code report.html} and {@code metrics.json}.</li>
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
                case "extract" -> {
                    pipeline.writeConfig();
                    pipeline.extract();
                }
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
                    if (report != null) {
                        console.print(pipeline.summary());
                        console.print(RunPipeline.metricsTable(report));
                    }
                }
            }
        }
        return 0;
    }
}
