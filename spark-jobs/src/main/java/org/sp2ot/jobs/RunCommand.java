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
    public String help() {
        return """
                usage: sp2ot run --config FILE [--set key=value ...] [--run-id ID] [--overwrite]

                Runs every stage into <out>/<run-id>/: extract, knn (when sp2ot is trained), train and assign per
                method, the k-means baseline, evaluate; then writes config.conf and the completion marker
                _RUN_SUCCESS. Under an existing run id a stage whose output was produced with the same settings is
                skipped; a stage whose settings changed (or whose input was recomputed) is recomputed, with
                everything downstream of it, and the console says which setting changed.

                Options:
                  --config FILE      the run config (HOCON) over the defaults (sp2ot-defaults.conf lists every key)
                  --set key=value    override a key; repeatable (--set train.epochs=10 --set train.methods=sp2ot,p2ot);
                                     --set input=PATH is short for input.path
                  --run-id ID        the run directory's name (default: a UTC timestamp); reuse it to resume
                  --overwrite        recompute every stage even when its output is current

                Exit status: 0 done, 2 usage/config error or input rejected, 3 another run holds the run
                directory (retry later), 1 failure during work.

                Examples:
                  sp2ot run --config conf/demo.conf
                  sp2ot run --config conf/cifar100-lt.conf --set input.path=/data/cifar-100-python \\
                      --set extract.model=/models/dino_vits16.pt --run-id nightly-20261201
                """;
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
