package org.sp2ot.jobs;

import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.sp2ot.datasets.FashionMnistLt;
import org.sp2ot.datasets.FeatureTable;
import org.sp2ot.datasets.ManifestBuilder;
import org.sp2ot.datasets.ManifestStats;
import org.sp2ot.datasets.SyntheticLongTail;
import org.sp2ot.datasets.io.NpyFormatException;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.jobs.extract.BackboneFingerprint;
import org.sp2ot.jobs.extract.ExtractOptions;
import org.sp2ot.jobs.extract.ExtractionResult;
import org.sp2ot.jobs.extract.FeatureExtractor;
import org.sp2ot.jobs.extract.ImageFailures;
import org.sp2ot.jobs.io.Fingerprint;
import org.sp2ot.jobs.io.RunDirectory;
import org.sp2ot.jobs.io.StageOutput;

/**
 * The first stage of a run: the configured input turned into the run's {@code manifest/} and {@code features/}
 * tables (DESIGN.md, "Stage contracts").
 * <ul>
 *   <li>{@code demo}: the synthetic long-tailed set ({@link SyntheticLongTail}), generated on the executors;</li>
 *   <li>{@code features}: a feature table ({@link FeatureTable}: Parquet, .npy or CSV, validated: NaN/Inf and
 *       wrong-dimension rows are rejected naming their ids), with a manifest made from it (split "train");</li>
 *   <li>{@code images}: the data set's manifest ({@link ManifestBuilder}), then feature extraction;</li>
 *   <li>{@code manifest}: an existing manifest table, then feature extraction;</li>
 *   <li>{@code fashion-mnist}: Fashion-MNIST-LT from its IDX files ({@link FashionMnistLt}), pixels as features.</li>
 * </ul>
 * Extraction skips images that cannot be read and lists them in {@code extract-failures/}. The manifest is
 * committed before the features, so complete features always have their manifest.
 */
final class InputStage {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(InputStage.class);
    private static final List<String> MANIFEST_COLUMNS = List.of("id", "path", "label", "label_name", "split");

    private InputStage() {
    }

    /** An action on the run directory (the pipeline's invalidation of stale outputs). */
    interface RunAction {
        void run() throws IOException;
    }

    /** {@link #materialize(RunConfig, SparkSession, RunDirectory, PrintStream, Fingerprint, RunAction)} for a
     * directory that is not a pipeline run (predict's): no fingerprints, nothing to remove first. */
    static void materialize(RunConfig config, SparkSession spark, RunDirectory run, PrintStream console)
            throws IOException {
        materialize(config, spark, run, console, null, () -> { });
    }

    /**
     * Reads and validates the input, then calls {@code beforeWrite} (which removes the outputs being replaced) and
     * writes the tables, each committed with {@code fingerprint}. Input rejected by validation (NaN rows, a table
     * that is not a manifest) is a {@link UsageException} thrown before {@code beforeWrite}: the run directory is
     * left as it was.
     */
    static void materialize(RunConfig config, SparkSession spark, RunDirectory run, PrintStream console,
                            Fingerprint fingerprint, RunAction beforeWrite) throws IOException {
        RunConfig.Input input = config.input();
        switch (input.type()) {
            case "demo" -> {
                SyntheticLongTail data = SyntheticLongTail.of(SyntheticLongTail.Preset.parse(input.demoPreset()),
                        input.demoSeed());
                int partitions = Math.max(2, spark.sparkContext().defaultParallelism());
                beforeWrite.run();
                write(run, RunPipeline.MANIFEST, data.manifest(spark, partitions), fingerprint);
                write(run, RunPipeline.FEATURES, data.features(spark, partitions), fingerprint);
            }
            case "features" -> {
                Map<String, String> options = new HashMap<>();
                if (!input.labelsPath().isEmpty()) {
                    options.put("labels", input.labelsPath());
                }
                if (input.header()) {
                    options.put("header", "true");
                }
                try {
                    writeFeatureTable(spark, run, input.path(), input.format(), options, fingerprint, beforeWrite);
                } catch (IllegalArgumentException | NpyFormatException e) {
                    throw new UsageException("input.path " + input.path() + " is rejected: " + e.getMessage(), e);
                }
            }
            case "fashion-mnist" -> {
                FashionMnistLt data = FashionMnistLt.read(spark.sparkContext().hadoopConfiguration(), input.path(),
                        input.imbalance(), input.classOrderSeed());
                console.printf("input: Fashion-MNIST-LT, %d training images (imbalance %s, class order %s), "
                        + "10,000 test images%n", java.util.Arrays.stream(data.trainCounts()).sum(),
                        input.imbalance(), java.util.Arrays.toString(data.classOrder()));
                beforeWrite.run();
                write(run, RunPipeline.MANIFEST, data.manifest(spark), fingerprint);
                write(run, RunPipeline.FEATURES, data.features(spark), fingerprint);
            }
            case "images" -> {
                beforeWrite.run();
                ManifestStats stats = buildManifest(spark, input, config.extract().strictImages(), run, fingerprint);
                if (stats.skippedCount() > 0) {
                    console.printf("manifest: %d unreadable image file(s) left out, e.g. %s; listed in %s%n",
                            stats.skippedCount(), stats.skippedExamples().get(0),
                            run.path(RunPipeline.EXTRACT_FAILURES));
                }
                extract(config, spark, run, console, fingerprint);
            }
            case "manifest" -> {
                Dataset<Row> manifest = spark.read().parquet(input.path());
                if (!List.of(manifest.columns()).containsAll(MANIFEST_COLUMNS)) {
                    throw new UsageException("input.path " + input.path() + " is not a manifest: it has "
                            + List.of(manifest.columns()) + ", a manifest has " + MANIFEST_COLUMNS);
                }
                beforeWrite.run();
                write(run, RunPipeline.MANIFEST, manifest.select("id", "path", "label", "label_name", "split"),
                        fingerprint);
                extract(config, spark, run, console, fingerprint);
            }
            default -> throw new UsageException("input.type " + input.type() + " is not known");
        }
    }

    /**
     * The data set recipe's manifest (with its statistics and the files it left out), built inside the run's
     * staging area and then published piece by piece, the manifest last, so that a run killed while building it
     * leaves nothing in the run root but {@code _staging}, which the next run removes.
     */
    private static ManifestStats buildManifest(SparkSession spark, RunConfig.Input input, boolean strictImages,
                                               RunDirectory run, Fingerprint fingerprint) throws IOException {
        StageOutput area = run.begin("manifest-build", (Fingerprint) null);
        try {
            ManifestStats stats = ManifestBuilder.build(spark, input.dataset(), input.path(), area.stagingUri(),
                    recipeOptions(input, strictImages));
            for (org.apache.hadoop.fs.FileStatus piece : run.fs().listStatus(area.staging())) {
                String name = piece.getPath().getName();
                if (!name.equals(ManifestBuilder.MANIFEST) && !name.startsWith("_") && !name.startsWith(".")) {
                    run.publish(piece.getPath(), name, piece.isDirectory() ? fingerprint : null);
                }
            }
            run.publish(new org.apache.hadoop.fs.Path(area.staging(), ManifestBuilder.MANIFEST), RunPipeline.MANIFEST,
                    fingerprint);
            return stats;
        } finally {
            area.abort();
        }
    }

    /** {@link #writeFeatureTable(SparkSession, RunDirectory, String, String, Map, Fingerprint, RunAction)} alone. */
    static void writeFeatureTable(SparkSession spark, RunDirectory run, String path, String format,
                                  Map<String, String> options) throws IOException {
        writeFeatureTable(spark, run, path, format, options, null, () -> { });
    }

    /**
     * A feature table becomes the run's {@code features/} in one pass over the input: it is written to the staging
     * directory as it is read, then validated ({@link FeatureTable#validate}) and its manifest derived from the
     * staged Parquet copy; only when the table is valid is {@code beforeWrite} called (the pipeline removes the
     * outputs being replaced) and are the manifest and features committed, with {@code fingerprint}.
     */
    static void writeFeatureTable(SparkSession spark, RunDirectory run, String path, String format,
                                  Map<String, String> options, Fingerprint fingerprint, RunAction beforeWrite)
            throws IOException {
        long start = System.nanoTime();
        FeatureTable.Loaded source = FeatureTable.load(spark, path, format, options);
        StageOutput features = run.begin(RunPipeline.FEATURES, fingerprint);
        try {
            source.table().write().mode(SaveMode.Overwrite).parquet(features.stagingUri());
        } finally {
            source.unpersist();
        }
        long written = System.nanoTime();
        Dataset<Row> staged = spark.read().parquet(features.stagingUri());
        try {
            source.validateWritten(staged, FeatureTable.expectedDimension(options), path);
        } catch (IllegalArgumentException e) {
            features.abort();
            throw e;
        }
        long validated = System.nanoTime();
        beforeWrite.run();
        write(run, RunPipeline.MANIFEST, FeatureTable.manifestFor(staged), fingerprint);
        features.commit();
        LOG.info(String.format(java.util.Locale.ROOT, "feature table %s: read and written in %.1f s (one pass), "
                + "validated in %.1f s, manifest in %.1f s", path, (written - start) / 1e9,
                (validated - written) / 1e9, (System.nanoTime() - validated) / 1e9));
    }

    /** The options of the data set recipe (ALGORITHM.md §5) that the run config sets. */
    private static Map<String, String> recipeOptions(RunConfig.Input input, boolean strictImages) {
        Map<String, String> options = new HashMap<>();
        options.put("overwrite", "true");
        switch (input.dataset()) {
            case "cifar100-lt" -> options.put("imbalance", String.valueOf(input.imbalance()));
            case "inat2018" -> options.put("classes", String.valueOf(input.classes()));
            case "folder", "imagenet-r" -> options.put("skip-unreadable", String.valueOf(!strictImages));
            default -> {
            }
        }
        return options;
    }

    /** Runs the backbone over the run's manifest on the executors; unreadable images are listed and skipped. */
    private static void extract(RunConfig config, SparkSession spark, RunDirectory run, PrintStream console,
                                Fingerprint fingerprint) throws IOException {
        RunConfig.Extract e = config.extract();
        ExtractOptions options = new ExtractOptions(e.model(), e.engine(),
                e.blockFactory().isEmpty() ? null : e.blockFactory(), e.resize(), e.crop(),
                floats(e.mean()), floats(e.std()), e.batch(), e.l2(), 0);
        Dataset<Row> manifest = spark.read().parquet(run.path(RunPipeline.MANIFEST).toString());
        // What predict checks before it embeds new images with "the same" backbone.
        run.writeFileAtomically(BackboneFingerprint.FILE,
                BackboneFingerprint.record(spark.sparkContext().hadoopConfiguration(), e.model()));
        ExtractionResult result = FeatureExtractor.extract(manifest, options);
        try {
            write(run, RunPipeline.EXTRACT_FAILURES, ImageFailures.table(spark, run, result.failures()), fingerprint);
            if (result.extracted() == 0) {
                throw new IllegalStateException("no image of " + run.path(RunPipeline.MANIFEST)
                        + " could be read; see " + run.path(RunPipeline.EXTRACT_FAILURES));
            }
            if (e.strictImages() && result.failed() > 0) {
                Row first = result.failures().orderBy("id").first();
                throw new IllegalStateException(result.failed() + " image(s) could not be decoded, e.g. "
                        + first.getAs("path") + ": " + first.getAs("error") + "; all are listed in "
                        + run.path(RunPipeline.EXTRACT_FAILURES) + " (extract.strict-images = true stops here; "
                        + "false skips them)");
            }
            write(run, RunPipeline.FEATURES, result.features(), fingerprint);
        } finally {
            result.unpersist();
        }
        if (result.failed() > 0) {
            console.printf("extract: %d of %d images could not be read and were skipped; they are listed in %s%n",
                    result.failed(), result.failed() + result.extracted(), run.path(RunPipeline.EXTRACT_FAILURES));
        }
    }

    private static float[] floats(List<Double> values) {
        float[] result = new float[values.size()];
        for (int i = 0; i < result.length; i++) {
            result[i] = values.get(i).floatValue();
        }
        return result;
    }

    private static void write(RunDirectory run, String relative, Dataset<Row> table, Fingerprint fingerprint)
            throws IOException {
        StageOutput out = run.begin(relative, fingerprint);
        table.write().mode(SaveMode.Overwrite).parquet(out.stagingUri());
        out.commit();
    }
}
