package org.sp2ot.jobs;

import java.util.Map;

import org.apache.spark.sql.SparkSession;

/**
 * Starts (or joins) the Spark session of a run. Under {@code spark-submit} the master and settings come from the
 * submission; with the embedded launcher ({@code bin/sp2ot}, where {@link Main} marks the master as its own
 * default) the run config's {@code spark.master} applies. The config's {@code spark.conf} entries are always
 * applied, and partitioned outputs are overwritten partition by partition (DESIGN.md, scheduled runs).
 */
public final class SparkSessions {

    /** System property {@link Main} sets when it supplied {@code spark.master} itself (no spark-submit). */
    public static final String EMBEDDED_MASTER = "sp2ot.embedded-master";

    private SparkSessions() {
    }

    /** The session for {@code config}. */
    public static SparkSession start(RunConfig config) {
        SparkSession.Builder builder = SparkSession.builder().appName(config.spark().appName() + " " + config.runId());
        if (Boolean.getBoolean(EMBEDDED_MASTER) || System.getProperty("spark.master") == null) {
            builder.master(config.spark().master());
        }
        builder.config("spark.sql.sources.partitionOverwriteMode", "dynamic");
        for (Map.Entry<String, String> e : config.spark().conf().entrySet()) {
            builder.config(e.getKey(), e.getValue());
        }
        return builder.getOrCreate();
    }
}
