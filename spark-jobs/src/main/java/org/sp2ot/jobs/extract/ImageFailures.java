package org.sp2ot.jobs.extract;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.lit;

import java.io.IOException;
import java.util.List;

import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sp2ot.datasets.ManifestBuilder;
import org.sp2ot.jobs.io.RunDirectory;

/**
 * The run's failures table, {@code extract-failures/}: every image left out, at the stage that met it. The
 * manifest stage leaves out files it cannot open as images (not an image, a corrupt header: they get no id); the
 * extract stage skips images it cannot decode (a truncated file, a broken stream: they keep their manifest id).
 * Neither is fatal unless {@code extract.strict-images = true}.
 */
public final class ImageFailures {
    /** The failures table's schema: id null for files the manifest left out. */
    public static final StructType SCHEMA = new StructType()
            .add("id", DataTypes.LongType, true)
            .add("path", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true)
            .add("stage", DataTypes.StringType, false);
    /** How many paths the report names. */
    public static final int NAMED = 10;

    private ImageFailures() {
    }

    /**
     * The manifest stage's failures (the recipe's {@value ManifestBuilder#FAILURES} in the run directory, when it
     * wrote one) followed by the extract stage's, in {@link #SCHEMA}.
     *
     * @param extractFailures id, path, error of the images extraction skipped
     */
    public static Dataset<Row> table(SparkSession spark, RunDirectory run, Dataset<Row> extractFailures)
            throws IOException {
        Dataset<Row> extracted = extractFailures.select(col("id"), col("path"), col("error"),
                lit("extract").as("stage"));
        Path manifestFailures = run.path(ManifestBuilder.FAILURES);
        if (!run.fs().exists(manifestFailures)) {
            return extracted;
        }
        Dataset<Row> listed = spark.read().parquet(manifestFailures.toString())
                .select(lit(null).cast(DataTypes.LongType).as("id"), col("path"), col("error"),
                        lit("manifest").as("stage"));
        return listed.unionByName(extracted);
    }

    /**
     * What the report shows: how many images were left out and the first {@value #NAMED} of them ("path (stage):
     * error", by path). None when the run has no failures table (feature-table and demo inputs).
     */
    public record Summary(long count, List<String> first) {
        public static final Summary NONE = new Summary(0, List.of());

        public Summary {
            first = List.copyOf(first);
        }
    }

    /** Reads the summary of {@code <run>/extract-failures/}, or {@link Summary#NONE} when there is none. */
    public static Summary summary(SparkSession spark, RunDirectory run, String relative) throws IOException {
        if (!run.isComplete(relative)) {
            return Summary.NONE;
        }
        Dataset<Row> failures = spark.read().parquet(run.path(relative).toString());
        long count = failures.count();
        List<String> first = failures.orderBy(col("path")).limit(NAMED).collectAsList().stream()
                .map(r -> r.getAs("path") + " (" + r.getAs("stage") + "): " + r.getAs("error")).toList();
        return new Summary(count, first);
    }
}
