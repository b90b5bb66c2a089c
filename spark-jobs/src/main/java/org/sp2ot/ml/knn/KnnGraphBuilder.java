package org.sp2ot.ml.knn;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;

import dev.ludovic.netlib.blas.BLAS;
import org.apache.spark.HashPartitioner;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sp2ot.ml.progress.StageProgress;
import scala.Tuple2;

/**
 * Builds the exact k-NN semantic graph of ALGORITHM.md §3 from the {@code features} table, distributed, and returns
 * it as the {@code knn} table (id long, neighbors array&lt;long&gt; nearest first, weights array&lt;float&gt;).
 *
 * <p>How: rows are L2-normalised and cut into blocks of {@code blockSize} consecutive ids (by id rank, so every
 * block but the last has exactly {@code blockSize} rows whatever the labels). For every block pair (i, j) with
 * i &le; j one task computes the {@code blockSize x blockSize} cosine matrix with native SGEMM
 * ({@link BlockSimilarity}) and keeps, for each row of i and of j, its k best candidates ({@link RowTopK}); the
 * similarity being symmetric, the lower triangle of pairs would only repeat work, so it is skipped (half the
 * flops of all pairs, at the price of each pair emitting two partial lists). Partial lists are merged per block
 * with {@code reduceByKey}. A task's memory is bounded by the block size, not by N; the shuffle carries
 * {@code N * (number of blocks) * k} (id, score) entries. The pairs come from {@code cartesian} over the cached
 * blocks: pairs with i &gt; j are scheduled too but return at once (free in local mode; on a cluster they still
 * fetch their two cached blocks). Executors should run BLAS single-threaded ({@code
 * spark.executorEnv.OPENBLAS_NUM_THREADS=1}), since Spark already runs one task per core.
 *
 * <p>Ordering: higher cosine first, ties broken by the smaller id; a row never lists itself. The edge weight is
 * {@link KnnKernel#weight} of the cosine, so the gauss kernel is evaluated on the L2-normalised features
 * ({@code ||x_i - x_j||^2 = 2 - 2 cos}); both kernels are monotone in the cosine, so the neighbour lists do not
 * depend on the kernel. On unit vectors the gauss weights lie in [exp(-2 / (sigma^2 d)), 1], about [0.99935, 1]
 * for d = 768 and sigma = 2: nearly uniform, as ALGORITHM.md's formula gives at that scale.
 *
 * <p>Input checks (one pass before any heavy work, {@link FeatureCensus}), each failing with an
 * {@link IllegalArgumentException} that names the offending ids: null ids or features, NaN/infinite values,
 * all-zero rows, rows whose dimension differs from the expected one (or from the one most rows have), duplicate
 * ids, and {@code k >= N - 1}.
 */
public final class KnnGraphBuilder {
    /** The {@code knn} table's schema (DESIGN.md, "Stage contracts"). */
    public static final StructType SCHEMA = new StructType(new StructField[] {
        DataTypes.createStructField("id", DataTypes.LongType, false),
        DataTypes.createStructField("neighbors", DataTypes.createArrayType(DataTypes.LongType, false), false),
        DataTypes.createStructField("weights", DataTypes.createArrayType(DataTypes.FloatType, false), false),
    });

    private static final Logger LOG = LoggerFactory.getLogger(KnnGraphBuilder.class);

    private KnnGraphBuilder() {
    }

    /** The class of the BLAS that the GEMMs run on in this JVM: {@code JNIBLAS} is native (OpenBLAS here). */
    public static String blasImplementation() {
        return BLAS.getInstance().getClass().getName();
    }

    /**
     * Builds the graph. The work runs now; the returned DataFrame is cached (a few tens of bytes per row times k):
     * {@code unpersist()} it when written.
     *
     * @param features a table with {@code id} (integral) and {@code features} (array of numbers, or an ML Vector)
     * @throws IllegalArgumentException on invalid input, naming the rows and the fix
     */
    public static Dataset<Row> build(Dataset<Row> features, KnnOptions options) {
        return build(features, options, StageProgress.LOG_SINK, StageProgress.DEFAULT_INTERVAL_MS);
    }

    /**
     * {@link #build(Dataset, KnnOptions)} reporting "knn: block pairs done/M, rate, ETA" to {@code progress} every
     * {@code progressMillis} while the block pairs run.
     */
    public static Dataset<Row> build(Dataset<Row> features, KnnOptions options, Consumer<String> progress,
            long progressMillis) {
        long start = System.nanoTime();
        Dataset<Row> input = standardColumns(features);
        FeatureCensus census = input.javaRDD().mapPartitions(KnnGraphBuilder::census)
                .fold(new FeatureCensus(), FeatureCensus::merge);
        int dim = census.validate(options.expectedDim());
        long[] sortedIds = census.sortedDistinctIds();
        int n = sortedIds.length;
        int k = options.k();
        if (k >= n - 1) {
            throw new IllegalArgumentException("k = " + k + " neighbours need more than k + 1 rows, but the features "
                    + "have N = " + n + " rows: choose k < N - 1 = " + (n - 1));
        }
        int cores = Math.max(1, input.sparkSession().sparkContext().defaultParallelism());
        int blockSize = options.blockSizeFor(n, dim, cores);
        int blockCount = (n + blockSize - 1) / blockSize;
        long[] firstIds = new long[blockCount];
        for (int b = 0; b < blockCount; b++) {
            firstIds[b] = sortedIds[b * blockSize];
        }
        LOG.info("k-NN graph: N = {}, d = {}, k = {}, kernel = {}, {} blocks of up to {} rows, {} block pairs, "
                + "{}BLAS on the driver: {}", n, dim, k, options.kernel().cliName(), blockCount, blockSize,
                (long) blockCount * (blockCount + 1) / 2,
                options.blockSize() == KnnOptions.AUTO_BLOCK_SIZE ? "size chosen for " + cores + " cores, " : "",
                blasImplementation());

        JavaRDD<FeatureBlock> blocks = input.select("id", "features").javaRDD()
                .mapToPair(row -> new Tuple2<>(blockOf(firstIds, row.getLong(0)),
                        new Tuple2<>(row.getLong(0), toFloatArray(row.getList(1)))))
                .groupByKey(new HashPartitioner(blockCount))
                .map(entry -> assembleBlock(entry._1(), entry._2(), dim))
                .persist(StorageLevel.MEMORY_AND_DISK());
        long validated = System.nanoTime();
        long pairCount = (long) blockCount * (blockCount + 1) / 2;
        StageProgress pairs = null;
        try {
            blocks.count();
            long blocked = System.nanoTime();
            KnnKernel kernel = options.kernel();
            double sigma = options.sigma();
            pairs = StageProgress.start(input.sparkSession().sparkContext(), "knn", "block pairs", pairCount,
                    progress, progressMillis);
            LongAccumulator pairsDone = pairs.counter();
            JavaRDD<Row> rows = blocks.cartesian(blocks)
                    .flatMapToPair(pair -> blockPairTopK(pair._1(), pair._2(), k, pairsDone))
                    .reduceByKey((x, y) -> {
                        x.mergeFrom(y);
                        return x;
                    }, blockCount)
                    .flatMap(entry -> graphRows(entry._2(), kernel, dim, sigma));
            Dataset<Row> graph = input.sparkSession().createDataFrame(rows, SCHEMA)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            long written = graph.count();
            pairs.close();
            pairs = null;
            if (written != n) {
                throw new IllegalStateException("k-NN graph has " + written + " rows for " + n + " features");
            }
            long done = System.nanoTime();
            LOG.info("k-NN graph timings: validation {} s, blocking {} s, block pairs and merge {} s",
                    seconds(validated - start), seconds(blocked - validated), seconds(done - blocked));
            return graph;
        } finally {
            if (pairs != null) {
                pairs.close();
            }
            blocks.unpersist(false);
        }
    }

    /** {@code id} as long and {@code features} as array&lt;float&gt;, whatever numeric array or vector came in. */
    static Dataset<Row> standardColumns(Dataset<Row> features) {
        List<String> names = Arrays.asList(features.columns());
        if (!names.contains("id") || !names.contains("features")) {
            throw new IllegalArgumentException("a features table needs columns 'id' and 'features', got " + names);
        }
        DataType idType = features.schema().apply("id").dataType();
        if (!(idType.equals(DataTypes.LongType) || idType.equals(DataTypes.IntegerType))) {
            throw new IllegalArgumentException("column 'id' must be long or int, got " + idType.simpleString());
        }
        DataType featureType = features.schema().apply("features").dataType();
        Column asFloats;
        if (featureType instanceof VectorUDT) {
            asFloats = org.apache.spark.ml.functions.vector_to_array(col("features"), "float32");
        } else if (featureType instanceof ArrayType array && array.elementType() instanceof NumericType) {
            asFloats = col("features").cast(DataTypes.createArrayType(DataTypes.FloatType));
        } else {
            throw new IllegalArgumentException("column 'features' must be an array of numbers or an ML Vector, got "
                    + featureType.simpleString());
        }
        return features.select(col("id").cast(DataTypes.LongType).as("id"), asFloats.as("features"));
    }

    private static String seconds(long nanos) {
        return String.format(java.util.Locale.ROOT, "%.2f", nanos / 1e9);
    }

    /** The block holding {@code id}: the last block whose first id is not above it. */
    static int blockOf(long[] firstIds, long id) {
        int found = Arrays.binarySearch(firstIds, id);
        return found >= 0 ? found : -found - 2;
    }

    private static Iterator<FeatureCensus> census(Iterator<Row> rows) {
        FeatureCensus census = new FeatureCensus();
        while (rows.hasNext()) {
            Row row = rows.next();
            census.add(row.isNullAt(0) ? null : row.getLong(0), row.isNullAt(1) ? null : toFloatArray(row.getList(1)));
        }
        return List.of(census).iterator();
    }

    /** The values as floats, a null element as NaN. */
    private static float[] toFloatArray(List<Object> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            Object value = values.get(i);
            out[i] = value == null ? Float.NaN : (Float) value;
        }
        return out;
    }

    private static FeatureBlock assembleBlock(int index, Iterable<Tuple2<Long, float[]>> members, int dim) {
        List<Tuple2<Long, float[]>> sorted = new ArrayList<>();
        members.forEach(sorted::add);
        sorted.sort((x, y) -> Long.compare(x._1(), y._1()));
        long[] ids = new long[sorted.size()];
        float[] rows = new float[sorted.size() * dim];
        for (int r = 0; r < ids.length; r++) {
            ids[r] = sorted.get(r)._1();
            System.arraycopy(sorted.get(r)._2(), 0, rows, r * dim, dim);
        }
        return FeatureBlock.normalised(index, ids, rows, dim);
    }

    private static Iterator<Tuple2<Integer, RowTopK>> blockPairTopK(FeatureBlock a, FeatureBlock b, int k,
            LongAccumulator pairsDone) {
        if (a.index() > b.index()) {
            return Collections.emptyIterator();
        }
        pairsDone.add(1);
        RowTopK forA = new RowTopK(a.ids(), k);
        RowTopK forB = a.index() == b.index() ? null : new RowTopK(b.ids(), k);
        new BlockSimilarity(BLAS.getInstance()).accumulate(a, b, forA, forB);
        return forB == null ? List.of(new Tuple2<>(a.index(), forA)).iterator()
                : List.of(new Tuple2<>(a.index(), forA), new Tuple2<>(b.index(), forB)).iterator();
    }

    private static Iterator<Row> graphRows(RowTopK selection, KnnKernel kernel, int dim, double sigma) {
        int k = selection.k();
        List<Row> rows = new ArrayList<>(selection.rows());
        for (int r = 0; r < selection.rows(); r++) {
            long[] neighbors = new long[k];
            float[] cosines = new float[k];
            if (selection.sortedInto(r, neighbors, cosines) != k) {
                throw new IllegalStateException("row " + selection.rowId(r) + " found fewer than k = " + k
                        + " neighbours");
            }
            float[] weights = new float[k];
            for (int e = 0; e < k; e++) {
                weights[e] = kernel.weight(cosines[e], dim, sigma);
            }
            rows.add(RowFactory.create(selection.rowId(r), neighbors, weights));
        }
        return rows.iterator();
    }
}
