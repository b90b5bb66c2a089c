package org.sp2ot.datasets;

import static org.apache.spark.ml.functions.vector_to_array;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.expr;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.size;
import static org.apache.spark.sql.functions.when;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sp2ot.datasets.io.Npy;

/**
 * Feature tables extracted elsewhere, turned into the {@code features} contract (id long, features
 * array&lt;float&gt;, label int null) so the later stages (knn, train, evaluate) run on them unchanged;
 * {@link #manifestFor} gives the matching manifest (path null, split "train").
 *
 * <p>Formats ({@code auto} picks by the name: {@code .npy}, {@code .csv}, otherwise Parquet):
 * <ul>
 *   <li><b>parquet</b>: a features column (option {@code features-col}, default "features") of array&lt;float&gt;,
 *       array&lt;double&gt; or an ML {@code Vector}; optional label column ({@code label-col}, default "label",
 *       integral values) and id column ({@code id-col}, default "id"). Without an id column, ids are the row
 *       positions in Spark's reading order (deterministic for the same files).</li>
 *   <li><b>npy</b>: a 2-d float32/float64 {@code .npy} (rows = samples). The driver reads only the header; the
 *       executors read row ranges at the offsets it gives (about 64 MB per task), so the file may be far larger
 *       than the driver's memory. Labels from an optional 1-d integer {@code .npy} (option {@code labels}), read
 *       the same way. Ids are row numbers.</li>
 *   <li><b>csv</b>: one sample per line, comma-separated numbers; option {@code header} (true/false, default false):
 *       with a header, columns named "id" and "label" are used as such and every other column is a feature;
 *       without one, option {@code label-column} = none (default), first or last says where a label is. Ids are
 *       data line numbers from 0 unless an id column exists.</li>
 * </ul>
 * Validation ({@link #validate}): rows with NaN, infinite or null values and rows whose dimension differs from the
 * expected one (option {@code dim}, else the most common) are rejected, the message naming the first offending
 * ids and their count; ids must be 0..N-1 without duplicates (a manifest needs dense ids); labels must not be
 * negative.
 */
public final class FeatureTable {
    private static final Set<String> OPTIONS = Set.of("features-col", "label-col", "id-col", "labels", "dim",
            "header", "label-column");
    private static final int MAX_NAMED = 5;

    /** Rows per Spark partition of a {@code .npy}: ranges of about this many bytes (and at least one per core). */
    private static final long NPY_RANGE_BYTES = 64L << 20;
    /** The name of the RDD that reads a {@code .npy} (followed by the path): the stage that reads the file. */
    public static final String NPY_RDD_NAME = "npy rows of ";

    private FeatureTable() {
    }

    /**
     * Reads and validates a feature table.
     *
     * @param format  parquet, npy, csv or auto
     * @param options see the class comment; unknown keys are rejected
     */
    public static Dataset<Row> read(SparkSession spark, String path, String format, Map<String, String> options)
            throws IOException {
        Dataset<Row> table = load(spark, path, format, options).table();
        validate(table, expectedDimension(options), path);
        return table;
    }

    /** The {@code dim} option, or -1 (the most common dimension) when absent. */
    public static int expectedDimension(Map<String, String> options) {
        return options.containsKey("dim") ? Integer.parseInt(options.get("dim")) : -1;
    }

    /**
     * The feature table in the {@code features} contract, not yet validated: the caller writes it once and runs
     * {@link #validate} on what it wrote, so the input is read one time. A {@code .npy} is read in row ranges by
     * the executors (the driver reads only the header); CSV and Parquet without an id column are read once into
     * Spark's cache (their parse check and row numbering need a first action): {@code unpersist()} the result when
     * it is written.
     */
    public static Loaded load(SparkSession spark, String path, String format, Map<String, String> options)
            throws IOException {
        for (String key : options.keySet()) {
            if (!OPTIONS.contains(key)) {
                throw new IllegalArgumentException("unknown feature-table option '" + key + "'; known: " + OPTIONS);
            }
        }
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path p = new Path(path);
        FileSystem fs = p.getFileSystem(conf);
        if (!fs.exists(p)) {
            throw new IOException("feature table " + path + " does not exist");
        }
        String resolved = resolveFormat(path, format);
        Dataset<Row> table;
        switch (resolved) {
            case "npy": {
                ReadCheck check = new ReadCheck(spark, path);
                return new Loaded(readNpy(spark, conf, p, options.get("labels"), expectedDimension(options), check),
                        check);
            }
            case "csv":
                table = readCsv(spark, path, Boolean.parseBoolean(options.getOrDefault("header", "false")),
                        options.getOrDefault("label-column", "none"));
                break;
            default:
                table = readParquet(spark, path, options.getOrDefault("features-col", "features"),
                        options.getOrDefault("label-col", "label"), options.getOrDefault("id-col", "id"));
                break;
        }
        return new Loaded(table, null);
    }

    /**
     * A loaded feature table and how to validate it once written.
     *
     * @param table     the table in the features contract, to be written once
     * @param readCheck for a {@code .npy}: what the executors checked while reading (dimension and dense ids hold
     *                  by construction); null when the written copy must be validated with {@link #validate}
     */
    public record Loaded(Dataset<Row> table, ReadCheck readCheck) {
        /**
         * Validates the table after {@code written} (its copy) was written from {@link #table}: from the checks
         * made while reading when there are any, else by {@link #validate} on the written copy.
         */
        public void validateWritten(Dataset<Row> written, int expectedDim, String source) {
            if (readCheck == null) {
                FeatureTable.validate(written, expectedDim, source);
            } else {
                readCheck.throwIfBad();
            }
        }

        /** Releases a cache behind {@link #table} (CSV and Parquet without ids). */
        public void unpersist() {
            table.unpersist();
        }
    }

    /**
     * Rows found invalid by the executors while reading (NaN or infinite values, negative labels), gathered in
     * accumulators of the one action that reads the file, so that no second pass is needed to validate it.
     */
    public static final class ReadCheck implements java.io.Serializable {
        private static final long serialVersionUID = 1L;
        private final String source;
        private final org.apache.spark.util.LongAccumulator bad;
        private final org.apache.spark.util.CollectionAccumulator<String> examples;

        ReadCheck(SparkSession spark, String source) {
            this.source = source;
            this.bad = spark.sparkContext().longAccumulator("invalid rows of " + source);
            this.examples = spark.sparkContext().collectionAccumulator("invalid row examples of " + source);
        }

        /** Records row {@code id} as invalid; each task names at most {@value #MAX_NAMED} rows. */
        void reject(long id, String problem, int namedByThisTask) {
            bad.add(1);
            if (namedByThisTask < MAX_NAMED) {
                examples.add(id + "\t" + problem);
            }
        }

        /** Throws as {@link #validate} does when any row was rejected. */
        void throwIfBad() {
            long count = bad.value();
            if (count == 0) {
                return;
            }
            String named = examples.value().stream()
                    .map(e -> e.split("\t", 2))
                    .sorted((x, y) -> Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0])))
                    .limit(MAX_NAMED).map(e -> "id " + e[0] + " (" + e[1] + ")")
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException(source + ": " + count + " rows with invalid features or labels, e.g. "
                    + named + "; fix or remove them before clustering");
        }
    }

    /** The manifest of a features table: same ids and labels, path and label_name null, split "train". */
    public static Dataset<Row> manifestFor(Dataset<Row> features) {
        Dataset<Row> m = features.select(col("id"), lit(null).cast(DataTypes.StringType).as("path"),
                col("label"), lit(null).cast(DataTypes.StringType).as("label_name"), lit(Manifests.TRAIN).as("split"));
        return features.sparkSession().createDataFrame(m.javaRDD(), Manifests.MANIFEST_SCHEMA);
    }

    /**
     * Rejects a features table (contract columns) with non-finite values, rows of the wrong dimension, ids that
     * are not 0..N-1 or negative labels.
     *
     * @param expectedDim the dimension every row must have; {@code <= 0}: the most common one
     * @throws IllegalArgumentException naming the first offending ids and their count
     */
    public static void validate(Dataset<Row> features, int expectedDim, String source) {
        // One pass when the table is sound; the detailed queries below run only to name what is wrong.
        Column nonFiniteRow = expr("exists(features, x -> x IS NULL OR isnan(x) OR abs(x) = CAST('Infinity' AS FLOAT))");
        Row census = features.agg(expr("count(*)"), expr("count(DISTINCT id)"), expr("min(id)"), expr("max(id)"),
                expr("count_if(features IS NULL)"), expr("min(size(features))"), expr("max(size(features))"),
                org.apache.spark.sql.functions.count_if(nonFiniteRow), expr("count_if(label < 0)")).first();
        long rows = census.getLong(0);
        boolean sound = rows > 0 && census.getLong(4) == 0 && census.getLong(7) == 0 && census.getLong(8) == 0
                && !census.isNullAt(5) && census.getInt(5) == census.getInt(6) && census.getInt(5) >= 1
                && (expectedDim <= 0 || census.getInt(5) == expectedDim)
                && census.getLong(1) == rows && census.getLong(2) == 0 && census.getLong(3) == rows - 1;
        if (sound) {
            return;
        }
        int dim = expectedDim > 0 ? expectedDim : mostCommonDimension(features, source);
        Column nonFinite = expr("exists(features, x -> x IS NULL OR isnan(x) OR abs(x) = CAST('Infinity' AS FLOAT))");
        Dataset<Row> bad = features
                .withColumn("problem", when(col("features").isNull(), "no features")
                        .when(size(col("features")).notEqual(dim),
                                expr("concat('dimension ', size(features), ', expected " + dim + "')"))
                        .when(nonFinite, "NaN or infinite value"))
                .filter(col("problem").isNotNull());
        reject(bad, source, "rows with invalid features");
        reject(features.filter(col("label").lt(0)).withColumn("problem", lit("negative label")), source,
                "rows with negative labels");
        Row ids = features.agg(expr("count(*)"), expr("count(DISTINCT id)"), expr("min(id)"), expr("max(id)"))
                .first();
        long n = ids.getLong(0);
        if (n == 0) {
            throw new IllegalArgumentException(source + ": the feature table is empty");
        }
        if (ids.getLong(1) != n || ids.isNullAt(2) || ids.getLong(2) != 0 || ids.getLong(3) != n - 1) {
            throw new IllegalArgumentException(source + ": ids must be 0.." + (n - 1) + " without duplicates (found "
                    + ids.getLong(1) + " distinct ids from " + ids.get(2) + " to " + ids.get(3) + " in " + n
                    + " rows); drop the id column to have ids assigned");
        }
    }

    private static void reject(Dataset<Row> bad, String source, String what) {
        long count = bad.count();
        if (count > 0) {
            String named = bad.orderBy("id").limit(MAX_NAMED).collectAsList().stream()
                    .map(r -> "id " + r.getAs("id") + " (" + r.getAs("problem") + ")")
                    .collect(Collectors.joining(", "));
            throw new IllegalArgumentException(source + ": " + count + " " + what + ", e.g. " + named
                    + "; fix or remove them before clustering");
        }
    }

    private static int mostCommonDimension(Dataset<Row> features, String source) {
        List<Row> dims = features.filter(col("features").isNotNull())
                .groupBy(size(col("features")).as("d")).count()
                .orderBy(col("count").desc(), col("d").asc()).limit(1).collectAsList();
        if (dims.isEmpty()) {
            throw new IllegalArgumentException(source + ": the feature table has no rows with features");
        }
        int dim = dims.get(0).getInt(0);
        if (dim < 1) {
            throw new IllegalArgumentException(source + ": most rows have empty feature vectors");
        }
        return dim;
    }

    private static String resolveFormat(String path, String format) {
        String f = format == null ? "auto" : format.toLowerCase(Locale.ROOT);
        switch (f) {
            case "parquet":
            case "npy":
            case "csv":
                return f;
            case "auto": {
                String lower = path.toLowerCase(Locale.ROOT);
                if (lower.endsWith(".npy")) {
                    return "npy";
                }
                return lower.endsWith(".csv") ? "csv" : "parquet";
            }
            default:
                throw new IllegalArgumentException("unknown feature-table format '" + format
                        + "'; use parquet, npy, csv or auto");
        }
    }

    private static Dataset<Row> readParquet(SparkSession spark, String path, String featuresCol, String labelCol,
                                            String idCol) {
        Dataset<Row> df = spark.read().parquet(path);
        Set<String> columns = Set.of(df.columns());
        if (!columns.contains(featuresCol)) {
            throw new IllegalArgumentException(path + " has no column '" + featuresCol + "' (columns: " + columns
                    + "); name the features column with option features-col");
        }
        DataType type = df.schema().apply(featuresCol).dataType();
        Column features;
        if (type instanceof VectorUDT) {
            features = vector_to_array(col(featuresCol), "float32");
        } else if (type instanceof ArrayType && ((ArrayType) type).elementType() instanceof NumericType) {
            features = col(featuresCol).cast(DataTypes.createArrayType(DataTypes.FloatType));
        } else {
            throw new IllegalArgumentException(path + ": column '" + featuresCol + "' is " + type.simpleString()
                    + "; expected array<float>, array<double> or an ML Vector");
        }
        Column label;
        if (columns.contains(labelCol)) {
            StructField field = df.schema().apply(labelCol);
            if (!(field.dataType() instanceof NumericType)) {
                throw new IllegalArgumentException(path + ": label column '" + labelCol + "' is "
                        + field.dataType().simpleString() + "; expected integers");
            }
            long fractional = df.filter(col(labelCol).notEqual(col(labelCol).cast(DataTypes.IntegerType))).count();
            if (fractional > 0) {
                throw new IllegalArgumentException(path + ": " + fractional + " label(s) in '" + labelCol
                        + "' are not whole numbers");
            }
            label = col(labelCol).cast(DataTypes.IntegerType);
        } else {
            label = lit(null).cast(DataTypes.IntegerType);
        }
        Dataset<Row> selected;
        if (columns.contains(idCol)) {
            selected = df.select(col(idCol).cast(DataTypes.LongType).as("id"), features.as("features"),
                    label.as("label"));
        } else {
            // zipWithIndex counts the partitions first: cache so that the file is read once.
            Dataset<Row> noId = df.select(features.as("features"), label.as("label"))
                    .persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
            JavaRDD<Row> numbered = noId.javaRDD().zipWithIndex()
                    .map(t -> RowFactory.create(t._2(), t._1().get(0), t._1().get(1)));
            selected = spark.createDataFrame(numbered, new StructType()
                    .add("id", DataTypes.LongType, false)
                    .add("features", DataTypes.createArrayType(DataTypes.FloatType), true)
                    .add("label", DataTypes.IntegerType, true));
        }
        return selected;
    }

    private static Dataset<Row> readNpy(SparkSession spark, Configuration conf, Path path, String labelsPath,
                                        int expectedDim, ReadCheck check) throws IOException {
        Npy.Header header = npyHeader(conf, path);
        int[] shape = header.shape();
        if (shape.length != 2) {
            throw new IllegalArgumentException(path + " has shape " + Arrays.toString(shape)
                    + "; a feature matrix must be 2-d (samples x dimensions)");
        }
        if (shape[0] == 0 || shape[1] == 0) {
            throw new IllegalArgumentException(path + ": the feature table is empty (shape "
                    + Arrays.toString(shape) + ")");
        }
        if (expectedDim > 0 && shape[1] != expectedDim) {
            throw new IllegalArgumentException(path + ": all " + shape[0] + " rows have dimension " + shape[1]
                    + ", expected " + expectedDim);
        }
        Npy.Header labels = null;
        if (labelsPath != null) {
            labels = npyHeader(conf, new Path(labelsPath));
            if (labels.shape().length != 1 || labels.shape()[0] != shape[0]) {
                throw new IllegalArgumentException(labelsPath + " has shape " + Arrays.toString(labels.shape())
                        + "; expected (" + shape[0] + ",), one label per row of " + path);
            }
        }
        int n = shape[0];
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        long bytes = n * header.rowBytes();
        long ranges = Math.max(jsc.defaultParallelism(), (bytes + NPY_RANGE_BYTES - 1) / NPY_RANGE_BYTES);
        ranges = Math.max(1, Math.min(ranges, n));
        List<int[]> rowRanges = new ArrayList<>();
        for (long r = 0; r < ranges; r++) {
            rowRanges.add(new int[] {(int) (r * n / ranges), (int) ((r + 1) * n / ranges)});
        }
        HadoopConf hadoop = new HadoopConf(conf);
        String file = path.toString();
        Npy.Header labelHeader = labels;
        JavaRDD<Row> rows = jsc.parallelize(rowRanges, rowRanges.size())
                .mapPartitions(it -> new NpyRowReader(hadoop.get(), file, header, labelsPath, labelHeader, it.next(),
                        check));
        rows.setName(NPY_RDD_NAME + path);
        return spark.createDataFrame(rows, Manifests.FEATURES_SCHEMA);
    }

    /** The header of a {@code .npy}, checked against the file's length (a truncated file fails here, by name). */
    private static Npy.Header npyHeader(Configuration conf, Path path) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        Npy.Header header;
        try (InputStream in = fs.open(path)) {
            header = Npy.readHeader(in, path.toString());
        }
        long length = fs.getFileStatus(path).getLen();
        if (length < header.expectedFileLength()) {
            throw new IllegalArgumentException(path + ": truncated: the header promises shape "
                    + Arrays.toString(header.shape()) + " of " + header.dtype().descr() + " ("
                    + header.expectedFileLength() + " bytes with the header) but the file has " + length + " bytes");
        }
        return header;
    }

    /**
     * One row range of a {@code .npy} read on an executor: seeks to {@code dataOffset + start * rowBytes} and reads
     * row by row, so a task holds one row, not the range; the labels of the range are read the same way.
     */
    private static final class NpyRowReader implements java.util.Iterator<Row> {
        private final java.io.DataInputStream in;
        private final Npy.Header header;
        private final String source;
        private final int[] labels;
        private final int start;
        private final int end;
        private final int dim;
        private final ReadCheck check;
        private int next;
        private int rejected;

        NpyRowReader(Configuration conf, String file, Npy.Header header, String labelsFile, Npy.Header labelHeader,
                     int[] range, ReadCheck check) throws IOException {
            this.header = header;
            this.check = check;
            this.source = file;
            this.start = range[0];
            this.end = range[1];
            this.next = start;
            this.dim = header.shape()[1];
            Path path = new Path(file);
            org.apache.hadoop.fs.FSDataInputStream stream = path.getFileSystem(conf).open(path);
            stream.seek(header.dataOffset() + start * header.rowBytes());
            this.in = new java.io.DataInputStream(new java.io.BufferedInputStream(stream, 1 << 20));
            if (labelsFile == null) {
                labels = null;
            } else {
                Path lp = new Path(labelsFile);
                try (org.apache.hadoop.fs.FSDataInputStream l = lp.getFileSystem(conf).open(lp)) {
                    l.seek(labelHeader.dataOffset() + start * labelHeader.rowBytes());
                    labels = Npy.readInts(new java.io.BufferedInputStream(l), labelHeader.dtype(), end - start,
                            labelsFile);
                }
            }
            if (start == end) {
                in.close();
            }
        }

        @Override
        public boolean hasNext() {
            return next < end;
        }

        @Override
        public Row next() {
            if (next >= end) {
                throw new java.util.NoSuchElementException();
            }
            try {
                float[] values = Npy.readFloats(in, header.dtype(), dim, source);
                Float[] boxed = new Float[dim];
                boolean finite = true;
                for (int j = 0; j < dim; j++) {
                    finite &= Float.isFinite(values[j]);
                    boxed[j] = values[j];
                }
                Integer label = labels == null ? null : labels[next - start];
                if (!finite) {
                    check.reject(next, "NaN or infinite value", rejected++);
                } else if (label != null && label < 0) {
                    check.reject(next, "negative label", rejected++);
                }
                Row row = RowFactory.create((long) next, boxed, label);
                next++;
                if (next == end) {
                    in.close();
                }
                return row;
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(source + ": reading row " + next, e);
            }
        }
    }

    private static Dataset<Row> readCsv(SparkSession spark, String path, boolean header, String labelColumn) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JavaRDD<String> lines = jsc.textFile(path);
        String[] names = header ? lines.first().split(",", -1) : null;
        int idIndex = -1;
        int labelIndex = -1;
        if (header) {
            for (int i = 0; i < names.length; i++) {
                String name = names[i].trim().toLowerCase(Locale.ROOT);
                if (name.equals("id")) {
                    idIndex = i;
                } else if (name.equals("label")) {
                    labelIndex = i;
                }
            }
        } else if (!labelColumn.equals("none") && !labelColumn.equals("first") && !labelColumn.equals("last")) {
            throw new IllegalArgumentException("label-column must be none, first or last, got '" + labelColumn + "'");
        }
        final int idAt = idIndex;
        final int labelAt = labelIndex;
        final String labelSide = labelColumn;
        JavaRDD<Row> parsed = lines.zipWithIndex()
                .filter(t -> !(header && t._2() == 0) && !t._1().isBlank())
                .map(t -> parseCsvLine(t._1(), t._2() + 1, header ? t._2() - 1 : t._2(), idAt, labelAt, labelSide));
        Dataset<Row> rows = spark.createDataFrame(parsed, new StructType()
                .add("id", DataTypes.LongType, false)
                .add("features", DataTypes.createArrayType(DataTypes.FloatType), true)
                .add("label", DataTypes.IntegerType, true)
                .add("problem", DataTypes.StringType, true));
        rows = rows.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        Dataset<Row> bad = rows.filter(col("problem").isNotNull());
        long count = bad.count();
        if (count > 0) {
            String named = bad.orderBy("id").limit(MAX_NAMED).collectAsList().stream()
                    .map(r -> r.getString(3)).collect(Collectors.joining("; "));
            rows.unpersist();
            throw new IllegalArgumentException(path + ": " + count + " unparsable line(s): " + named);
        }
        return rows.drop("problem");
    }

    private static Row parseCsvLine(String line, long lineNumber, long rowIndex, int idAt, int labelAt,
                                    String labelSide) {
        String[] cells = line.split(",", -1);
        int labelIndex = labelAt >= 0 ? labelAt
                : labelSide.equals("first") ? 0 : labelSide.equals("last") ? cells.length - 1 : -1;
        long id = rowIndex;
        Integer label = null;
        List<Float> values = new ArrayList<>(cells.length);
        for (int i = 0; i < cells.length; i++) {
            String cell = cells[i].trim();
            try {
                if (i == idAt) {
                    id = Long.parseLong(cell);
                } else if (i == labelIndex) {
                    label = cell.isEmpty() ? null : Integer.valueOf(cell);
                } else {
                    values.add(Float.parseFloat(cell));
                }
            } catch (NumberFormatException e) {
                return RowFactory.create(rowIndex, null, null, "line " + lineNumber + ", column " + (i + 1)
                        + ": '" + cell + "' is not a number");
            }
        }
        return RowFactory.create(id, values.toArray(new Float[0]), label, null);
    }
}
