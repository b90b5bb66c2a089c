package org.sp2ot.jobs.extract;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;

/**
 * What feature extraction produced: the {@code features} table (id long, features array&lt;float&gt;, label int
 * null) and the failures report (id long, path string, error string) of the images that could not be read or
 * decoded and were skipped. Both are cached views of one computation; {@link #unpersist()} when written.
 *
 * @param features  one row per image that was extracted
 * @param failures  one row per image that was skipped, with the reason
 * @param extracted how many rows {@code features} has
 * @param failed    how many rows {@code failures} has
 * @param dimension the feature dimension the model produced (0 when no image could be read)
 */
public record ExtractionResult(Dataset<Row> features, Dataset<Row> failures, long extracted, long failed,
                               int dimension) {

    /** Releases the cached rows behind both tables. */
    public void unpersist() {
        features.unpersist();
        failures.unpersist();
    }
}
