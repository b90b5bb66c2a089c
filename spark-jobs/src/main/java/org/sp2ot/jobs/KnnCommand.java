package org.sp2ot.jobs;

import java.io.IOException;
import java.util.Locale;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.sp2ot.datasets.FeatureTable;
import org.sp2ot.datasets.io.StagedOutput;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.ml.knn.KnnGraphBuilder;
import org.sp2ot.ml.knn.KnnKernel;
import org.sp2ot.ml.knn.KnnOptions;

/**
 * {@code sp2ot knn --features F.npy|F.parquet --out PATH [--k 20] [--kernel gauss|cos] [--sigma 2]
 * [--block-size B] [--overwrite]}: the stand-alone k-NN graph build (DESIGN.md, "Command line").
 *
 * <p>With {@code --config FILE} the same word runs the knn stage of a run instead
 * ({@code sp2ot knn --config FILE --run-id ID [--set ...] [--overwrite]}, see {@link org.sp2ot.jobs.StageCommand}).
 *
 * <p>The features are read and validated by datasets' {@link FeatureTable}: a {@code .npy} (N, d) float matrix whose
 * row numbers are the ids (read on the driver), or a Parquet {@code features} table. The
 * {@code knn} table is written to a staging directory next to {@code --out} and renamed into place once complete,
 * so {@code --out} never holds a partial graph. An existing {@code --out} is replaced only with {@code --overwrite}.
 */
public final class KnnCommand implements Command {

    @Override
    public String name() {
        return "knn";
    }

    @Override
    public String summary() {
        return "k-NN graph: --features F.npy|F.parquet --out PATH [--k 20], or the knn stage of a run: "
                + "--config FILE --run-id ID";
    }

    @Override
    public String help() {
        return """
                usage: sp2ot knn --features F.npy|F.parquet --out PATH [--k 20] [--kernel gauss|cos] [--sigma 2.0]
                                 [--block-size 1024] [--overwrite]
                       sp2ot knn --config FILE --run-id ID [--set key=value ...] [--overwrite]

                The exact k-NN graph (id, neighbors, weights; self excluded, nearest first) of a feature table,
                written as Parquet to --out; or, with --config, the knn stage of a run.

                Options:
                  --features F     a (N, d) float .npy (row number = id) or a Parquet table with id, features
                  --out PATH       where the graph goes (any Hadoop path); must not exist unless --overwrite
                  --k K            neighbours per row, K < N - 1 (default 20)
                  --kernel NAME    gauss: exp(-|xi-xj|^2 / (2 sigma^2 d)) | cos: cosine similarity (default gauss)
                  --sigma S        gauss kernel width (default 2.0)
                  --block-size B   rows per block of the blocked distance computation (default 1024)
                  --overwrite      replace an existing --out

                Example:
                  sp2ot knn --features feats.npy --out /tmp/graph.parquet --k 10
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        if (args.get("config") != null) {
            return new StageCommand("knn").run(args);
        }
        String featuresPath = args.require("features");
        String out = args.require("out");
        KnnOptions options;
        try {
            options = KnnOptions.defaults()
                    .withK(args.getInt("k", KnnOptions.DEFAULT_K))
                    .withKernel(KnnKernel.parse(args.get("kernel", KnnKernel.GAUSS.cliName())))
                    .withSigma(args.getDouble("sigma", KnnOptions.DEFAULT_SIGMA))
                    .withBlockSize(args.getInt("block-size", KnnOptions.DEFAULT_BLOCK_SIZE));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        boolean overwrite = args.flag("overwrite");
        args.rejectUnread();

        SparkSession spark = SparkSession.builder().appName("sp2ot knn").getOrCreate();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path target = new Path(out);
        FileSystem fs = target.getFileSystem(hadoop);
        target = fs.makeQualified(target);
        if (fs.exists(target) && !overwrite) {
            throw new UsageException("--out " + target + " already exists; choose another path or add --overwrite");
        }
        Dataset<Row> graph;
        try {
            graph = KnnGraphBuilder.build(readFeatures(spark, featuresPath), options);
        } catch (IllegalArgumentException e) {
            throw new UsageException(featuresPath + ": " + e.getMessage(), e);
        }
        long rows = graph.count();
        StagedOutput staged = new StagedOutput(hadoop, target.getParent().toString(), overwrite);
        try {
            graph.write().parquet(staged.stage(target.getName()).toString());
            staged.commit();
        } finally {
            graph.unpersist();
            staged.abort();
        }
        System.out.printf(Locale.ROOT, "knn: %d rows, k = %d, kernel %s -> %s%n", rows, options.k(),
                options.kernel().cliName(), target);
        return 0;
    }

    /** The features table at {@code path}, read by datasets' {@link FeatureTable} (.npy or Parquet). */
    static Dataset<Row> readFeatures(SparkSession spark, String path) throws IOException {
        Path file = new Path(path);
        if (!file.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(file)) {
            throw new UsageException("--features " + path + " does not exist");
        }
        return FeatureTable.read(spark, path, "auto", Map.of());
    }
}
