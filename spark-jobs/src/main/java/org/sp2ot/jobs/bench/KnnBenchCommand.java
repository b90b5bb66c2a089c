package org.sp2ot.jobs.bench;

import static org.apache.spark.sql.functions.col;

import java.lang.management.ManagementFactory;
import java.util.Locale;
import java.util.SplittableRandom;

import dev.ludovic.netlib.blas.BLAS;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.storage.StorageLevel;
import org.sp2ot.datasets.SyntheticLongTail;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.ml.knn.KnnGraphBuilder;
import org.sp2ot.ml.knn.KnnOptions;

/**
 * {@code sp2ot bench knn [--n 100000] [--k 20] [--block-size 0 = auto] [--seed S]}: times the exact k-NN graph
 * build end to end (validation, blocking, GEMMs, top-k merge) on the first N rows of the "large" long-tailed demo
 * features (768 dimensions) and compares the achieved rate {@code 2 N^2 d / seconds} with this machine's SGEMM
 * peak measured in the same run (a 2048^3 SGEMM through the same BLAS, with OpenBLAS's own threads). The builder
 * computes only the block pairs i &le; j, about half of those flops, so the rate is "dense-equivalent" and can
 * exceed what the GEMMs themselves achieve. Both rates are given per wall second and per second of this process's
 * CPU time; the latter is not distorted by other processes competing for the cores.
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
        long seed;
        try {
            seed = Long.parseLong(args.get("seed", Long.toString(SyntheticLongTail.DEFAULT_SEED)));
        } catch (NumberFormatException e) {
            throw new UsageException("--seed must be an integer, got '" + args.get("seed") + "'");
        }
        KnnOptions options;
        try {
            options = KnnOptions.defaults().withK(args.getInt("k", KnnOptions.DEFAULT_K))
                    .withBlockSize(args.getInt("block-size", KnnOptions.DEFAULT_BLOCK_SIZE));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        if (n < 2) {
            throw new UsageException("--n must be at least 2, got " + n);
        }
        args.rejectUnread();

        BLAS blas = BLAS.getInstance();
        double[] peak = sgemmPeak(blas);
        SparkSession spark = SparkSession.builder().appName("sp2ot bench knn").getOrCreate();
        Dataset<Row> features = largePresetFeatures(spark, n, seed)
                .persist(StorageLevel.MEMORY_AND_DISK());
        features.count();
        int dim = features.first().getList(1).size();

        long start = System.nanoTime();
        long cpuStart = processCpuNanos();
        Dataset<Row> graph = KnnGraphBuilder.build(features, options);
        double seconds = (System.nanoTime() - start) / 1e9;
        double cpuSeconds = (processCpuNanos() - cpuStart) / 1e9;
        graph.unpersist();
        features.unpersist();

        double flops = 2.0 * n * (double) n * dim;
        int cores = JavaSparkContext.fromSparkContext(spark.sparkContext()).defaultParallelism();
        int blockSize = options.blockSizeFor(n, dim, cores);
        int blocks = (n + blockSize - 1) / blockSize;
        System.out.printf(Locale.ROOT, "bench knn: N = %d, d = %d, k = %d, block size %d%s (%d blocks, %d pairs), "
                + "%d Spark cores%n", n, dim, options.k(), blockSize,
                options.blockSize() == KnnOptions.AUTO_BLOCK_SIZE ? " (auto)" : "", blocks,
                (long) blocks * (blocks + 1) / 2, cores);
        System.out.printf(Locale.ROOT, "%-34s %s (OPENBLAS_NUM_THREADS=%s, OPENBLAS_CORETYPE=%s)%n", "BLAS",
                blas.getClass().getName(), System.getenv().getOrDefault("OPENBLAS_NUM_THREADS", "unset"),
                System.getenv().getOrDefault("OPENBLAS_CORETYPE", "unset"));
        System.out.printf(Locale.ROOT, "%-34s %10.1f GFLOP/s wall, %.1f GFLOP per CPU-second%n",
                "sgemm " + PEAK_SIZE + "^3 peak (best of 3)", peak[0], peak[1]);
        System.out.printf(Locale.ROOT, "%-34s %10.2f s wall, %.2f CPU-seconds%n", "knn graph, end to end", seconds,
                cpuSeconds);
        System.out.printf(Locale.ROOT, "%-34s %10.1f GFLOP/s = %.0f%% of peak%n", "2 N^2 d / wall time",
                flops / seconds / 1e9, 100.0 * flops / seconds / 1e9 / peak[0]);
        System.out.printf(Locale.ROOT, "%-34s %10.1f GFLOP/CPU-s = %.0f%% of peak%n", "2 N^2 d / CPU time",
                flops / cpuSeconds / 1e9, 100.0 * flops / cpuSeconds / 1e9 / peak[1]);
        return 0;
    }

    /**
     * The best of three 2048^3 SGEMMs (after one warm-up) through {@code blas}: GFLOP per wall second, and GFLOP per
     * second of this process's CPU time (which other processes sharing the machine do not distort).
     */
    static double[] sgemmPeak(BLAS blas) {
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
        double bestWall = Double.MAX_VALUE;
        double bestCpu = Double.MAX_VALUE;
        for (int rep = 0; rep < 3; rep++) {
            long start = System.nanoTime();
            long cpuStart = processCpuNanos();
            blas.sgemm("N", "N", m, m, m, 1f, a, m, b, m, 0f, c, m);
            bestWall = Math.min(bestWall, (System.nanoTime() - start) / 1e9);
            bestCpu = Math.min(bestCpu, (processCpuNanos() - cpuStart) / 1e9);
        }
        double gflop = 2.0 * m * (double) m * m / 1e9;
        return new double[] {gflop / bestWall, gflop / bestCpu};
    }

    /** CPU time of this whole process (all threads: Spark tasks, BLAS threads, GC) in nanoseconds. */
    static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /**
     * The first {@code n} rows of the datasets' demo "large" preset ({@link SyntheticLongTail}: 100 long-tailed
     * classes, 768 dimensions, about 112k rows).
     */
    static Dataset<Row> largePresetFeatures(SparkSession spark, int n, long seed) {
        SyntheticLongTail large = SyntheticLongTail.of(SyntheticLongTail.Preset.LARGE, seed);
        long available = large.mixture().numRows();
        if (n > available) {
            throw new UsageException("--n " + n + " exceeds the " + available + " rows of the large demo preset");
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        return large.features(spark, Math.max(1, 2 * jsc.defaultParallelism())).where(col("id").lt(n));
    }
}
