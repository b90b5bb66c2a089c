package org.sp2ot.datasets;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * The demo data set: <b>synthetic</b> long-tailed "image features" that need no download. It is a seeded
 * mixture on the unit sphere ({@link SyntheticMixture}: 100 classes in 20 families of close siblings, anisotropic
 * family-shared and class-own noise, unequal spreads, L2-normalised like DINO features) with the CIFAR-100-LT
 * profile (class c has {@code floor(nMax * 0.01^(c/99))} training rows, imbalance 100) and a balanced test split.
 * It stands in for real features to exercise the whole pipeline; results on it say nothing about images.
 *
 * <p>Presets (numbers measured on this project's 2-core development machine):
 * <ul>
 *   <li>{@code small}: nMax 400, 384 dims, 8,668 training + 2,000 test rows (20 per class). With the default
 *       seed, the evaluation module's k-means baseline (Spark MLlib, K = 100, seeds 0 and 1) reached a
 *       class-averaged ACC of 0.37 and 0.38 on the training rows, tail classes 0.08 and 0.16; on a development
 *       seed 94% of each training row's 10 nearest neighbours shared its class. Hard for k-means, learnable for a
 *       method that uses the neighbourhood structure.</li>
 *   <li>{@code large}: nMax 5000, 768 dims, 108,909 training + 5,000 test rows (50 per class), for benchmarks.</li>
 * </ul>
 * Rows are generated on the executors; row r is drawn from a generator seeded by (seed, r), so the tables are the
 * same for every partition count. Ids are the row numbers: training rows 0..N_train-1 by class, then the test rows.
 */
public final class SyntheticLongTail {

    /** Named sizes of the demo set. */
    public enum Preset {
        SMALL(400, 384, 20),
        LARGE(5000, 768, 50);

        private final long nMax;
        private final int dim;
        private final int testPerClass;

        Preset(long nMax, int dim, int testPerClass) {
            this.nMax = nMax;
            this.dim = dim;
            this.testPerClass = testPerClass;
        }

        /** The mixture of this preset; the shape knobs are the same for both sizes. */
        public SyntheticMixture.Spec spec(long seed) {
            return new SyntheticMixture.Spec(100, dim, nMax, 100, testPerClass, 20, 0.8, 0.5, 1.0, 0.6, 1.0, seed);
        }

        /** "small" or "large", case-insensitive. */
        public static Preset parse(String name) {
            for (Preset p : values()) {
                if (p.name().equalsIgnoreCase(name.trim())) {
                    return p;
                }
            }
            throw new IllegalArgumentException("unknown synthetic preset '" + name + "'; use small or large");
        }
    }

    /** The seed the presets use unless told otherwise. */
    public static final long DEFAULT_SEED = 20240611L;

    private final SyntheticMixture mixture;

    public SyntheticLongTail(SyntheticMixture.Spec spec) {
        this.mixture = new SyntheticMixture(spec);
    }

    public static SyntheticLongTail of(Preset preset, long seed) {
        return new SyntheticLongTail(preset.spec(seed));
    }

    public SyntheticMixture mixture() {
        return mixture;
    }

    /**
     * The features table (id, features array&lt;float&gt;, label) of all rows, training then test, generated in
     * {@code numPartitions} slices of consecutive rows.
     */
    public Dataset<Row> features(SparkSession spark, int numPartitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<SyntheticMixture> shared = jsc.broadcast(mixture);
        long n = mixture.numRows();
        JavaRDD<Row> rows = jsc.parallelize(sliceStarts(n, numPartitions), numPartitions)
                .flatMap(slice -> generate(shared.value(), slice[0], slice[1]));
        return spark.createDataFrame(rows, Manifests.FEATURES_SCHEMA);
    }

    /**
     * The manifest (id, path null, label, label_name "c000".."c099", split) matching {@link #features}; synthetic
     * rows have no file, hence no path.
     */
    public Dataset<Row> manifest(SparkSession spark, int numPartitions) {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Broadcast<SyntheticMixture> shared = jsc.broadcast(mixture);
        JavaRDD<Row> rows = jsc.parallelize(sliceStarts(mixture.numRows(), numPartitions), numPartitions)
                .flatMap(slice -> {
                    SyntheticMixture m = shared.value();
                    List<Row> out = new ArrayList<>((int) (slice[1] - slice[0]));
                    for (long r = slice[0]; r < slice[1]; r++) {
                        int label = m.labelOf(r);
                        out.add(RowFactory.create(r, null, label, labelName(label),
                                m.isTest(r) ? Manifests.TEST : Manifests.TRAIN));
                    }
                    return out.iterator();
                });
        return spark.createDataFrame(rows, Manifests.MANIFEST_SCHEMA);
    }

    /** The name of synthetic class c, e.g. "c007". */
    public static String labelName(int c) {
        return String.format(Locale.ROOT, "c%03d", c);
    }

    private static Iterator<Row> generate(SyntheticMixture m, long from, long to) {
        return new Iterator<>() {
            private long next = from;

            @Override
            public boolean hasNext() {
                return next < to;
            }

            @Override
            public Row next() {
                long r = next++;
                return RowFactory.create(r, toBoxed(m.sample(r)), m.labelOf(r));
            }
        };
    }

    private static List<long[]> sliceStarts(long n, int numPartitions) {
        if (numPartitions < 1) {
            throw new IllegalArgumentException("numPartitions must be at least 1, got " + numPartitions);
        }
        List<long[]> slices = new ArrayList<>(numPartitions);
        for (int p = 0; p < numPartitions; p++) {
            slices.add(new long[] {n * p / numPartitions, n * (p + 1) / numPartitions});
        }
        return slices;
    }

    private static Float[] toBoxed(float[] v) {
        Float[] out = new Float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }
}
