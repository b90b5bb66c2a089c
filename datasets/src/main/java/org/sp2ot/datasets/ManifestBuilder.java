package org.sp2ot.datasets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sp2ot.datasets.io.StagedOutput;

/**
 * Builds a data set's manifest in an output folder (the logic behind {@code bin/sp2ot manifest}):
 * <pre>
 *   OUT/manifest/             Parquet, the manifest contract (id, path, label, label_name, split)
 *   OUT/manifest-stats.json   {@link ManifestStats}: per-class counts, imbalance, head/medium/tail, skipped files
 *   OUT/images/               cifar100-lt only: the kept records as PNG files
 *   OUT/features/             synthetic and features only: the features contract (id, features, label)
 *   OUT/manifest-failures/    folder and imagenet-r, when files were left out: each unreadable one (path, error)
 * </pre>
 * Every piece is written to a hidden staging path and renamed into place only when all are written, the manifest
 * last ({@link StagedOutput}); existing pieces are refused unless the option {@code overwrite} is true.
 *
 * <p>Data sets and their options (all values strings, as on the command line):
 * <ul>
 *   <li>{@code cifar100-lt} ({@link Cifar100Lt}): {@code imbalance} (default 100).</li>
 *   <li>{@code imagenet-r} ({@link ImagenetR}): {@code test-per-class} (20), {@code seed} (0),
 *       {@code skip-unreadable} (false).</li>
 *   <li>{@code inat2018} ({@link INaturalist2018}): {@code classes} (all, or 2000/1000/500/200/100),
 *       {@code images-root} (the input folder), {@code original-classes} (8142).</li>
 *   <li>{@code folder} ({@link ImageFolder}): {@code skip-unreadable} (false).</li>
 *   <li>{@code synthetic} ({@link SyntheticLongTail}, no input): {@code preset} (small), {@code seed}
 *       ({@link SyntheticLongTail#DEFAULT_SEED}), {@code partitions} (Spark's default parallelism).</li>
 *   <li>{@code features} ({@link FeatureTable}): {@code format} (auto) and the feature-table options.</li>
 * </ul>
 * Every data set also takes {@code overwrite}. Unknown options are rejected.
 */
public final class ManifestBuilder {
    public static final String MANIFEST = "manifest";
    public static final String STATS = "manifest-stats.json";
    public static final String IMAGES = "images";
    public static final String FEATURES = "features";
    /** Image recipes (folder, imagenet-r): every file left out as unreadable, (path string, error string). */
    public static final String FAILURES = "manifest-failures";
    /** Unreadable files named in manifest-stats.json (all of them are in {@value #FAILURES}). */
    static final int STATS_NAMED = 50;

    private static final Map<String, Set<String>> OPTIONS = Map.of(
            "cifar100-lt", Set.of("imbalance"),
            "imagenet-r", Set.of("test-per-class", "seed", "skip-unreadable"),
            "inat2018", Set.of("classes", "images-root", "original-classes"),
            "folder", Set.of("skip-unreadable"),
            "synthetic", Set.of("preset", "seed", "partitions"),
            "features", Set.of("format", "features-col", "label-col", "id-col", "labels", "dim", "header",
                    "label-column"));

    /** The schema of {@value #FAILURES}. */
    public static final StructType FAILURES_SCHEMA = new StructType()
            .add("path", DataTypes.StringType, false)
            .add("error", DataTypes.StringType, false);

    private ManifestBuilder() {
    }

    /** The data set names {@link #build} accepts. */
    public static Set<String> datasets() {
        return OPTIONS.keySet();
    }

    /**
     * Builds the manifest of {@code dataset} from {@code input} into {@code out}; see the class comment.
     *
     * @param input   the raw data set (local or any Hadoop file system path); ignored for {@code synthetic}
     * @param options per-data-set options, see the class comment
     * @return the statistics that were written to {@code manifest-stats.json}
     */
    public static ManifestStats build(SparkSession spark, String dataset, String input, String out,
                                      Map<String, String> options) throws IOException {
        String name = dataset.toLowerCase(Locale.ROOT);
        Set<String> allowed = OPTIONS.get(name);
        if (allowed == null) {
            throw new IllegalArgumentException("unknown data set '" + dataset + "'; use one of "
                    + String.join(", ", OPTIONS.keySet()));
        }
        for (String key : options.keySet()) {
            if (!allowed.contains(key) && !key.equals("overwrite")) {
                throw new IllegalArgumentException("option '" + key + "' does not apply to data set " + name
                        + "; it takes " + allowed + " and overwrite");
            }
        }
        if (input == null && !name.equals("synthetic")) {
            throw new IllegalArgumentException("data set " + name + " needs an input path");
        }
        StagedOutput staged = new StagedOutput(spark.sparkContext().hadoopConfiguration(), out,
                bool(options, "overwrite"));
        try {
            ManifestStats stats = buildStaged(spark, name, input, options, staged);
            staged.commit();
            return stats;
        } catch (IOException | RuntimeException e) {
            staged.abort();
            throw e;
        }
    }

    private static ManifestStats buildStaged(SparkSession spark, String name, String input,
                                             Map<String, String> options, StagedOutput staged) throws IOException {
        long skipped = 0;
        List<String> skippedList = List.of();
        List<ImageFolder.Unreadable> failures = null;
        Dataset<Row> manifest;
        Path statsPath;
        switch (name) {
            case "cifar100-lt": {
                Path images = staged.stage(IMAGES);
                statsPath = staged.stage(STATS);
                double ratio = number(options, "imbalance", 100);
                manifest = Manifests.withDenseIds(Cifar100Lt.entries(spark, input, ratio, images,
                        staged.target(IMAGES)));
                break;
            }
            case "imagenet-r": {
                statsPath = staged.stage(STATS);
                ImagenetR.Result r = ImagenetR.entries(spark, input,
                        (int) whole(options, "test-per-class", ImagenetR.DEFAULT_TEST_PER_CLASS),
                        whole(options, "seed", 0), bool(options, "skip-unreadable"));
                skipped = r.checked().unreadableCount();
                skippedList = r.checked().unreadable();
                failures = r.checked().failures();
                manifest = Manifests.withDenseIds(r.entries());
                break;
            }
            case "inat2018": {
                statsPath = staged.stage(STATS);
                manifest = Manifests.withDenseIds(INaturalist2018.entries(spark, input, options.get("images-root"),
                        (int) whole(options, "classes", 0),
                        (int) whole(options, "original-classes", INaturalist2018.ORIGINAL_CLASSES)));
                break;
            }
            case "folder": {
                statsPath = staged.stage(STATS);
                ImageFolder.Checked checked = ImageFolder.checkedEntries(spark, input,
                        bool(options, "skip-unreadable"));
                skipped = checked.unreadableCount();
                skippedList = checked.unreadable();
                failures = checked.failures();
                manifest = Manifests.withDenseIds(ImageFolder.toEntries(spark, checked.readable(), null));
                break;
            }
            case "synthetic": {
                Path features = staged.stage(FEATURES);
                statsPath = staged.stage(STATS);
                SyntheticLongTail data = SyntheticLongTail.of(
                        SyntheticLongTail.Preset.parse(options.getOrDefault("preset", "small")),
                        whole(options, "seed", SyntheticLongTail.DEFAULT_SEED));
                int partitions = (int) whole(options, "partitions", spark.sparkContext().defaultParallelism());
                data.features(spark, partitions).write().parquet(features.toString());
                manifest = data.manifest(spark, partitions);
                break;
            }
            default: {
                Path features = staged.stage(FEATURES);
                statsPath = staged.stage(STATS);
                Map<String, String> tableOptions = new HashMap<>(options);
                tableOptions.remove("overwrite");
                String format = tableOptions.remove("format");
                Dataset<Row> table = FeatureTable.read(spark, input, format, tableOptions);
                table.write().parquet(features.toString());
                manifest = FeatureTable.manifestFor(spark.read().parquet(features.toString()));
                break;
            }
        }
        if (failures != null && !failures.isEmpty()) {
            Path failuresPath = staged.stage(FAILURES);
            List<Row> rows = new ArrayList<>(failures.size());
            for (ImageFolder.Unreadable f : failures) {
                rows.add(RowFactory.create(f.path(), f.reason()));
            }
            spark.createDataFrame(rows, FAILURES_SCHEMA).coalesce(1).write().parquet(failuresPath.toString());
        }
        Path manifestPath = staged.stage(MANIFEST);
        manifest.write().parquet(manifestPath.toString());
        ManifestStats stats = ManifestStats.of(name, spark.read().parquet(manifestPath.toString()), skipped,
                skippedList.subList(0, Math.min(STATS_NAMED, skippedList.size())));
        staged.writeText(statsPath, stats.toJson());
        return stats;
    }

    private static boolean bool(Map<String, String> options, String key) {
        String v = options.get(key);
        if (v == null) {
            return false;
        }
        if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException("option " + key + " must be true or false, got '" + v + "'");
        }
        return Boolean.parseBoolean(v);
    }

    private static long whole(Map<String, String> options, String key, long fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + " must be a whole number, got '" + v + "'");
        }
    }

    private static double number(Map<String, String> options, String key, double fallback) {
        String v = options.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + key + " must be a number, got '" + v + "'");
        }
    }
}
