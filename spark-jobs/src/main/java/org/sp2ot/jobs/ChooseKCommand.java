package org.sp2ot.jobs;

import java.io.PrintStream;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sp2ot.jobs.choosek.ChooseK;
import org.sp2ot.jobs.choosek.ChooseKReport;
import org.sp2ot.jobs.choosek.ChooseKResult;
import org.sp2ot.jobs.choosek.KCandidates;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.io.RunDirectory;
import org.sp2ot.ml.Sp2otClustering;
import org.apache.hadoop.conf.Configuration;

/**
 * {@code sp2ot choose-k --config FILE --k LIST|FROM:TO[:STEP] [--run-id ID] [--epochs 10] [--lr 0.02]
 * [--sample 20000] [--tolerance 0.05] [--set ...]}: scores candidate numbers of clusters without labels ({@link ChooseK}) on the
 * run's training features and k-NN graph (the extract and knn stages run first when their outputs are missing),
 * prints a table and the suggested K, and writes {@value ChooseKReport#JSON_FILE} and
 * {@value ChooseKReport#HTML_FILE} into the run directory. The heads are P2OT with the config's train settings
 * but {@code --epochs} and {@code --lr} (short heads need a larger step).
 */
public final class ChooseKCommand implements Command {
    static final int DEFAULT_SAMPLE = 20000;

    private final PrintStream console;

    public ChooseKCommand() {
        this(System.out);
    }

    public ChooseKCommand(PrintStream console) {
        this.console = console;
    }

    @Override
    public String name() {
        return "choose-k";
    }

    @Override
    public String summary() {
        return "suggest K without labels: --config FILE --k LIST|FROM:TO[:STEP] [--run-id ID] [--epochs 10]"
                + " [--lr 0.02] [--sample 20000]";
    }

    @Override
    public String help() {
        return """
                usage: sp2ot choose-k --config FILE --k LIST|FROM:TO[:STEP] [--run-id ID] [--epochs 10] [--lr 0.02]
                                      [--sample 20000] [--tolerance 0.05] [--set key=value ...] [--overwrite]

                Suggests the number of clusters K without labels. Runs the extract and knn stages of the run when
                their outputs are missing; then, for each candidate K, trains two short P2OT heads (seeds train.seed
                and train.seed + 1) and scores every training row's assignment: the share of k-NN edges inside a
                cluster above a size-matched random baseline, the stability across the two seeds (ARI), and the
                clusters in use. Score = graph agreement above chance x stability; the best candidate is the
                largest K within --tolerance of the best score, and the suggestion is the number of clusters it
                used. Prints a table; writes choose-k.json and choose-k.html into the run directory.

                Options:
                  --config FILE      the run config (input, knn, train settings)
                  --k SPEC           candidates: a list (5,10,20) or a range FROM:TO[:STEP] (ends included)
                  --run-id ID        work on this run's features and graph (default: a new run)
                  --epochs N         epochs of each short head (default 10)
                  --lr X             Adam learning rate of the short heads (default 0.02)
                  --sample N         train each head on at most N rows (default 20000); every row is scored
                  --tolerance X      relative tolerance of the best-candidate rule (default 0.05)
                  --set key=value    override a config key; repeatable
                  --overwrite        recompute the run's extract and knn outputs

                Example:
                  sp2ot choose-k --config conf/demo.conf --k 50:200:25 --run-id demo-k
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        RunConfig config = RunCommand.loadConfig(args);
        List<Integer> ks = KCandidates.parse(args.require("k"));
        ChooseK.Options options = new ChooseK.Options(ks, args.getInt("epochs", ChooseK.DEFAULT_EPOCHS),
                args.getInt("sample", DEFAULT_SAMPLE), config.train().seed(),
                args.getDouble("tolerance", ChooseK.DEFAULT_TOLERANCE));
        double lr = args.getDouble("lr", ChooseK.DEFAULT_LR);
        if (!(lr > 0)) {
            throw new org.sp2ot.jobs.cli.UsageException("--lr must be positive, got " + lr);
        }
        boolean overwrite = args.flag("overwrite");
        args.rejectUnread();
        config.checkInputsExist(new Configuration());
        SparkSession spark = SparkSessions.start(config);
        try (RunDirectory run = RunDirectory.open(spark.sparkContext().hadoopConfiguration(), config.out(),
                config.runId())) {
            console.println("sp2ot choose-k " + config.runId() + " -> " + run.root() + "  (K in " + ks + ")");
            RunPipeline pipeline = new RunPipeline(config, spark, run, overwrite, console);
            pipeline.extract();
            pipeline.knn();
            Dataset<Row> knn = spark.read().parquet(run.path(RunPipeline.KNN).toString());
            Sp2otClustering estimator = config.estimator("p2ot").setLr(lr);
            ChooseKResult result = ChooseK.run(pipeline.trainingFeatures(), knn, estimator, options, console);
            run.writeFileAtomically(ChooseKReport.HTML_FILE, ChooseKReport.html(result,
                    "Run " + config.runId() + ", input " + config.input().type() + " " + config.input().path()));
            run.writeFileAtomically(ChooseKReport.JSON_FILE, ChooseKReport.toJson(result));
            console.println();
            console.print(ChooseKReport.table(result));
            console.println("choose-k: " + run.path(ChooseKReport.JSON_FILE) + "\n          "
                    + run.path(ChooseKReport.HTML_FILE));
        }
        return 0;
    }
}
