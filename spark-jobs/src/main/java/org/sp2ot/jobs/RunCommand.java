package org.sp2ot.jobs;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.eval.EvaluationReport;
import org.sp2ot.jobs.io.RunDirectory;

/**
 * {@code sp2ot run --config FILE [--set key=value ...] [--run-id ID] [--overwrite]}: every stage of a run in order
 * (DESIGN.md, "Command line"), then where the assignments, metrics and report are and a compact metrics table.
 * The config is validated and the input paths checked before Spark starts.
 */
public final class RunCommand implements Command {
    private final PrintStream console;

    public RunCommand() {
        this(System.out);
    }

    public RunCommand(PrintStream console) {
        this.console = console;
    }

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run every stage: --config FILE [--set key=value ...] [--run-id ID] [--overwrite]";
    }

    @Override
    public int run(Args args) throws Exception {
        RunConfig config = loadConfig(args);
        boolean overwrite = args.flag("overwrite");
        args.rejectUnread();
        config.checkInputsExist(new Configuration());
        long start = System.nanoTime();
        SparkSession spark = SparkSessions.start(config);
        try (RunDirectory run = RunDirectory.open(spark.sparkContext().hadoopConfiguration(), config.out(),
                config.runId())) {
            console.println("sp2ot run " + config.runId() + " -> " + run.root() + "  (methods "
                    + String.join(", ", config.reportedMethods()) + ")");
            RunPipeline pipeline = new RunPipeline(config, spark, run, overwrite, console);
            EvaluationReport report = pipeline.runAll();
            console.printf(Locale.ROOT, "%nrun %s finished in %.1f s%n", config.runId(),
                    (System.nanoTime() - start) / 1e9);
            console.print(pipeline.summary());
            if (report != null) {
                console.println();
                console.print(RunPipeline.metricsTable(report));
            }
        }
        return 0;
    }

    /** {@code --config FILE}, {@code --set k=v ...} and {@code --run-id ID}: the validated run config. */
    static RunConfig loadConfig(Args args) {
        RunConfig config = RunConfig.load(Path.of(args.require("config")), args.sets());
        String runId = args.get("run-id");
        return runId == null ? config : config.withRunId(runId);
    }
}
