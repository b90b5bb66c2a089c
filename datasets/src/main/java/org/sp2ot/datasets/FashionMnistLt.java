package org.sp2ot.datasets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * Fashion-MNIST made long-tailed (the real-image benchmark of issue 9, built like CIFAR-100-LT in ALGORITHM.md §5):
 * the four IDX files ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz},
 * {@code t10k-images-idx3-ubyte.gz}, {@code t10k-labels-idx1-ubyte.gz}) are read from a directory on any Hadoop file
 * system (Debian's {@code dataset-fashion-mnist} installs them in {@value #DEBIAN_DIR}).
 *
 * <p>Training split: the 10 classes are put in a random order drawn from {@code classOrderSeed} (Fisher-Yates over
 * {@link SplittableRandom}); the class at rank r keeps its first {@code floor(6000 * imbalance^(-r/9))} training images
 * in file order ({@link LongTailProfile#exponentialCounts}), 14,886 images at imbalance 100. Test split: all 10,000
 * t10k images (balanced, 1,000 per class). Features: the 784 pixels / 255 as float, row-major. Paths are
 * {@code <idx file>#<index in that file>}, so every row can be traced back to its image.
 */
public final class FashionMnistLt {
    /** Where Debian's {@code dataset-fashion-mnist} package installs the IDX files. */
    public static final String DEBIAN_DIR = "/usr/share/datasets/fashion-mnist";
    /** The class names of Fashion-MNIST, by label. */
    public static final List<String> CLASS_NAMES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    /** Images per class in the full training split. */
    public static final int PER_CLASS = 6000;

    private final byte[] pixels;
    private final int[] labels;
    private final String[] paths;
    private final int numTrain;
    private final long[] trainCounts;
    private final int[] classOrder;

    private FashionMnistLt(byte[] pixels, int[] labels, String[] paths, int numTrain, long[] trainCounts,
            int[] classOrder) {
        this.pixels = pixels;
        this.labels = labels;
        this.paths = paths;
        this.numTrain = numTrain;
        this.trainCounts = trainCounts;
        this.classOrder = classOrder;
    }

    /**
     * Reads the IDX files under {@code dir} and builds both splits (on the driver: 25k x 784 bytes).
     *
     * @param imbalance the ratio largest / smallest training class, at least 1 (100 for the benchmark)
     * @throws IOException naming the missing or damaged file
     */
    public static FashionMnistLt read(Configuration conf, String dir, double imbalance, long classOrderSeed)
            throws IOException {
        return read(conf, dir, imbalance, classOrderSeed, PER_CLASS);
    }

    /** {@link #read} with another size of the largest class (the tests use small files). */
    static FashionMnistLt read(Configuration conf, String dir, double imbalance, long classOrderSeed, int perClass)
            throws IOException {
        if (!(imbalance >= 1) || Double.isInfinite(imbalance)) {
            throw new IllegalArgumentException("the imbalance must be a finite number >= 1, got " + imbalance);
        }
        String base = dir.endsWith("/") ? dir : dir + "/";
        IdxFile trainImages = images(conf, base + "train-images-idx3-ubyte.gz");
        IdxFile trainLabels = labels(conf, base + "train-labels-idx1-ubyte.gz", trainImages);
        IdxFile testImages = images(conf, base + "t10k-images-idx3-ubyte.gz");
        IdxFile testLabels = labels(conf, base + "t10k-labels-idx1-ubyte.gz", testImages);

        int[] order = classOrder(classOrderSeed);
        long[] perRank = LongTailProfile.exponentialCounts(perClass, imbalance, CLASS_NAMES.size());
        long[] quota = new long[CLASS_NAMES.size()];
        for (int r = 0; r < order.length; r++) {
            quota[order[r]] = perRank[r];
        }
        long[] kept = new long[CLASS_NAMES.size()];
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < trainImages.count(); i++) {
            int label = trainLabels.unsigned(i, 0);
            if (kept[label] < quota[label]) {
                kept[label]++;
                chosen.add(i);
            }
        }
        for (int c = 0; c < quota.length; c++) {
            if (kept[c] < quota[c]) {
                throw new IOException(trainLabels.path() + " has only " + kept[c] + " images of class " + c + " ("
                        + CLASS_NAMES.get(c) + "), the profile needs " + quota[c] + "; is it the Fashion-MNIST file?");
            }
        }
        int numTrain = chosen.size();
        int total = numTrain + testImages.count();
        int size = trainImages.itemSize();
        byte[] pixels = new byte[total * size];
        int[] labels = new int[total];
        String[] paths = new String[total];
        for (int r = 0; r < numTrain; r++) {
            int i = chosen.get(r);
            System.arraycopy(trainImages.data(), i * size, pixels, r * size, size);
            labels[r] = trainLabels.unsigned(i, 0);
            paths[r] = trainImages.path() + "#" + i;
        }
        for (int i = 0; i < testImages.count(); i++) {
            int r = numTrain + i;
            System.arraycopy(testImages.data(), i * size, pixels, r * size, size);
            labels[r] = testLabels.unsigned(i, 0);
            paths[r] = testImages.path() + "#" + i;
        }
        return new FashionMnistLt(pixels, labels, paths, numTrain, kept, order);
    }

    /** The class order of the long tail: {@code order[r]} is the label at rank r (rank 0 keeps 6,000 images). */
    public static int[] classOrder(long seed) {
        int[] order = new int[CLASS_NAMES.size()];
        for (int c = 0; c < order.length; c++) {
            order[c] = c;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Training images kept per label. */
    public long[] trainCounts() {
        return trainCounts.clone();
    }

    /** {@code classOrder()[r]} is the label at rank r of the tail. */
    public int[] classOrder() {
        return classOrder.clone();
    }

    /** Training rows (ids 0..numTrain-1); the test rows follow. */
    public int numTrain() {
        return numTrain;
    }

    /** All rows, training then test. */
    public int numRows() {
        return labels.length;
    }

    /** The label of row {@code id}. */
    public int label(int id) {
        return labels[id];
    }

    /** The manifest (id, path, label, label_name, split): training rows 0..N_train-1, then the test rows. */
    public Dataset<Row> manifest(SparkSession spark) {
        List<Row> rows = new ArrayList<>(labels.length);
        for (int id = 0; id < labels.length; id++) {
            rows.add(RowFactory.create((long) id, paths[id], labels[id], CLASS_NAMES.get(labels[id]),
                    id < numTrain ? Manifests.TRAIN : Manifests.TEST));
        }
        return spark.createDataFrame(rows, Manifests.MANIFEST_SCHEMA).repartition(partitions(spark));
    }

    /**
     * The features table (id, features = pixels / 255, label), same ids as {@link #manifest}. The pixel bytes are
     * broadcast once and the float rows made on the executors, slice by slice.
     */
    public Dataset<Row> features(SparkSession spark) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<byte[]> sharedPixels = jsc.broadcast(pixels);
        Broadcast<int[]> sharedLabels = jsc.broadcast(labels);
        int n = labels.length;
        int parts = partitions(spark);
        List<int[]> slices = new ArrayList<>(parts);
        for (int p = 0; p < parts; p++) {
            slices.add(new int[] {(int) ((long) n * p / parts), (int) ((long) n * (p + 1) / parts)});
        }
        int size = pixels.length / n;
        JavaRDD<Row> rows = jsc.parallelize(slices, parts).flatMap(slice -> {
            byte[] px = sharedPixels.value();
            int[] lab = sharedLabels.value();
            List<Row> out = new ArrayList<>(slice[1] - slice[0]);
            for (int id = slice[0]; id < slice[1]; id++) {
                Float[] v = new Float[size];
                for (int j = 0; j < size; j++) {
                    v[j] = (px[id * size + j] & 0xff) / 255f;
                }
                out.add(RowFactory.create((long) id, v, lab[id]));
            }
            return out.iterator();
        });
        return spark.createDataFrame(rows, Manifests.FEATURES_SCHEMA);
    }

    /** Row {@code id}'s pixels / 255 (784 floats). */
    public float[] pixels(int id) {
        int size = pixels.length / labels.length;
        float[] v = new float[size];
        for (int j = 0; j < size; j++) {
            v[j] = (pixels[id * size + j] & 0xff) / 255f;
        }
        return v;
    }

    private static int partitions(SparkSession spark) {
        return Math.max(2, spark.sparkContext().defaultParallelism());
    }

    private static IdxFile images(Configuration conf, String path) throws IOException {
        IdxFile file = IdxFile.read(conf, path, 3);
        if (file.dims()[1] != 28 || file.dims()[2] != 28) {
            throw new IOException(path + " holds " + file.dims()[1] + "x" + file.dims()[2]
                    + " images; Fashion-MNIST images are 28x28");
        }
        return file;
    }

    private static IdxFile labels(Configuration conf, String path, IdxFile images) throws IOException {
        IdxFile file = IdxFile.read(conf, path, 1);
        if (file.count() != images.count()) {
            throw new IOException(path + " has " + file.count() + " labels but " + images.path() + " has "
                    + images.count() + " images");
        }
        for (int i = 0; i < file.count(); i++) {
            if (file.unsigned(i, 0) >= CLASS_NAMES.size()) {
                throw new IOException(path + " has label " + file.unsigned(i, 0) + " at index " + i
                        + "; Fashion-MNIST labels are 0..9");
            }
        }
        return file;
    }
}
