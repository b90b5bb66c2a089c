package org.sp2ot.jobs.cli;

import org.apache.spark.sql.SparkSession;

/** The SparkSession a command runs in. */
public final class SparkSessions {

    private SparkSessions() {
    }

    /**
     * The active session if there is one, else a new one: with the master {@code spark-submit} gave (system property
     * {@code spark.master}), or {@code local[*]} when the CLI runs stand-alone through {@code bin/sp2ot}.
     */
    public static SparkSession getOrCreate(String appName) {
        SparkSession.Builder builder = SparkSession.builder().appName(appName);
        if (System.getProperty("spark.master") == null) {
            builder.master("local[*]");
        }
        return builder.getOrCreate();
    }
}
