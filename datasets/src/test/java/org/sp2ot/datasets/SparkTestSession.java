package org.sp2ot.datasets;

import org.apache.spark.sql.SparkSession;

/**
 * One local[2] SparkSession for the whole test JVM: starting Spark costs seconds, so test classes share it and
 * never stop it (the JVM's exit does). Tests that need another master start their own JVM or cluster.
 */
public final class SparkTestSession {

    private SparkTestSession() {
    }

    public static synchronized SparkSession get() {
        return SparkSession.builder()
                .master("local[2]")
                .appName("sp2ot-tests")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "4")
                .config("spark.default.parallelism", "4")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.session.timeZone", "UTC")
                .getOrCreate();
    }
}
