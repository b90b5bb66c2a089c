package org.sp2ot.ml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Locale;

import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
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
public final class Sp2otClustering extends Estimator<Sp2otClusteringModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(Sp2otClustering.class);

    /** Default K: as the CLI's train.k (sp2ot-defaults.conf); the paper's data sets have 100 classes. */
    public static final int DEFAULT_K = 100;

    /** The values each string param accepts (canonical names; validated when set, ParamValidators.inArray). */
    static final java.util.List<String> METHODS = names(Method.values());
    static final java.util.List<String> RHO_SCHEDULES = java.util.Arrays.stream(RhoSchedule.values())
            .map(RhoSchedule::configName).toList();
    static final java.util.List<String> HEADS = java.util.Arrays.stream(HeadKind.values())
            .map(HeadKind::configName).toList();
    static final java.util.List<String> SELECTIONS = java.util.Arrays.stream(ModelSelection.values())
            .map(ModelSelection::configName).toList();
    static final java.util.List<String> BACKENDS = java.util.Arrays.stream(Backend.values())
            .map(Sp2otClustering::backendName).toList();
    static final java.util.List<String> KERNELS = java.util.Arrays.stream(KnnKernel.values())
            .map(KnnKernel::cliName).toList();

    private final String uid;
    private transient Dataset<Row> knnGraph;

    private final IntParam k;
    private final Param<String> featuresCol;
    private final Param<String> idCol;
    private final Param<String> predictionCol;
    private final Param<String> confidenceCol;
    private final Param<String> method;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final IntParam bankSize;
    private final Param<String> rhoSchedule;
    private final DoubleParam rho0;
    private final Param<String> head;
    private final DoubleParam headScale;
    private final DoubleParam lr;
    private final DoubleParam finalLrFactor;
    private final DoubleParam beta1;
    private final DoubleParam beta2;
    private final DoubleParam adamEps;
    private final DoubleParam weightDecay;
    private final LongParam seed;
    private final Param<String> selection;
    private final DoubleParam eps;
    private final DoubleParam gamma;
    private final DoubleParam tol;
    private final IntParam maxIter;
    private final DoubleParam lam0;
    private final DoubleParam lamFixed;
    private final IntParam mmMaxIter;
    private final DoubleParam mmTol;
    private final Param<String> backend;
    private final IntParam knnK;
    private final Param<String> kernel;
    private final DoubleParam kernelSigma;
    private final Param<String> checkpointDir;
    private final IntParam keepCheckpoints;
    private final IntParam checkpointEvery;
    private final Param<String> trainLogPath;
    private final Param<String> init;
    private final IntParam initRestarts;
    private final BooleanParam preprocessCenter;
    private final IntParam pcaDim;
    private final BooleanParam pcaWhiten;
    private final BooleanParam preprocessL2;
    private final Param<String> lamScaling;
    private final Param<String> view;
    private final Param<String> adapter;
    private final IntParam adapterHidden;
    private final DoubleParam augmentDropout;
    private final DoubleParam augmentNoise;

    public Sp2otClustering() {
        this(Identifiable.randomUID("sp2otClustering"));
    }

    public Sp2otClustering(String uid) {
        this.uid = uid;
        TrainSettings d = TrainSettings.builder(DEFAULT_K).build();
        SolverSettings s = d.solver();
        KnnOptions knn = KnnOptions.defaults();
        k = new IntParam(this, "k", "number of clusters K (>= 2, <= N)", ParamValidators.gtEq(2));
        featuresCol = new Param<>(this, "featuresCol", "features column: array<float>, array<double> or vector");
        idCol = new Param<>(this, "idCol", "sample id column (long); ids must be unique");
        predictionCol = new Param<>(this, "predictionCol", "output column: cluster index (int)");
        confidenceCol = new Param<>(this, "confidenceCol", "output column: largest softmax probability (float)");
        method = choice("method", "pseudo-labelling method", METHODS);
        epochs = new IntParam(this, "epochs", "training epochs (>= 1)", ParamValidators.gtEq(1));
        batchSize = new IntParam(this, "batchSize", "mini-batch size (<= N)", ParamValidators.gtEq(1));
        bankSize = new IntParam(this, "bankSize", "rows of the logits bank; 0 = OT on each batch", ParamValidators.gtEq(0));
        rhoSchedule = choice("rhoSchedule", "rho schedule", RHO_SCHEDULES);
        rho0 = new DoubleParam(this, "rho0", "initial mass fraction rho0 in (0, 1]", ParamValidators.inRange(0, 1, false, true));
        head = choice("head", "clustering head", HEADS);
        headScale = new DoubleParam(this, "headScale", "logit scale of the cosine head", ParamValidators.gt(0));
        lr = new DoubleParam(this, "lr", "Adam learning rate", ParamValidators.gt(0));
        finalLrFactor = new DoubleParam(this, "finalLrFactor", "cosine decay ends at lr * finalLrFactor",
                ParamValidators.inRange(0, 1, false, true));
        beta1 = new DoubleParam(this, "beta1", "Adam beta1", ParamValidators.inRange(0, 1, true, false));
        beta2 = new DoubleParam(this, "beta2", "Adam beta2", ParamValidators.inRange(0, 1, true, false));
        adamEps = new DoubleParam(this, "adamEps", "Adam epsilon", ParamValidators.gt(0));
        weightDecay = new DoubleParam(this, "weightDecay", "Adam L2 weight decay", ParamValidators.gtEq(0));
        seed = new LongParam(this, "seed", "random seed (initial head, epoch orders)");
        selection = choice("selection", "model selection (which epoch's head is kept)", SELECTIONS);
        eps = new DoubleParam(this, "eps", "entropic regularisation of the OT problem", ParamValidators.gt(0));
        gamma = new DoubleParam(this, "gamma", "weight of the KL relaxation of cluster sizes", ParamValidators.gt(0));
        tol = new DoubleParam(this, "tol", "scaling solver tolerance", ParamValidators.gt(0));
        maxIter = new IntParam(this, "maxIter", "scaling iterations per OT solve", ParamValidators.gtEq(1));
        lam0 = new DoubleParam(this, "lam0", "SP2OT semantic weight: lam = (1 - rho) * lam0", ParamValidators.gtEq(0));
        lamFixed = new DoubleParam(this, "lamFixed", "fixed SP2OT lam instead of the schedule (NaN = schedule)");
        mmMaxIter = new IntParam(this, "mmMaxIter", "SP2OT majorization-minimization steps", ParamValidators.gtEq(1));
        mmTol = new DoubleParam(this, "mmTol", "SP2OT MM objective tolerance", ParamValidators.gt(0));
        backend = choice("backend", "OT solver backend", BACKENDS);
        knnK = new IntParam(this, "knnK", "neighbours per sample when fit builds the k-NN graph", ParamValidators.gtEq(1));
        kernel = choice("kernel", "k-NN affinity kernel when fit builds the graph", KERNELS);
        kernelSigma = new DoubleParam(this, "kernelSigma", "sigma of the gauss kernel", ParamValidators.gt(0));
        checkpointDir = new Param<>(this, "checkpointDir", "directory for per-epoch checkpoints; empty = none");
        keepCheckpoints = new IntParam(this, "keepCheckpoints", "newest checkpoints kept", ParamValidators.gtEq(1));
        checkpointEvery = new IntParam(this, "checkpointEvery", "checkpoint after every this many epochs",
                ParamValidators.gtEq(1));
        trainLogPath = new Param<>(this, "trainLogPath", "path of train-log.jsonl; empty = log to console only");
        init = new Param<>(this, "init", "how the head starts: random or kmeans (k-means centroids)");
        initRestarts = new IntParam(this, "initRestarts", "k-means restarts of init = kmeans", ParamValidators.gtEq(1));
        preprocessCenter = new BooleanParam(this, "preprocessCenter", "subtract the training mean before the head");
        pcaDim = new IntParam(this, "pcaDim", "project to this many principal components before the head (0 = none)",
                ParamValidators.gtEq(0));
        pcaWhiten = new BooleanParam(this, "pcaWhiten", "scale the principal components to unit variance");
        preprocessL2 = new BooleanParam(this, "preprocessL2", "L2-normalise the features before the head");
        lamScaling = new Param<>(this, "lamScaling", "lam0 scaling with the OT problem size: none or bank (x N/5120)");
        view = new Param<>(this, "view", "second view: none or neighbor (learn from a k-NN neighbour's pseudo-labels)");
        adapter = new Param<>(this, "adapter", "trainable adapter before the head: none or residual-mlp");
        adapterHidden = new IntParam(this, "adapterHidden", "hidden units of the residual-mlp adapter",
                ParamValidators.gtEq(1));
        augmentDropout = new DoubleParam(this, "augmentDropout", "two-view augmentation: feature dropout probability",
                ParamValidators.inRange(0, 1, true, false));
        augmentNoise = new DoubleParam(this, "augmentNoise", "two-view augmentation: Gaussian noise relative to the "
                + "row's RMS", ParamValidators.gtEq(0));

        setDefault(k, (Object) DEFAULT_K);
        setDefault(featuresCol, "features");
        setDefault(idCol, "id");
        setDefault(predictionCol, "prediction");
        setDefault(confidenceCol, "confidence");
        setDefault(method, d.method().name().toLowerCase(Locale.ROOT));
        setDefault(epochs, (Object) d.epochs());
        setDefault(batchSize, (Object) d.batchSize());
        setDefault(bankSize, (Object) d.bankSize());
        setDefault(rhoSchedule, d.rhoSchedule().configName());
        setDefault(rho0, (Object) d.rho0());
        setDefault(head, d.head().configName());
        setDefault(headScale, (Object) d.headScale());
        setDefault(lr, (Object) d.learningRate());
        setDefault(finalLrFactor, (Object) d.finalLearningRateFactor());
        setDefault(beta1, (Object) d.beta1());
        setDefault(beta2, (Object) d.beta2());
        setDefault(adamEps, (Object) d.adamEpsilon());
        setDefault(weightDecay, (Object) d.weightDecay());
        setDefault(seed, (Object) d.seed());
        setDefault(selection, d.selection().configName());
        setDefault(eps, (Object) s.eps());
        setDefault(gamma, (Object) s.gamma());
        setDefault(tol, (Object) s.tol());
        setDefault(maxIter, (Object) s.maxIter());
        setDefault(lam0, (Object) s.lam0());
        setDefault(lamFixed, (Object) s.lamFixed());
        setDefault(mmMaxIter, (Object) s.mmMaxIter());
        setDefault(mmTol, (Object) s.mmTol());
        setDefault(backend, backendName(s.backend()));
        setDefault(knnK, (Object) knn.k());
        setDefault(kernel, knn.kernel().cliName());
        setDefault(kernelSigma, (Object) knn.sigma());
        setDefault(checkpointDir, "");
        setDefault(keepCheckpoints, (Object) d.keepCheckpoints());
        setDefault(checkpointEvery, (Object) d.checkpointEvery());
        setDefault(trainLogPath, "");
        TrainingSetup setup = d.setup();
        setDefault(init, setup.init().configName());
        setDefault(initRestarts, (Object) setup.initRestarts());
        setDefault(preprocessCenter, (Object) setup.preprocess().center());
        setDefault(pcaDim, (Object) setup.preprocess().pcaDim());
        setDefault(pcaWhiten, (Object) setup.preprocess().whiten());
        setDefault(preprocessL2, (Object) setup.preprocess().l2());
        setDefault(lamScaling, setup.lamScaling().configName());
        setDefault(view, setup.view().configName());
        setDefault(adapter, setup.adapter().configName());
        setDefault(adapterHidden, (Object) setup.adapterHidden());
        setDefault(augmentDropout, (Object) setup.augment().dropout());
        setDefault(augmentNoise, (Object) setup.augment().noise());
    }

    /** An estimator whose params reproduce {@code settings} exactly. */
    public static Sp2otClustering fromSettings(TrainSettings settings) {
        settings.validate();
        SolverSettings s = settings.solver();
        return new Sp2otClustering().setK(settings.k()).setMethod(settings.method().name().toLowerCase(Locale.ROOT))
                .setEpochs(settings.epochs()).setBatchSize(settings.batchSize()).setBankSize(settings.bankSize())
                .setRhoSchedule(settings.rhoSchedule().configName()).setRho0(settings.rho0())
                .setHead(settings.head().configName()).setHeadScale(settings.headScale()).setLr(settings.learningRate())
                .setFinalLrFactor(settings.finalLearningRateFactor()).setBeta1(settings.beta1())
                .setBeta2(settings.beta2()).setAdamEps(settings.adamEpsilon()).setWeightDecay(settings.weightDecay())
                .setSeed(settings.seed()).setSelection(settings.selection().configName()).setEps(s.eps())
                .setGamma(s.gamma()).setTol(s.tol()).setMaxIter(s.maxIter()).setLam0(s.lam0())
                .setLamFixed(s.lamFixed()).setMmMaxIter(s.mmMaxIter()).setMmTol(s.mmTol())
                .setBackend(backendName(s.backend())).setKeepCheckpoints(settings.keepCheckpoints())
                .setCheckpointEvery(settings.checkpointEvery()).setInit(settings.setup().init().configName())
                .setInitRestarts(settings.setup().initRestarts())
                .setPreprocessCenter(settings.setup().preprocess().center())
                .setPcaDim(settings.setup().preprocess().pcaDim())
                .setPcaWhiten(settings.setup().preprocess().whiten())
                .setPreprocessL2(settings.setup().preprocess().l2())
                .setLamScaling(settings.setup().lamScaling().configName())
                .setView(settings.setup().view().configName())
                .setAdapter(settings.setup().adapter().configName())
                .setAdapterHidden(settings.setup().adapterHidden())
                .setAugmentDropout(settings.setup().augment().dropout())
                .setAugmentNoise(settings.setup().augment().noise());
    }

    /**
     * The training settings these params describe.
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
                result.adapter(), features.ids(), result.sampleWeights());
        copyValues(model, ParamMap.empty());
        model.setParent(this);
        model.setSummary(new Sp2otTrainingSummary(result.history(), result.selectedEpoch(), result.clusterSizes(),
                result.bankRows(), result.solverDevice(), model.transform(dataset)));
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

    private static java.util.List<String> names(Enum<?>[] values) {
        return java.util.Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
    }

    /** A string param whose value must be one of {@code allowed}, checked when set. */
    private Param<String> choice(String name, String doc, java.util.List<String> allowed) {
        return new Param<>(this, name, doc + ": " + String.join(", ", allowed),
                ParamValidators.inArray(allowed));
    }

    /** Sets a {@link #choice} param, rejecting any other value with a message naming the param and its values. */
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

    // Params: one getter returning the Param (found by Spark's reflection), one value getter, one setter each.

    public IntParam k() { return k; }
    public int getK() { return (Integer) getOrDefault(k); }
    public Sp2otClustering setK(int value) { set(k, (Object) value); return this; }

    public Param<String> featuresCol() { return featuresCol; }
    public String getFeaturesCol() { return getOrDefault(featuresCol); }
    public Sp2otClustering setFeaturesCol(String value) { set(featuresCol, value); return this; }

    public Param<String> idCol() { return idCol; }
    public String getIdCol() { return getOrDefault(idCol); }
    public Sp2otClustering setIdCol(String value) { set(idCol, value); return this; }

    public Param<String> predictionCol() { return predictionCol; }
    public String getPredictionCol() { return getOrDefault(predictionCol); }
    public Sp2otClustering setPredictionCol(String value) { set(predictionCol, value); return this; }

    public Param<String> confidenceCol() { return confidenceCol; }
    public String getConfidenceCol() { return getOrDefault(confidenceCol); }
    public Sp2otClustering setConfidenceCol(String value) { set(confidenceCol, value); return this; }

    public Param<String> method() { return method; }
    public String getMethod() { return getOrDefault(method); }
    public Sp2otClustering setMethod(String value) { return setChoice(method, value); }

    public IntParam epochs() { return epochs; }
    public int getEpochs() { return (Integer) getOrDefault(epochs); }
    public Sp2otClustering setEpochs(int value) { set(epochs, (Object) value); return this; }

    public IntParam batchSize() { return batchSize; }
    public int getBatchSize() { return (Integer) getOrDefault(batchSize); }
    public Sp2otClustering setBatchSize(int value) { set(batchSize, (Object) value); return this; }

    public IntParam bankSize() { return bankSize; }
    public int getBankSize() { return (Integer) getOrDefault(bankSize); }
    public Sp2otClustering setBankSize(int value) { set(bankSize, (Object) value); return this; }

    public Param<String> rhoSchedule() { return rhoSchedule; }
    public String getRhoSchedule() { return getOrDefault(rhoSchedule); }
    public Sp2otClustering setRhoSchedule(String value) { return setChoice(rhoSchedule, value); }

    public DoubleParam rho0() { return rho0; }
    public double getRho0() { return (Double) getOrDefault(rho0); }
    public Sp2otClustering setRho0(double value) { set(rho0, (Object) value); return this; }

    public Param<String> head() { return head; }
    public String getHead() { return getOrDefault(head); }
    public Sp2otClustering setHead(String value) { return setChoice(head, value); }

    public DoubleParam headScale() { return headScale; }
    public double getHeadScale() { return (Double) getOrDefault(headScale); }
    public Sp2otClustering setHeadScale(double value) { set(headScale, (Object) value); return this; }

    public DoubleParam lr() { return lr; }
    public double getLr() { return (Double) getOrDefault(lr); }
    public Sp2otClustering setLr(double value) { set(lr, (Object) value); return this; }

    public DoubleParam finalLrFactor() { return finalLrFactor; }
    public double getFinalLrFactor() { return (Double) getOrDefault(finalLrFactor); }
    public Sp2otClustering setFinalLrFactor(double value) { set(finalLrFactor, (Object) value); return this; }

    public DoubleParam beta1() { return beta1; }
    public double getBeta1() { return (Double) getOrDefault(beta1); }
    public Sp2otClustering setBeta1(double value) { set(beta1, (Object) value); return this; }

    public DoubleParam beta2() { return beta2; }
    public double getBeta2() { return (Double) getOrDefault(beta2); }
    public Sp2otClustering setBeta2(double value) { set(beta2, (Object) value); return this; }

    public DoubleParam adamEps() { return adamEps; }
    public double getAdamEps() { return (Double) getOrDefault(adamEps); }
    public Sp2otClustering setAdamEps(double value) { set(adamEps, (Object) value); return this; }

    public DoubleParam weightDecay() { return weightDecay; }
    public double getWeightDecay() { return (Double) getOrDefault(weightDecay); }
    public Sp2otClustering setWeightDecay(double value) { set(weightDecay, (Object) value); return this; }

    public LongParam seed() { return seed; }
    public long getSeed() { return (Long) getOrDefault(seed); }
    public Sp2otClustering setSeed(long value) { set(seed, (Object) value); return this; }

    public Param<String> selection() { return selection; }
    public String getSelection() { return getOrDefault(selection); }
    public Sp2otClustering setSelection(String value) { return setChoice(selection, value); }

    public DoubleParam eps() { return eps; }
    public double getEps() { return (Double) getOrDefault(eps); }
    public Sp2otClustering setEps(double value) { set(eps, (Object) value); return this; }

    public DoubleParam gamma() { return gamma; }
    public double getGamma() { return (Double) getOrDefault(gamma); }
    public Sp2otClustering setGamma(double value) { set(gamma, (Object) value); return this; }

    public DoubleParam tol() { return tol; }
    public double getTol() { return (Double) getOrDefault(tol); }
    public Sp2otClustering setTol(double value) { set(tol, (Object) value); return this; }

    public IntParam maxIter() { return maxIter; }
    public int getMaxIter() { return (Integer) getOrDefault(maxIter); }
    public Sp2otClustering setMaxIter(int value) { set(maxIter, (Object) value); return this; }

    public DoubleParam lam0() { return lam0; }
    public double getLam0() { return (Double) getOrDefault(lam0); }
    public Sp2otClustering setLam0(double value) { set(lam0, (Object) value); return this; }

    public DoubleParam lamFixed() { return lamFixed; }
    public double getLamFixed() { return (Double) getOrDefault(lamFixed); }
    public Sp2otClustering setLamFixed(double value) { set(lamFixed, (Object) value); return this; }

    public IntParam mmMaxIter() { return mmMaxIter; }
    public int getMmMaxIter() { return (Integer) getOrDefault(mmMaxIter); }
    public Sp2otClustering setMmMaxIter(int value) { set(mmMaxIter, (Object) value); return this; }

    public DoubleParam mmTol() { return mmTol; }
    public double getMmTol() { return (Double) getOrDefault(mmTol); }
    public Sp2otClustering setMmTol(double value) { set(mmTol, (Object) value); return this; }

    public Param<String> backend() { return backend; }
    public String getBackend() { return getOrDefault(backend); }
    public Sp2otClustering setBackend(String value) { return setChoice(backend, value); }

    public IntParam knnK() { return knnK; }
    public int getKnnK() { return (Integer) getOrDefault(knnK); }
    public Sp2otClustering setKnnK(int value) { set(knnK, (Object) value); return this; }

    public Param<String> kernel() { return kernel; }
    public String getKernel() { return getOrDefault(kernel); }
    public Sp2otClustering setKernel(String value) { return setChoice(kernel, value); }

    public DoubleParam kernelSigma() { return kernelSigma; }
    public double getKernelSigma() { return (Double) getOrDefault(kernelSigma); }
    public Sp2otClustering setKernelSigma(double value) { set(kernelSigma, (Object) value); return this; }

    public Param<String> checkpointDir() { return checkpointDir; }
    public String getCheckpointDir() { return getOrDefault(checkpointDir); }
    public Sp2otClustering setCheckpointDir(String value) { set(checkpointDir, value); return this; }

    public IntParam keepCheckpoints() { return keepCheckpoints; }
    public int getKeepCheckpoints() { return (Integer) getOrDefault(keepCheckpoints); }
    public Sp2otClustering setKeepCheckpoints(int value) { set(keepCheckpoints, (Object) value); return this; }

    public IntParam checkpointEvery() { return checkpointEvery; }
    public int getCheckpointEvery() { return (Integer) getOrDefault(checkpointEvery); }
    public Sp2otClustering setCheckpointEvery(int value) { set(checkpointEvery, (Object) value); return this; }

    public Param<String> init() { return init; }
    public String getInit() { return getOrDefault(init); }
    public Sp2otClustering setInit(String value) { set(init, value); return this; }

    public IntParam initRestarts() { return initRestarts; }
    public int getInitRestarts() { return (Integer) getOrDefault(initRestarts); }
    public Sp2otClustering setInitRestarts(int value) { set(initRestarts, (Object) value); return this; }

    public BooleanParam preprocessCenter() { return preprocessCenter; }
    public boolean getPreprocessCenter() { return (Boolean) getOrDefault(preprocessCenter); }
    public Sp2otClustering setPreprocessCenter(boolean value) { set(preprocessCenter, (Object) value); return this; }

    public IntParam pcaDim() { return pcaDim; }
    public int getPcaDim() { return (Integer) getOrDefault(pcaDim); }
    public Sp2otClustering setPcaDim(int value) { set(pcaDim, (Object) value); return this; }

    public BooleanParam pcaWhiten() { return pcaWhiten; }
    public boolean getPcaWhiten() { return (Boolean) getOrDefault(pcaWhiten); }
    public Sp2otClustering setPcaWhiten(boolean value) { set(pcaWhiten, (Object) value); return this; }

    public BooleanParam preprocessL2() { return preprocessL2; }
    public boolean getPreprocessL2() { return (Boolean) getOrDefault(preprocessL2); }
    public Sp2otClustering setPreprocessL2(boolean value) { set(preprocessL2, (Object) value); return this; }

    public Param<String> lamScaling() { return lamScaling; }
    public String getLamScaling() { return getOrDefault(lamScaling); }
    public Sp2otClustering setLamScaling(String value) { set(lamScaling, value); return this; }

    public Param<String> view() { return view; }
    public String getView() { return getOrDefault(view); }
    public Sp2otClustering setView(String value) { set(view, value); return this; }

    public Param<String> adapter() { return adapter; }
    public String getAdapter() { return getOrDefault(adapter); }
    public Sp2otClustering setAdapter(String value) { set(adapter, value); return this; }

    public IntParam adapterHidden() { return adapterHidden; }
    public int getAdapterHidden() { return (Integer) getOrDefault(adapterHidden); }
    public Sp2otClustering setAdapterHidden(int value) { set(adapterHidden, (Object) value); return this; }

    public DoubleParam augmentDropout() { return augmentDropout; }
    public double getAugmentDropout() { return (Double) getOrDefault(augmentDropout); }
    public Sp2otClustering setAugmentDropout(double value) { set(augmentDropout, (Object) value); return this; }

    public DoubleParam augmentNoise() { return augmentNoise; }
    public double getAugmentNoise() { return (Double) getOrDefault(augmentNoise); }
    public Sp2otClustering setAugmentNoise(double value) { set(augmentNoise, (Object) value); return this; }

    public Param<String> trainLogPath() { return trainLogPath; }
    public String getTrainLogPath() { return getOrDefault(trainLogPath); }
    public Sp2otClustering setTrainLogPath(String value) { set(trainLogPath, value); return this; }
}
