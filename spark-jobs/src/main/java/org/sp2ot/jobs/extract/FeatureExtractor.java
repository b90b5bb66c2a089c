package org.sp2ot.jobs.extract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.Consumer;

import javax.imageio.ImageIO;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sp2ot.ml.knn.FeatureBlock;
import org.sp2ot.ml.progress.StageProgress;

/**
 * The extract stage: manifest (id, path, label, ...) in, {@code features} table out (DESIGN.md, "Stage
 * contracts"), computed on the executors with DJL.
 *
 * <p>Each task takes the backbone from {@link ExecutorModels} (loaded once per executor JVM, shared by its tasks),
 * reads its images through Hadoop's file system (local paths, {@code file:}, {@code hdfs://}), decodes them with
 * {@code javax.imageio}, preprocesses them with {@link ImagePreprocessor} and runs the model on batches of
 * {@link ExtractOptions#batchSize()} images. An image that cannot be read or decoded is skipped and reported in
 * the failures table with its error; it never fails the job. The model's output must be one vector per image
 * ({@code (B, D)}, or {@code (B, D, 1, ..., 1)} from a pooled CNN); its dimension D is checked against
 * {@link ExtractOptions#expectedDim()} when that is set. Features can be L2-normalised on the way out.
 */
public final class FeatureExtractor {
    /** The failures report's schema. */
    public static final StructType FAILURES_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("path", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, false);

    private static final Logger LOG = LoggerFactory.getLogger(FeatureExtractor.class);
    private static final StructType OUTCOME_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("label", DataTypes.IntegerType, true)
            .add("path", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true);

    private FeatureExtractor() {
    }

    /**
     * Extracts the features of every manifest row. The work runs now; both returned tables are cached.
     *
     * @param manifest a table with {@code id} (long or int) and {@code path} (string); {@code label} (int) is
     *                 carried over when present
     * @throws IllegalArgumentException when the manifest lacks columns or the model file does not exist
     * @throws org.apache.spark.SparkException when the model cannot be loaded or produces the wrong shape or
     *                                         dimension (the message says which)
     */
    public static ExtractionResult extract(Dataset<Row> manifest, ExtractOptions options) throws IOException {
        return extract(manifest, options, StageProgress.LOG_SINK, StageProgress.DEFAULT_INTERVAL_MS);
    }

    /**
     * {@link #extract(Dataset, ExtractOptions)} reporting "extract: images done/N, rate, ETA" to {@code progress}
     * every {@code progressMillis} while the images are read and run through the model.
     */
    public static ExtractionResult extract(Dataset<Row> manifest, ExtractOptions options, Consumer<String> progress,
            long progressMillis) throws IOException {
        List<String> columns = Arrays.asList(manifest.columns());
        if (!columns.contains("id") || !columns.contains("path")) {
            throw new IllegalArgumentException("a manifest needs columns 'id' and 'path', got " + columns);
        }
        SparkSession spark = manifest.sparkSession();
        Configuration hadoop = spark.sparkContext().hadoopConfiguration();
        Path model = new Path(options.modelPath());
        if (!model.getFileSystem(hadoop).exists(model)) {
            throw new IllegalArgumentException("model " + options.modelPath() + " does not exist: give the path of a "
                    + "TorchScript .pt or ONNX .onnx file");
        }
        Map<String, String> conf = new HashMap<>();
        hadoop.forEach(entry -> conf.put(entry.getKey(), entry.getValue()));
        Dataset<Row> input = manifest.select(col("id").cast(DataTypes.LongType), col("path"),
                columns.contains("label") ? col("label").cast(DataTypes.IntegerType)
                        : lit(null).cast(DataTypes.IntegerType).as("label"));

        long images = input.count();
        int tasks = extractionTasks(images, options.batchSize(), input.rdd().getNumPartitions(),
                spark.sparkContext().defaultParallelism());
        if (tasks > input.rdd().getNumPartitions()) {
            input = input.repartition(tasks);
        }
        Dataset<Row> outcomes;
        Dataset<Row> features;
        Dataset<Row> failures;
        long extracted;
        try (StageProgress extraction = StageProgress.start(spark.sparkContext(), "extract", "images", images,
                progress, progressMillis)) {
            LongAccumulator done = extraction.counter();
            outcomes = spark.createDataFrame(input.javaRDD().mapPartitions(
                    rows -> new PartitionExtraction(rows, options, conf, done)), OUTCOME_SCHEMA)
                    .persist(StorageLevel.MEMORY_AND_DISK());
            features = outcomes.where(col("error").isNull()).select("id", "features", "label");
            failures = outcomes.where(col("error").isNotNull()).select("id", "path", "error");
            extracted = features.count();
        }
        long failed = failures.count();
        int dimension = extracted == 0 ? 0 : features.select(org.apache.spark.sql.functions.size(col("features")))
                .first().getInt(0);
        if (failed > 0) {
            Row first = failures.first();
            LOG.warn("{} of {} images could not be read and were skipped (see the failures table), e.g. id {} {}: {}",
                    failed, extracted + failed, first.getLong(0), first.getString(1), first.getString(2));
        }
        LOG.info("Extracted {} feature vectors of dimension {} with {}", extracted, dimension, options);
        return new ExtractionResult(features, failures, extracted, failed, dimension);
    }

    /**
     * How many tasks extraction runs in: a manifest written as one file arrives as one partition, which would run
     * on one core and report its progress in a single step, so it is spread over up to four tasks per core (never
     * fewer than one batch per task, never fewer tasks than it came in).
     */
    static int extractionTasks(long images, int batch, int partitions, int cores) {
        long batches = Math.max(1, (images + batch - 1) / batch);
        return (int) Math.max(partitions, Math.min(batches, 4L * cores));
    }

    /**
     * Checks the model output for a batch of {@code batch} images and returns its feature dimension.
     *
     * @throws IllegalStateException when the output is not one vector per image or has the wrong dimension
     */
    static int featureDimension(long[] outputShape, int batch, int expectedDim, String model) {
        boolean vectorPerImage = outputShape.length >= 2 && outputShape[0] == batch;
        for (int axis = 2; vectorPerImage && axis < outputShape.length; axis++) {
            vectorPerImage = outputShape[axis] == 1;
        }
        if (!vectorPerImage) {
            throw new IllegalStateException("model " + model + " returned shape " + Arrays.toString(outputShape)
                    + " for a batch of " + batch + " images: a backbone must return one feature vector per image, "
                    + "(B, D) or (B, D, 1, 1); export it without the classifier and with the pooling (e.g. the CLS "
                    + "token of a ViT)");
        }
        int dim = Math.toIntExact(outputShape[1]);
        if (expectedDim > 0 && dim != expectedDim) {
            throw new IllegalStateException("model " + model + " produces " + dim + "-dimensional features but "
                    + expectedDim + " are expected: use the right backbone or change the expected dimension");
        }
        return dim;
    }

    /** Reads and decodes one image through Hadoop's file system. */
    static BufferedImage readImage(String path, Configuration conf) throws IOException {
        Path file = new Path(path);
        FileSystem fs = file.getFileSystem(conf);
        try (InputStream in = fs.open(file)) {
            BufferedImage image = ImageIO.read(in);
            if (image == null) {
                throw new IOException("not an image format javax.imageio can decode (PNG, JPEG, BMP, GIF, WBMP)");
            }
            return image;
        }
    }

    /** One partition's rows, turned lazily into outcome rows one batch at a time. */
    private static final class PartitionExtraction implements Iterator<Row> {
        private final Iterator<Row> rows;
        private final ExtractOptions options;
        private final Configuration conf;
        private final LongAccumulator done;
        private final ImagePreprocessor preprocessor;
        private final ZooModel<NDList, NDList> model;
        private final ArrayDeque<Row> ready = new ArrayDeque<>();
        private final long[] ids;
        private final Object[] labels;
        private final float[] input;
        private int count;

        PartitionExtraction(Iterator<Row> rows, ExtractOptions options, Map<String, String> conf,
                LongAccumulator done) {
            this.rows = rows;
            this.done = done;
            this.options = options;
            this.conf = new Configuration(false);
            conf.forEach(this.conf::set);
            this.preprocessor = options.preprocessor();
            this.model = ExecutorModels.get(options, conf);
            this.ids = new long[options.batchSize()];
            this.labels = new Object[options.batchSize()];
            this.input = new float[options.batchSize() * preprocessor.inputLength()];
            ImageIO.setUseCache(false);
        }

        @Override
        public boolean hasNext() {
            while (ready.isEmpty() && (rows.hasNext() || count > 0)) {
                if (rows.hasNext()) {
                    add(rows.next());
                    if (count == ids.length) {
                        runBatch();
                    }
                } else {
                    runBatch();
                }
            }
            return !ready.isEmpty();
        }

        @Override
        public Row next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return ready.poll();
        }

        private void add(Row row) {
            long id = row.getLong(0);
            String path = row.isNullAt(1) ? null : row.getString(1);
            try {
                if (path == null) {
                    throw new IOException("the manifest row has no path");
                }
                preprocessor.toInput(readImage(path, conf), input, count * preprocessor.inputLength());
                ids[count] = id;
                labels[count] = row.get(2);
                count++;
            } catch (Exception e) {
                ready.add(RowFactory.create(id, null, row.get(2), path, e.getClass().getSimpleName() + ": "
                        + e.getMessage()));
                done.add(1);
            }
        }

        private void runBatch() {
            int batch = count;
            int side = preprocessor.cropSize();
            try (NDManager manager = model.getNDManager().newSubManager()) {
                float[] data = batch == ids.length ? input : Arrays.copyOf(input, batch * preprocessor.inputLength());
                NDArray images = manager.create(data, new Shape(batch, 3, side, side));
                NDList output = model.getBlock().forward(new ParameterStore(manager, false), new NDList(images), false);
                NDArray vectors = output.get(0);
                int dim = featureDimension(vectors.getShape().getShape(), batch, options.expectedDim(),
                        options.modelPath());
                float[] values = vectors.toType(DataType.FLOAT32, false).toFloatArray();
                for (int b = 0; b < batch; b++) {
                    float[] feature = Arrays.copyOfRange(values, b * dim, (b + 1) * dim);
                    if (options.l2Normalize()) {
                        FeatureBlock.normaliseRow(feature, 0, dim);
                    }
                    ready.add(RowFactory.create(ids[b], feature, labels[b], null, null));
                }
                done.add(batch);
            }
            count = 0;
        }
    }
}
