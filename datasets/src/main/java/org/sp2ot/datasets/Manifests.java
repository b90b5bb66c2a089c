package org.sp2ot.datasets;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.when;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The manifest and features table contracts (DESIGN.md, "Stage contracts") and the dense, stable ids every recipe
 * gives its rows.
 */
public final class Manifests {
    public static final String TRAIN = "train";
    public static final String TEST = "test";

    /** id long (dense 0..N-1, stable), path string, label int null, label_name string null, split string. */
    public static final StructType MANIFEST_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("path", DataTypes.StringType, true)
            .add("label", DataTypes.IntegerType, true)
            .add("label_name", DataTypes.StringType, true)
            .add("split", DataTypes.StringType, false);

    /** id long, features array&lt;float&gt;, label int null. */
    public static final StructType FEATURES_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("features", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("label", DataTypes.IntegerType, true);

    /** The manifest columns before ids are given: path, label, label_name, split. */
    public static final StructType ENTRY_SCHEMA = new StructType()
            .add("path", DataTypes.StringType, true)
            .add("label", DataTypes.IntegerType, true)
            .add("label_name", DataTypes.StringType, true)
            .add("split", DataTypes.StringType, false);

    private Manifests() {
    }

    /**
     * Numbers the entries (columns of {@link #ENTRY_SCHEMA}) 0..N-1 in the order training split first, then by
     * label (nulls first), then by path. The key is unique when paths are, so two runs over the same input give
     * the same ids, whatever the partitioning; training rows get the ids 0..N_train-1.
     */
    public static Dataset<Row> withDenseIds(Dataset<Row> entries) {
        SparkSession spark = entries.sparkSession();
        Dataset<Row> sorted = entries.select("path", "label", "label_name", "split")
                .orderBy(when(col("split").equalTo(TRAIN), 0).otherwise(1),
                        col("label").asc_nulls_first(), col("path").asc_nulls_first());
        JavaRDD<Row> numbered = sorted.javaRDD().zipWithIndex().map(t -> RowFactory.create(t._2(),
                t._1().get(0), t._1().get(1), t._1().get(2), t._1().get(3)));
        return spark.createDataFrame(numbered, MANIFEST_SCHEMA);
    }
}
