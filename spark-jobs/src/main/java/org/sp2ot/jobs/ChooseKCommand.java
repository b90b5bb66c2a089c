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
            pipeline.writeConfig();
            pipeline.extract();
            pipeline.knn();
            Dataset<Row> knn = spark.read().parquet(run.path(RunPipeline.KNN).toString());
            Sp2otClustering estimator = Sp2otClustering.fromSettings(TrainSettingsMapper.settings(config, "p2ot"))
                    .setLr(lr);
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
