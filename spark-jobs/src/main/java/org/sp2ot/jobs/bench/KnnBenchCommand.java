package org.sp2ot.jobs.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import dev.ludovic.netlib.blas.BLAS;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.SparkSessions;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.jobs.knn.KnnGraphBuilder;
import org.sp2ot.jobs.knn.KnnOptions;

/**
 * {@code sp2ot bench knn [--n 100000] [--dim 768] [--k 20] [--block-size 4096] [--classes 100] [--seed 0]}: times
 * the exact k-NN graph build end to end (validation, blocking, GEMMs, top-k merge) on generated long-tailed
 * features and compares the achieved rate {@code 2 N^2 d / seconds} with this machine's SGEMM peak measured in the
 * same run (a 2048^3 SGEMM through the same BLAS). The builder computes only the block pairs i &le; j, about half
 * of those flops, so the rate is "dense-equivalent" and can exceed what the GEMMs themselves achieve.
 */
public final class KnnBenchCommand implements Command {
    private static final int PEAK_SIZE = 2048;

    @Override
    public String name() {
        return "knn";
    }

    @Override
    public String summary() {
        return "time the exact k-NN graph on N x d generated features against the SGEMM peak";
    }

    @Override
    public int run(Args args) {
        int n = args.getInt("n", 100_000);
        int dim = args.getInt("dim", 768);
        int classes = args.getInt("classes", 100);
        long seed = args.getInt("seed", 0);
        KnnOptions options;
        try {
            options = KnnOptions.defaults().withK(args.getInt("k", KnnOptions.DEFAULT_K))
                    .withBlockSize(args.getInt("block-size", KnnOptions.DEFAULT_BLOCK_SIZE));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        if (n < 2 || dim < 1 || classes < 1) {
            throw new UsageException("--n must be at least 2, --dim and --classes at least 1");
        }
        args.rejectUnread();

        BLAS blas = BLAS.getInstance();
        double peak = sgemmPeakGflops(blas);
        SparkSession spark = SparkSessions.getOrCreate("sp2ot bench knn");
        Dataset<Row> features = longTailedFeatures(spark, n, dim, classes, seed)
                .persist(StorageLevel.MEMORY_AND_DISK());
        features.count();

        long start = System.nanoTime();
        Dataset<Row> graph = KnnGraphBuilder.build(features, options);
        double seconds = (System.nanoTime() - start) / 1e9;
        graph.unpersist();
        features.unpersist();

        double gflops = 2.0 * n * (double) n * dim / seconds / 1e9;
        int blocks = (n + options.blockSize() - 1) / options.blockSize();
        System.out.printf(Locale.ROOT, "bench knn: N = %d, d = %d, k = %d, block size %d (%d blocks, %d pairs), "
                + "%d Spark cores%n", n, dim, options.k(), options.blockSize(), blocks, (long) blocks * (blocks + 1) / 2,
                JavaSparkContext.fromSparkContext(spark.sparkContext()).defaultParallelism());
        System.out.printf(Locale.ROOT, "%-34s %s (OPENBLAS_NUM_THREADS=%s)%n", "BLAS", blas.getClass().getName(),
                System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "unset"));
        System.out.printf(Locale.ROOT, "%-34s %10.1f GFLOP/s%n", "sgemm " + PEAK_SIZE + "^3 peak (best of 3)", peak);
        System.out.printf(Locale.ROOT, "%-34s %10.2f s%n", "knn graph, end to end", seconds);
        System.out.printf(Locale.ROOT, "%-34s %10.1f GFLOP/s = %.0f%% of peak%n", "2 N^2 d / time", gflops,
                100.0 * gflops / peak);
        return 0;
    }

    /** The best of three 2048^3 SGEMMs (after one warm-up) through {@code blas}, in GFLOP/s. */
    static double sgemmPeakGflops(BLAS blas) {
        int m = PEAK_SIZE;
        SplittableRandom random = new SplittableRandom(1);
        float[] a = new float[m * m];
        float[] b = new float[m * m];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) random.nextDouble(-1, 1);
            b[i] = (float) random.nextDouble(-1, 1);
        }
        float[] c = new float[m * m];
        blas.sgemm("N", "N", m, m, m, 1f, a, m, b, m, 0f, c, m);
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            long start = System.nanoTime();
            blas.sgemm("N", "N", m, m, m, 1f, a, m, b, m, 0f, c, m);
            best = Math.min(best, (System.nanoTime() - start) / 1e9);
        }
        return 2.0 * m * (double) m * m / best / 1e9;
    }

    /**
     * {@code n} rows of {@code dim} floats around {@code classes} random centres, class sizes falling exponentially
     * from the first class to the last with imbalance 100 (the CIFAR-100-LT profile, ALGORITHM.md §5), seeded.
     */
    static Dataset<Row> longTailedFeatures(SparkSession spark, int n, int dim, int classes, long seed) {
        double[] cumulative = new double[classes];
        double total = 0;
        for (int c = 0; c < classes; c++) {
            total += Math.pow(0.01, classes == 1 ? 0 : c / (double) (classes - 1));
            cumulative[c] = total;
        }
        SplittableRandom random = new SplittableRandom(seed);
        float[] centres = new float[classes * dim];
        for (int i = 0; i < centres.length; i++) {
            centres[i] = (float) (random.nextGaussian() * 1.0);
        }
        double sum = total;
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = Math.max(1, jsc.defaultParallelism() * 2);
        List<Integer> sliceIds = new ArrayList<>();
        for (int s = 0; s < slices; s++) {
            sliceIds.add(s);
        }
        JavaRDD<Row> rows = jsc.parallelize(sliceIds, slices).flatMap(slice -> {
            List<Row> out = new ArrayList<>();
            for (long id = slice; id < n; id += slices) {
                SplittableRandom r = new SplittableRandom(seed * 1_000_003L + id);
                double u = r.nextDouble() * sum;
                int c = 0;
                while (cumulative[c] < u) {
                    c++;
                }
                float[] x = new float[dim];
                for (int j = 0; j < dim; j++) {
                    x[j] = centres[c * dim + j] + (float) (0.8 * r.nextGaussian());
                }
                out.add(RowFactory.create(id, x, c));
            }
            return out.iterator();
        });
        StructType schema = new StructType()
                .add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
                .add("label", DataTypes.IntegerType, true);
        return spark.createDataFrame(rows, schema);
    }
}
