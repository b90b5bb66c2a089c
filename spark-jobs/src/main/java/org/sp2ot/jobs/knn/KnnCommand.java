package org.sp2ot.jobs.knn;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sp2ot.datasets.io.Npy;
import org.sp2ot.datasets.io.NpyArray;
import org.sp2ot.jobs.StageCommand;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.SparkSessions;
import org.sp2ot.jobs.cli.UsageException;

/**
 * {@code sp2ot knn --features F.npy|F.parquet --out PATH [--k 20] [--kernel gauss|cos] [--sigma 2]
 * [--block-size B] [--overwrite]}: the stand-alone k-NN graph build (DESIGN.md, "Command line").
 *
 * <p>With {@code --config FILE} the same word runs the knn stage of a run instead
 * ({@code sp2ot knn --config FILE --run-id ID [--set ...] [--overwrite]}, see {@link org.sp2ot.jobs.StageCommand}).
 *
 * <p>A {@code .npy} file holds an (N, d) float matrix whose row index is the id (it is read on the driver, through
 * Hadoop's file system, so {@code hdfs://} works); anything else is read as a Parquet {@code features} table. The
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
        return "k-NN graph: --features F.npy|F.parquet --out PATH [--k 20], or the knn stage of a run: --config FILE --run-id ID";
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

        SparkSession spark = SparkSessions.getOrCreate("sp2ot knn");
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
        Path staging = new Path(target.getParent(), "_staging-" + target.getName() + "-" + UUID.randomUUID());
        try {
            graph.write().parquet(staging.toString());
            if (fs.exists(target)) {
                fs.delete(target, true);
            }
            if (!fs.rename(staging, target)) {
                throw new IOException("could not rename " + staging + " to " + target);
            }
        } finally {
            graph.unpersist();
            if (fs.exists(staging)) {
                fs.delete(staging, true);
            }
        }
        System.out.printf(Locale.ROOT, "knn: %d rows, k = %d, kernel %s -> %s%n", rows, options.k(),
                options.kernel().cliName(), target);
        return 0;
    }

    /** The features table at {@code path}: a {@code .npy} (N, d) matrix with ids 0..N-1, or Parquet. */
    static Dataset<Row> readFeatures(SparkSession spark, String path) throws IOException {
        if (!path.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            return spark.read().parquet(path);
        }
        Path file = new Path(path);
        FileSystem fs = file.getFileSystem(spark.sparkContext().hadoopConfiguration());
        if (!fs.exists(file) || !fs.getFileStatus(file).isFile()) {
            throw new UsageException("--features " + path + ": no such .npy file");
        }
        NpyArray array;
        try (InputStream in = fs.open(file)) {
            array = Npy.read(in, path);
        }
        int[] shape = array.shape();
        if (shape.length != 2) {
            throw new UsageException("--features " + path + ": a feature matrix must have shape (N, d), got "
                    + Arrays.toString(shape));
        }
        float[] values = array.toFloatArray();
        int n = shape[0];
        int d = shape[1];
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            rows.add(RowFactory.create((long) i, Arrays.copyOfRange(values, i * d, (i + 1) * d)));
        }
        StructType schema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return spark.createDataFrame(jsc.parallelize(rows, Math.max(1, jsc.defaultParallelism())), schema);
    }
}
