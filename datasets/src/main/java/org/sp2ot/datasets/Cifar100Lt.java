package org.sp2ot.datasets;

import static org.apache.spark.sql.functions.broadcast;
import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.awt.image.BufferedImage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.imageio.ImageIO;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.BytesWritable;
import org.apache.hadoop.io.LongWritable;
import org.apache.hadoop.mapreduce.lib.input.FixedLengthInputFormat;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * CIFAR-100-LT from the official CIFAR-100 binary release (a folder with {@code train.bin}, {@code test.bin} and,
 * optionally, {@code fine_label_names.txt}). Each record is 3074 bytes: coarse label, fine label, then the 32x32
 * red, green and blue planes. ALGORITHM.md §5: fine class c keeps its first {@code floor(500 * ratio^(-c/99))}
 * training records in file order (ratio 100 by default: 500 ... 5, 10,847 images); the test split is all of
 * {@code test.bin} (100 per class). Kept records are decoded to PNG files under {@code images/<split>/<label>/} so
 * that the extract stage reads them like any image. Records are read, selected and encoded on the executors
 * (Hadoop's fixed-length input format), so the files may live on HDFS.
 */
public final class Cifar100Lt {
    public static final int RECORD_BYTES = 3074;
    public static final int NUM_CLASSES = 100;
    public static final long TRAIN_PER_CLASS = 500;
    private static final int SIDE = 32;

    private Cifar100Lt() {
    }

    /** ALGORITHM.md §5: the training count kept for each fine class at imbalance {@code ratio}. */
    public static long[] keptPerClass(double ratio) {
        return LongTailProfile.exponentialCounts(TRAIN_PER_CLASS, ratio, NUM_CLASSES);
    }

    /**
     * Decodes the kept records to PNGs under {@code imagesDir} and returns the manifest entries
     * ({@link Manifests#ENTRY_SCHEMA}) whose paths point under {@code finalImagesDir} (where {@code imagesDir} is
     * renamed to once everything is written).
     */
    static Dataset<Row> entries(SparkSession spark, String input, double ratio, Path imagesDir, Path finalImagesDir)
            throws IOException {
        Configuration conf = spark.sparkContext().hadoopConfiguration();
        Path root = new Path(input);
        FileSystem fs = root.getFileSystem(conf);
        Path train = requireRecordFile(fs, new Path(root, "train.bin"));
        Path test = requireRecordFile(fs, new Path(root, "test.bin"));
        String[] names = readNames(fs, new Path(root, "fine_label_names.txt"));

        long[] kept = keptPerClass(ratio);
        Dataset<Row> trainRecords = records(spark, train, Manifests.TRAIN);
        List<Row> keptRows = new ArrayList<>();
        for (int c = 0; c < NUM_CLASSES; c++) {
            keptRows.add(RowFactory.create(c, kept[c]));
        }
        Dataset<Row> keptTable = spark.createDataFrame(keptRows, new StructType()
                .add("label", DataTypes.IntegerType, false).add("kept", DataTypes.LongType, false));
        Dataset<Row> keptTrain = trainRecords
                .withColumn("rank", row_number().over(Window.partitionBy("label").orderBy("index")))
                .join(broadcast(keptTable), "label")
                .filter(col("rank").leq(col("kept")))
                .select("index", "label", "pixels", "split");
        Dataset<Row> all = keptTrain.unionByName(records(spark, test, Manifests.TEST));

        HadoopConf shipped = new HadoopConf(conf);
        String stagingRoot = imagesDir.toString();
        String finalRoot = finalImagesDir.toString();
        JavaRDD<Row> written = all.javaRDD().mapPartitions(it -> {
            FileSystem out = new Path(stagingRoot).getFileSystem(shipped.get());
            List<Row> rows = new ArrayList<>();
            while (it.hasNext()) {
                Row r = it.next();
                int label = r.getInt(1);
                String split = r.getString(3);
                String relative = String.format(Locale.ROOT, "%s/%03d/%05d.png", split, label, r.getLong(0));
                try (OutputStream os = out.create(new Path(stagingRoot + "/" + relative), true)) {
                    if (!ImageIO.write(decode(r.getAs(2)), "png", os)) {
                        throw new IOException("no PNG writer available in this JVM");
                    }
                }
                rows.add(RowFactory.create(finalRoot + "/" + relative, label,
                        names == null ? null : names[label], split));
            }
            return rows.iterator();
        });
        Dataset<Row> entries = spark.createDataFrame(written, Manifests.ENTRY_SCHEMA);
        return entries.localCheckpoint(true);
    }

    /** (index long, label int, pixels binary, split string) for every record, index in file order. */
    private static Dataset<Row> records(SparkSession spark, Path file, String split) throws IOException {
        Configuration conf = new Configuration(spark.sparkContext().hadoopConfiguration());
        FixedLengthInputFormat.setRecordLength(conf, RECORD_BYTES);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        String name = file.toString();
        JavaRDD<Row> rows = jsc.newAPIHadoopFile(name, FixedLengthInputFormat.class, LongWritable.class,
                BytesWritable.class, conf).map(t -> {
                    byte[] bytes = t._2().copyBytes();
                    long index = t._1().get() / RECORD_BYTES;
                    int fine = bytes[1] & 0xff;
                    if (fine >= NUM_CLASSES) {
                        throw new IllegalArgumentException(name + ": record " + index + " has fine label " + fine
                                + ", outside [0, 100): this is not a CIFAR-100 binary file (CIFAR-10's has no "
                                + "coarse byte)");
                    }
                    return RowFactory.create(index, fine, bytes, split);
                });
        StructType schema = new StructType()
                .add("index", DataTypes.LongType, false)
                .add("label", DataTypes.IntegerType, false)
                .add("pixels", DataTypes.BinaryType, false)
                .add("split", DataTypes.StringType, false);
        return spark.createDataFrame(rows, schema);
    }

    /** One record's RGB planes as a 32x32 image. */
    static BufferedImage decode(byte[] record) {
        BufferedImage image = new BufferedImage(SIDE, SIDE, BufferedImage.TYPE_INT_RGB);
        int plane = SIDE * SIDE;
        for (int y = 0; y < SIDE; y++) {
            for (int x = 0; x < SIDE; x++) {
                int p = 2 + y * SIDE + x;
                int rgb = (record[p] & 0xff) << 16 | (record[p + plane] & 0xff) << 8 | (record[p + 2 * plane] & 0xff);
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    private static Path requireRecordFile(FileSystem fs, Path file) throws IOException {
        if (!fs.isFile(file)) {
            throw new IOException("CIFAR-100 binary file " + file + " not found; --input must be the folder of the "
                    + "official binary release (cifar-100-binary/ with train.bin and test.bin)");
        }
        long length = fs.getFileStatus(file).getLen();
        if (length == 0 || length % RECORD_BYTES != 0) {
            throw new IOException(file + " has " + length + " bytes, not a whole number of " + RECORD_BYTES
                    + "-byte CIFAR-100 records (" + length / RECORD_BYTES + " whole records and "
                    + length % RECORD_BYTES + " bytes left over): the file is truncated or not CIFAR-100; "
                    + "download and unpack it again");
        }
        return file;
    }

    private static String[] readNames(FileSystem fs, Path file) throws IOException {
        if (!fs.isFile(file)) {
            return null;
        }
        List<String> names = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(fs.open(file), StandardCharsets.UTF_8))) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isBlank()) {
                    names.add(line.trim());
                }
            }
        }
        if (names.size() != NUM_CLASSES) {
            throw new IOException(file + " lists " + names.size() + " class names, expected " + NUM_CLASSES);
        }
        return names.toArray(new String[0]);
    }
}
