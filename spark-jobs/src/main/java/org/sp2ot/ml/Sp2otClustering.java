package org.sp2ot.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sp2ot.ml.knn.KnnGraphBuilder;
import org.sp2ot.ml.knn.KnnKernel;
import org.sp2ot.ml.knn.KnnOptions;
import org.sp2ot.train.AdapterKind;
import org.sp2ot.train.Augmentation;
import org.sp2ot.train.CollapseCheck;
import org.sp2ot.train.FeatureMatrix;
import org.sp2ot.train.FeaturePreprocessing;
import org.sp2ot.ml.data.HadoopCheckpointStore;
import org.sp2ot.train.HeadInit;
import org.sp2ot.train.HeadKind;
import org.sp2ot.train.LamScaling;
import org.sp2ot.train.ModelSelection;
import org.sp2ot.train.RhoSchedule;
import org.sp2ot.train.SecondView;
import org.sp2ot.ml.data.TrainLog;
import org.sp2ot.train.TrainResult;
import org.sp2ot.train.TrainSettings;
import org.sp2ot.train.Trainer;
import org.sp2ot.ml.data.TrainingData;
import org.sp2ot.train.TrainingSetup;
import org.sp2ot.solver.Backend;
import org.sp2ot.solver.KnnGraph;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.SolverSettings;

/**
 * Imbalanced clustering with OT pseudo-labels (SP2OT and its baselines) as a Spark ML {@link Estimator}, used like
 * {@code KMeans}: set the params, {@link #fit} a features table, get a {@link Sp2otClusteringModel} that adds
 * {@code prediction} (int) and {@code confidence} (float) columns. Saved and loaded with Spark ML persistence, so it
 * drops into a {@code Pipeline}.
 *
 * <p>{@code fit} collects the features to the driver ({@code N * d * 4} bytes) and trains the head there (ALGORITHM.md
 * §4); for {@code method=sp2ot} it needs the k-NN graph: the one given with {@link #setKnnGraph}, else it builds one
 * with {@link KnnGraphBuilder} from {@code knnK}/{@code kernel}/{@code kernelSigma}. Defaults are ALGORITHM.md's.
 */
public final class Sp2otClustering extends Estimator<Sp2otClusteringModel> implements Sp2otParams, MLWritable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Sp2otClustering.class);

    /** Default K: as the CLI's train.k (sp2ot-defaults.conf); the paper's data sets have 100 classes. */
    public static final int DEFAULT_K = 100;

    private final String uid;
    private transient Dataset<Row> knnGraph;
    private final Declared declared;

    public Sp2otClustering() {
        this(Identifiable.randomUID("sp2otClustering"));
    }

    public Sp2otClustering(String uid) {
        this.uid = uid;
        this.declared = new Declared(this);
        setSp2otDefaults();
    }

    @Override
    public Declared declared() {
        return declared;
    }

    /**
     * The training settings these params describe: the one conversion from the params to the trainer.
     *
     * @throws IllegalArgumentException naming the param when a name (method, head, ...) is not recognised
     */
    public TrainSettings trainSettings() {
        SolverSettings solver;
        try {
            solver = new SolverSettings(getEps(), getGamma(), getTol(), getMaxIter(), getLam0(), getLamFixed(),
                    getMmMaxIter(), getMmTol(), parse("backend", () -> Backend.parse(getBackend())));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad solver params: " + e.getMessage(), e);
        }
        return TrainSettings.builder(getK())
                .method(parse("method", () -> Method.parse(getMethod())))
                .epochs(getEpochs()).batchSize(getBatchSize()).bankSize(getBankSize())
                .rhoSchedule(parse("rhoSchedule", () -> RhoSchedule.parse(getRhoSchedule()))).rho0(getRho0())
                .head(parse("head", () -> HeadKind.parse(getHead()))).headScale(getHeadScale())
                .learningRate(getLr()).finalLearningRateFactor(getFinalLrFactor())
                .adam(getBeta1(), getBeta2(), getAdamEps(), getWeightDecay()).seed(getSeed())
                .selection(parse("selection", () -> ModelSelection.parse(getSelection())))
                .solver(solver).keepCheckpoints(getKeepCheckpoints()).checkpointEvery(getCheckpointEvery())
                .setup(setup()).build();
    }

    private TrainingSetup setup() {
        try {
            return new TrainingSetup(HeadInit.parse(getInit()), getInitRestarts(),
                    new FeaturePreprocessing.Spec(getPreprocessCenter(), getPcaDim(), getPcaWhiten(),
                            getPreprocessL2()), LamScaling.parse(getLamScaling()), SecondView.parse(getView()),
                    AdapterKind.parse(getAdapter()), getAdapterHidden(),
                    new Augmentation(getAugmentDropout(), getAugmentNoise()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad training setup params: " + e.getMessage(), e);
        }
    }

    /**
     * Uses this k-NN table (id, neighbors array&lt;long&gt;, weights array&lt;float&gt;) for SP2OT instead of building
     * one. It is not a param: it is not saved with the estimator.
     */
    public Sp2otClustering setKnnGraph(Dataset<Row> knn) {
        this.knnGraph = knn;
        return this;
    }

    /** {@link #fit(Dataset)} with the given k-NN table (null: build it when needed). */
    public Sp2otClusteringModel fit(Dataset<?> dataset, Dataset<Row> knn) {
        return copy(ParamMap.empty()).setKnnGraph(knn).fit(dataset);
    }

    @Override
    public Sp2otClusteringModel fit(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        Sp2otSchemas.checkId(dataset.schema(), getIdCol());
        TrainSettings settings = trainSettings();
        long rows = dataset.count();
        settings.validateFor((int) Math.min(rows, Integer.MAX_VALUE), 1);

        FeatureMatrix features = TrainingData.collectFeatures(dataset, getIdCol(), getFeaturesCol());
        KnnGraph graph = null;
        if (settings.method() == Method.SP2OT || settings.setup().view() == SecondView.NEIGHBOR) {
            if (knnGraph == null) {
                KnnOptions options = KnnOptions.defaults().withK(getKnnK())
                        .withKernel(parse("kernel", () -> KnnKernel.parse(getKernel()))).withSigma(getKernelSigma());
                LOG.info("Building the k-NN graph (k={}, kernel {}) for SP2OT", getKnnK(), getKernel());
                Dataset<Row> built = KnnGraphBuilder.build(
                        dataset.select(getIdCol(), getFeaturesCol()).toDF("id", "features"), options);
                graph = TrainingData.collectKnn(built, features);
                built.unpersist();
            } else {
                graph = TrainingData.collectKnn(knnGraph, features);
            }
        }
        org.apache.hadoop.conf.Configuration conf = dataset.sparkSession().sparkContext().hadoopConfiguration();
        HadoopCheckpointStore store = null;
        if (!getCheckpointDir().isEmpty()) {
            try {
                store = new HadoopCheckpointStore(conf, getCheckpointDir(), getKeepCheckpoints());
            } catch (IOException e) {
                throw new UncheckedIOException("checkpointDir: cannot open " + getCheckpointDir(), e);
            }
        }
        LOG.info("Training {} on {} samples x {} dims, K={}, {} epochs of batch {} (bank {})", settings.method(),
                features.n(), features.dim(), settings.k(), settings.epochs(), settings.batchSize(),
                settings.effectiveBankSize(features.n()));
        TrainResult result = new Trainer(settings, features, graph, store, new TrainLog(conf, getTrainLogPath())).train();
        LOG.info("Training done on {}: model from epoch {} (loss {}), {} of {} clusters used", result.solverDevice(),
                result.selectedEpoch(), result.history().isEmpty() ? Double.NaN
                        : result.history().get(result.selectedEpoch() - 1).loss(),
                CollapseCheck.clustersUsed(result.clusterSizes()), settings.k());
        CollapseCheck.diagnose(getMethod(), result.clusterSizes()).ifPresent(LOG::warn);

        Sp2otClusteringModel model = new Sp2otClusteringModel(uid, result.head(), result.preprocessing(),
                result.adapter());
        copyValues(model, ParamMap.empty());
        model.setParent(this);
        model.setSummary(new Sp2otTrainingSummary(result.history(), result.selectedEpoch(), result.clusterSizes(),
                result.bankRows(), result.solverDevice(), features.ids(), result.sampleWeights(),
                dataset.sparkSession(), () -> model.transform(dataset)));
        return model;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        Sp2otSchemas.checkFeatures(schema, getFeaturesCol());
        return Sp2otSchemas.withOutputs(schema, getPredictionCol(), getConfidenceCol());
    }

    @Override
    public Sp2otClustering copy(ParamMap extra) {
        Sp2otClustering copy = new Sp2otClustering(uid);
        copyValues(copy, extra);
        copy.knnGraph = knnGraph;
        return copy;
    }

    @Override
    public String uid() {
        return uid;
    }

    @Override
    public MLWriter write() {
        return new DefaultParamsWriter(this);
    }

    /** Reader for saved estimators. */
    public static MLReader<Sp2otClustering> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads an estimator saved with {@code write().save(path)}. */
    public static Sp2otClustering load(String path) {
        return read().load(path);
    }

    public static String backendName(Backend backend) {
        return backend == Backend.REFERENCE ? "cpu" : backend.name().toLowerCase(Locale.ROOT);
    }

    /** Sets a choice param (a validated string param of {@link Sp2otParams}), rejecting any other value with a message naming the param and its values. */
    private Sp2otClustering setChoice(Param<String> param, String value) {
        if (!(Boolean) param.isValid().apply(value)) {
            throw new IllegalArgumentException(param.name() + ": '" + value + "' is not one of "
                    + param.doc().substring(param.doc().lastIndexOf(": ") + 2));
        }
        set(param, value);
        return this;
    }

    private static <T> T parse(String param, java.util.function.Supplier<T> parser) {
        try {
            return parser.get();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(param + ": " + e.getMessage(), e);
        }
    }

    // Setters, one per param of Sp2otParams (which declares the params and their getters).

    public Sp2otClustering setK(int value) { set(k(), (Object) value); return this; }

    public Sp2otClustering setFeaturesCol(String value) { set(featuresCol(), value); return this; }

    public Sp2otClustering setIdCol(String value) { set(idCol(), value); return this; }

    public Sp2otClustering setPredictionCol(String value) { set(predictionCol(), value); return this; }

    public Sp2otClustering setConfidenceCol(String value) { set(confidenceCol(), value); return this; }

    public Sp2otClustering setMethod(String value) { return setChoice(method(), value); }

    public Sp2otClustering setEpochs(int value) { set(epochs(), (Object) value); return this; }

    public Sp2otClustering setBatchSize(int value) { set(batchSize(), (Object) value); return this; }

    public Sp2otClustering setBankSize(int value) { set(bankSize(), (Object) value); return this; }

    public Sp2otClustering setRhoSchedule(String value) { return setChoice(rhoSchedule(), value); }

    public Sp2otClustering setRho0(double value) { set(rho0(), (Object) value); return this; }

    public Sp2otClustering setHead(String value) { return setChoice(head(), value); }

    public Sp2otClustering setHeadScale(double value) { set(headScale(), (Object) value); return this; }

    public Sp2otClustering setLr(double value) { set(lr(), (Object) value); return this; }

    public Sp2otClustering setFinalLrFactor(double value) { set(finalLrFactor(), (Object) value); return this; }

    public Sp2otClustering setBeta1(double value) { set(beta1(), (Object) value); return this; }

    public Sp2otClustering setBeta2(double value) { set(beta2(), (Object) value); return this; }

    public Sp2otClustering setAdamEps(double value) { set(adamEps(), (Object) value); return this; }

    public Sp2otClustering setWeightDecay(double value) { set(weightDecay(), (Object) value); return this; }

    public Sp2otClustering setSeed(long value) { set(seed(), (Object) value); return this; }

    public Sp2otClustering setSelection(String value) { return setChoice(selection(), value); }

    public Sp2otClustering setEps(double value) { set(eps(), (Object) value); return this; }

    public Sp2otClustering setGamma(double value) { set(gamma(), (Object) value); return this; }

    public Sp2otClustering setTol(double value) { set(tol(), (Object) value); return this; }

    public Sp2otClustering setMaxIter(int value) { set(maxIter(), (Object) value); return this; }

    public Sp2otClustering setLam0(double value) { set(lam0(), (Object) value); return this; }

    public Sp2otClustering setLamFixed(double value) { set(lamFixed(), (Object) value); return this; }

    public Sp2otClustering setMmMaxIter(int value) { set(mmMaxIter(), (Object) value); return this; }

    public Sp2otClustering setMmTol(double value) { set(mmTol(), (Object) value); return this; }

    public Sp2otClustering setBackend(String value) { return setChoice(backend(), value); }

    public Sp2otClustering setKnnK(int value) { set(knnK(), (Object) value); return this; }

    public Sp2otClustering setKernel(String value) { return setChoice(kernel(), value); }

    public Sp2otClustering setKernelSigma(double value) { set(kernelSigma(), (Object) value); return this; }

    public Sp2otClustering setCheckpointDir(String value) { set(checkpointDir(), value); return this; }

    public Sp2otClustering setKeepCheckpoints(int value) { set(keepCheckpoints(), (Object) value); return this; }

    public Sp2otClustering setCheckpointEvery(int value) { set(checkpointEvery(), (Object) value); return this; }

    public Sp2otClustering setInit(String value) { set(init(), value); return this; }

    public Sp2otClustering setInitRestarts(int value) { set(initRestarts(), (Object) value); return this; }

    public Sp2otClustering setPreprocessCenter(boolean value) { set(preprocessCenter(), (Object) value); return this; }

    public Sp2otClustering setPcaDim(int value) { set(pcaDim(), (Object) value); return this; }

    public Sp2otClustering setPcaWhiten(boolean value) { set(pcaWhiten(), (Object) value); return this; }

    public Sp2otClustering setPreprocessL2(boolean value) { set(preprocessL2(), (Object) value); return this; }

    public Sp2otClustering setLamScaling(String value) { set(lamScaling(), value); return this; }

    public Sp2otClustering setView(String value) { set(view(), value); return this; }
    public Sp2otClustering setAdapter(String value) { set(adapter(), value); return this; }
    public Sp2otClustering setAdapterHidden(int value) { set(adapterHidden(), (Object) value); return this; }
    public Sp2otClustering setAugmentDropout(double value) { set(augmentDropout(), (Object) value); return this; }
    public Sp2otClustering setAugmentNoise(double value) { set(augmentNoise(), (Object) value); return this; }

    public Sp2otClustering setTrainLogPath(String value) { set(trainLogPath(), value); return this; }
}
