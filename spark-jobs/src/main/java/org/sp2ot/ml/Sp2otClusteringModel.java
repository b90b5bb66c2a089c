package org.sp2ot.ml;

import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.sp2ot.train.ClusterHead;
import org.sp2ot.train.FeatureAdapter;
import org.sp2ot.train.FeaturePreprocessing;
import org.sp2ot.train.HeadKind;
import org.sp2ot.train.HeadPredictor;
import org.sp2ot.ml.data.TrainingData;

/**
 * A trained SP2OT clustering head (ALGORITHM.md §4) as a Spark ML {@link Model}: {@link #transform} adds
 * {@code predictionCol} (int, argmax of the logits) and {@code confidenceCol} (float, largest softmax probability),
 * computed on the executors from a broadcast copy of the head.
 *
 * <p>It carries every param of the estimator that made it ({@link Sp2otParams}: method, K, eps, rho schedule, ...,
 * copied by {@code fit}) and nothing that grows with the training data: the per-row OT weights of the last epoch are
 * in the training summary ({@link Sp2otTrainingSummary#trainingWeights()}), which the train stage writes as a run
 * output of its own. Persistence: every param in the JSON metadata ({@code DefaultParamsWriter}, as MLlib's models)
 * plus Parquet under {@code data/} (one row: head kind, dim, k, scale, parameters) and, when the head was trained on
 * preprocessed features,
 * {@code preprocessing/} (one row: in_dim, mean, projection, l2 of the {@link FeaturePreprocessing} fitted at training
 * time, applied by {@link #transform} before the head) and, when trained with an adapter, {@code adapter/} (one row:
 * dim, hidden, parameters of the {@link FeatureAdapter}, applied after the preprocessing).
 */
public final class Sp2otClusteringModel extends Model<Sp2otClusteringModel> implements Sp2otParams, MLWritable {
    private static final long serialVersionUID = 1L;

    static final StructType HEAD_SCHEMA = new StructType()
            .add("kind", DataTypes.StringType, false)
            .add("dim", DataTypes.IntegerType, false)
            .add("k", DataTypes.IntegerType, false)
            .add("scale", DataTypes.DoubleType, false)
            .add("parameters", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    static final StructType PREPROCESSING_SCHEMA = new StructType()
            .add("in_dim", DataTypes.IntegerType, false)
            .add("mean", DataTypes.createArrayType(DataTypes.FloatType, false), false)
            .add("projection", DataTypes.createArrayType(DataTypes.FloatType, false), true)
            .add("l2", DataTypes.BooleanType, false);

    static final StructType ADAPTER_SCHEMA = new StructType()
            .add("dim", DataTypes.IntegerType, false)
            .add("hidden", DataTypes.IntegerType, false)
            .add("parameters", DataTypes.createArrayType(DataTypes.FloatType, false), false);

    /** The directory in which an earlier version saved every training row's weight; its models are refused. */
    static final String LEGACY_WEIGHTS = "trainingWeights";

    private final String uid;
    private final ClusterHead head;
    private final FeaturePreprocessing preprocessing;
    private final FeatureAdapter adapter;
    private final Declared declared;
    private transient Sp2otTrainingSummary summary;
    private final transient List<Broadcast<HeadPredictor>> broadcasts = new ArrayList<>();

    /** A model of {@code head} on raw features; its params are the defaults, with {@code k} the head's K. */
    public Sp2otClusteringModel(String uid, ClusterHead head) {
        this(uid, head, FeaturePreprocessing.identity(head.dim()));
    }

    /**
     * @param preprocessing the feature transform fitted at training time, applied before the head
     */
    public Sp2otClusteringModel(String uid, ClusterHead head, FeaturePreprocessing preprocessing) {
        this(uid, head, preprocessing, FeatureAdapter.identity(head.dim()));
    }

    /**
     * @param preprocessing the feature transform fitted at training time, applied before the adapter
     * @param adapter the trained adapter, applied between the preprocessing and the head (identity for none)
     */
    public Sp2otClusteringModel(String uid, ClusterHead head, FeaturePreprocessing preprocessing,
            FeatureAdapter adapter) {
        new HeadPredictor(head, preprocessing, adapter); // checks that the dimensions chain
        this.uid = uid;
        this.head = head;
        this.preprocessing = preprocessing;
        this.adapter = adapter;
        this.declared = new Declared(this);
        setSp2otDefaults();
        set(k(), (Object) head.k());
    }

    @Override
    public Declared declared() {
        return declared;
    }

    /** The trained head. */
    public ClusterHead clusterHead() {
        return head;
    }

    /** The feature transform applied before the head (identity when trained on raw features). */
    public FeaturePreprocessing preprocessing() {
        return preprocessing;
    }

    /** The trained adapter between the preprocessing and the head (identity when trained without one). */
    public FeatureAdapter featureAdapter() {
        return adapter;
    }

    /** A predictor for executors: the preprocessing, the adapter, then the head. */
    public HeadPredictor predictor() {
        return new HeadPredictor(head, preprocessing, adapter);
    }

    /** Whether {@link #summary()} is available (only on a model just returned by {@code fit}). */
    public boolean hasSummary() {
        return summary != null;
    }

    /** The training summary. */
    public Sp2otTrainingSummary summary() {
        if (summary == null) {
            throw new IllegalStateException("no training summary for model " + uid
                    + ": summaries exist only on models returned by fit, not on loaded ones");
        }
        return summary;
    }

    void setSummary(Sp2otTrainingSummary value) {
        summary = value;
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Broadcast<HeadPredictor> predictor = JavaSparkContext
                .fromSparkContext(dataset.sparkSession().sparkContext()).broadcast(predictor());
        synchronized (broadcasts) {
            broadcasts.add(predictor);
        }
        Column prediction = predictionUdf(predictor).apply(functions.col(getFeaturesCol()));
        String struct = "__sp2ot_prediction_" + uid;
        return dataset.toDF().withColumn(struct, prediction)
                .withColumn(getPredictionCol(), functions.col(struct + ".cluster"))
                .withColumn(getConfidenceCol(), functions.col(struct + ".confidence"))
                .drop(struct);
    }

    /**
     * Destroys the head copies that {@link #transform} broadcast (one per call), on the driver and the executors.
     * Call it once the transformed data was written or collected; a transformed Dataset evaluated afterwards fails.
     * Without this call Spark's context cleaner frees them once the Datasets are garbage.
     */
    public void destroyBroadcasts() {
        synchronized (broadcasts) {
            for (Broadcast<HeadPredictor> broadcast : broadcasts) {
                broadcast.destroy();
            }
            broadcasts.clear();
        }
    }

    /**
     * A UDF from a features value (array&lt;float&gt;, array&lt;double&gt; or vector) to struct&lt;cluster int,
     * confidence float&gt;, predicting with the broadcast head on the executors.
     */
    private static UserDefinedFunction predictionUdf(Broadcast<HeadPredictor> predictor) {
        StructType output = new StructType(new StructField[] {
            new StructField("cluster", DataTypes.IntegerType, false, Metadata.empty()),
            new StructField("confidence", DataTypes.FloatType, false, Metadata.empty())});
        UDF1<Object, Row> predict = value -> {
            HeadPredictor local = predictor.value();
            float[] features = new float[local.dim()];
            TrainingData.copyVector(value, -1, features, 0, local.dim());
            HeadPredictor.Prediction result = local.predict(features);
            return RowFactory.create(result.cluster(), result.confidence());
        };
        // Marked non-deterministic so the optimiser cannot inline the UDF once per extracted struct field.
        return functions.udf(predict, output).asNondeterministic().asNonNullable();
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Sp2otSchemas.checkFeatures(schema, getFeaturesCol());
        return Sp2otSchemas.withOutputs(schema, getPredictionCol(), getConfidenceCol());
    }

    @Override
    public Sp2otClusteringModel copy(ParamMap extra) {
        Sp2otClusteringModel copy = new Sp2otClusteringModel(uid, head, preprocessing, adapter);
        copyValues(copy, extra);
        copy.summary = summary;
        if (hasParent()) {
            copy.setParent(parent());
        }
        return copy;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** Reader for saved models. */
    public static MLReader<Sp2otClusteringModel> read() {
        return new Reader();
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static Sp2otClusteringModel load(String path) {
        return read().load(path);
    }

    // The column params can be changed on a model; the training params (Sp2otParams) describe how it was made.

    public Sp2otClusteringModel setFeaturesCol(String value) { set(featuresCol(), value); return this; }

    public Sp2otClusteringModel setPredictionCol(String value) { set(predictionCol(), value); return this; }

    public Sp2otClusteringModel setConfidenceCol(String value) { set(confidenceCol(), value); return this; }

    private static final class Writer extends MLWriter {
        private final Sp2otClusteringModel instance;

        Writer(Sp2otClusteringModel instance) {
            this.instance = instance;
        }

        @Override
        public void saveImpl(String path) {
            SparkSession spark = sparkSession();
            DefaultParamsWriter.saveMetadata(instance, path, spark);
            ClusterHead head = instance.head;
            Row row = RowFactory.create(head.kind().configName(), head.dim(), head.k(), head.scale(),
                    boxed(head.parameters()));
            spark.createDataFrame(List.of(row), HEAD_SCHEMA).repartition(1).write().parquet(path + "/data");
            FeaturePreprocessing p = instance.preprocessing;
            if (!p.isIdentity()) {
                Row pre = RowFactory.create(p.inDim(), boxed(p.mean()),
                        p.projection() == null ? null : boxed(p.projection()), p.l2());
                spark.createDataFrame(List.of(pre), PREPROCESSING_SCHEMA).repartition(1).write()
                        .parquet(path + "/preprocessing");
            }
            FeatureAdapter a = instance.adapter;
            if (!a.isIdentity()) {
                spark.createDataFrame(List.of(RowFactory.create(a.dim(), a.hidden(), boxed(a.parameters()))),
                        ADAPTER_SCHEMA).repartition(1).write().parquet(path + "/adapter");
            }
        }

        private static List<Float> boxed(float[] values) {
            List<Float> list = new ArrayList<>(values.length);
            for (float value : values) {
                list.add(value);
            }
            return list;
        }
    }

    private static float[] floats(List<Float> values) {
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }

    /**
     * An earlier version saved every training row's weight under {@value #LEGACY_WEIGHTS}/ and only the column
     * params: loading it would report default training params that did not make it, so it is refused.
     */
    private static void refuseLegacyFormat(SparkSession spark, String path) {
        org.apache.hadoop.fs.Path legacy = new org.apache.hadoop.fs.Path(path, LEGACY_WEIGHTS);
        try {
            if (legacy.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(legacy)) {
                throw new IllegalStateException("the model at " + path + " was saved by an earlier version of sp2ot"
                        + " (it holds " + LEGACY_WEIGHTS + "/ and does not record the params that trained it); re-run"
                        + " its train stage: 'sp2ot run --config <run>/config.conf --run-id <run-id>' retrains it from"
                        + " its checkpoints and writes train-weights/<method>/ beside it");
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("could not read the model at " + path, e);
        }
    }

    private static final class Reader extends MLReader<Sp2otClusteringModel> {
        @Override
        public Sp2otClusteringModel load(String path) {
            SparkSession spark = sparkSession();
            DefaultParamsReader.Metadata metadata = DefaultParamsReader.loadMetadata(path, spark,
                    Sp2otClusteringModel.class.getName());
            refuseLegacyFormat(spark, path);
            List<Row> heads = spark.read().parquet(path + "/data").collectAsList();
            if (heads.size() != 1) {
                throw new IllegalStateException(path + "/data should hold one head row, found " + heads.size());
            }
            Row row = heads.get(0);
            List<Float> parameters = row.getList(row.fieldIndex("parameters"));
            float[] values = new float[parameters.size()];
            for (int i = 0; i < values.length; i++) {
                values[i] = parameters.get(i);
            }
            ClusterHead head = new ClusterHead(HeadKind.parse(row.getString(row.fieldIndex("kind"))),
                    row.getInt(row.fieldIndex("dim")), row.getInt(row.fieldIndex("k")),
                    row.getDouble(row.fieldIndex("scale")), values);
            FeaturePreprocessing preprocessing = FeaturePreprocessing.identity(head.dim());
            try {
                org.apache.hadoop.fs.Path pre = new org.apache.hadoop.fs.Path(path, "preprocessing");
                if (pre.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(pre)) {
                    Row p = spark.read().parquet(pre.toString()).first();
                    preprocessing = new FeaturePreprocessing(p.getInt(p.fieldIndex("in_dim")),
                            floats(p.getList(p.fieldIndex("mean"))), p.isNullAt(p.fieldIndex("projection")) ? null
                                    : floats(p.getList(p.fieldIndex("projection"))), p.getBoolean(p.fieldIndex("l2")));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("could not read the preprocessing of the model at " + path, e);
            }
            FeatureAdapter adapter = FeatureAdapter.identity(head.dim());
            try {
                org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(path, "adapter");
                if (dir.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(dir)) {
                    Row a = spark.read().parquet(dir.toString()).first();
                    adapter = new FeatureAdapter(a.getInt(a.fieldIndex("dim")), a.getInt(a.fieldIndex("hidden")),
                            floats(a.getList(a.fieldIndex("parameters"))));
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException("could not read the adapter of the model at " + path, e);
            }
            Sp2otClusteringModel model = new Sp2otClusteringModel(metadata.uid(), head, preprocessing, adapter);
            metadata.getAndSetParams(model, scala.Option.empty());
            return model;
        }
    }
}
