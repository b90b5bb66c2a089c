package org.sp2ot.ml;

import java.util.Arrays;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** Schema checks shared by {@link Sp2otClustering} and {@link Sp2otClusteringModel}. */
final class Sp2otSchemas {

    private Sp2otSchemas() {
    }

    /**
     * Checks that {@code featuresCol} exists and holds array&lt;float&gt;, array&lt;double&gt; or an ML Vector.
     *
     * @throws IllegalArgumentException naming the param and the columns that do exist
     */
    static void checkFeatures(StructType schema, String featuresCol) {
        if (!Arrays.asList(schema.fieldNames()).contains(featuresCol)) {
            throw new IllegalArgumentException("featuresCol: column '" + featuresCol + "' not found; the input has "
                    + String.join(", ", schema.fieldNames()) + " (set featuresCol to the features column)");
        }
        DataType type = schema.apply(featuresCol).dataType();
        boolean isArray = type instanceof ArrayType array && (array.elementType().equals(DataTypes.FloatType)
                || array.elementType().equals(DataTypes.DoubleType));
        if (!isArray && !type.equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("featuresCol: column '" + featuresCol + "' has type "
                    + type.simpleString() + "; expected array<float>, array<double> or vector");
        }
    }

    /** Checks that {@code idCol} exists and is integral. */
    static void checkId(StructType schema, String idCol) {
        if (!Arrays.asList(schema.fieldNames()).contains(idCol)) {
            throw new IllegalArgumentException("idCol: column '" + idCol + "' not found; the input has "
                    + String.join(", ", schema.fieldNames()) + " (set idCol to the sample id column)");
        }
        DataType type = schema.apply(idCol).dataType();
        if (!type.equals(DataTypes.LongType) && !type.equals(DataTypes.IntegerType)) {
            throw new IllegalArgumentException("idCol: column '" + idCol + "' has type " + type.simpleString()
                    + "; expected long or int");
        }
    }

    /** The input schema plus the prediction (int) and confidence (float) columns, which must not exist yet. */
    static StructType withOutputs(StructType schema, String predictionCol, String confidenceCol) {
        for (String name : new String[] {predictionCol, confidenceCol}) {
            if (Arrays.asList(schema.fieldNames()).contains(name)) {
                throw new IllegalArgumentException("output column '" + name + "' already exists in the input; "
                        + "set predictionCol/confidenceCol to other names");
            }
        }
        return schema.add(new StructField(predictionCol, DataTypes.IntegerType, false,
                Metadata.empty()))
                .add(new StructField(confidenceCol, DataTypes.FloatType, false,
                        Metadata.empty()));
    }
}
