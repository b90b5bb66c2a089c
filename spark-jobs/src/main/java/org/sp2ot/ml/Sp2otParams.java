package org.sp2ot.ml;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.spark.ml.param.BooleanParam;
import org.apache.spark.ml.param.DoubleParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.param.Params;
import org.sp2ot.ml.knn.KnnKernel;
import org.sp2ot.ml.knn.KnnOptions;
import org.sp2ot.solver.Backend;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.SolverSettings;
import org.sp2ot.train.AdapterKind;
import org.sp2ot.train.HeadInit;
import org.sp2ot.train.HeadKind;
import org.sp2ot.train.LamScaling;
import org.sp2ot.train.ModelSelection;
import org.sp2ot.train.RhoSchedule;
import org.sp2ot.train.SecondView;
import org.sp2ot.train.TrainSettings;
import org.sp2ot.train.TrainingSetup;

/**
 * The params {@link Sp2otClustering} and {@link Sp2otClusteringModel} share, declared once (as MLlib's
 * {@code KMeansParams} for {@code KMeans} and {@code KMeansModel}): every training setting and the column names.
 * {@code fit} copies them onto the model and the model's persistence writes them all into its metadata
 * ({@code DefaultParamsWriter}), so a fitted or loaded model reports the method, K, eps, rho schedule, ... that made
 * it. The estimator adds the setters; the defaults are ALGORITHM.md's (those of {@link TrainSettings}).
 *
 * <p>An implementation creates its param objects once, in its constructor, after its uid is set:
 * {@code declared = new Declared(this); setSp2otDefaults();}. Spark finds the params by reflection through the
 * public accessors below.
 */
public interface Sp2otParams extends Params {

    /** This instance's param objects (owned by its uid). */
    Declared declared();

    /** The param objects of one instance. */
    final class Declared implements Serializable {
        private static final long serialVersionUID = 1L;

        /** The values each string param accepts (canonical names; validated when set, ParamValidators.inArray). */
        static final List<String> METHODS = Arrays.stream(Method.values())
                .map(v -> v.name().toLowerCase(Locale.ROOT)).toList();
        static final List<String> RHO_SCHEDULES = Arrays.stream(RhoSchedule.values())
                .map(RhoSchedule::configName).toList();
        static final List<String> HEADS = Arrays.stream(HeadKind.values()).map(HeadKind::configName).toList();
        static final List<String> SELECTIONS = Arrays.stream(ModelSelection.values())
                .map(ModelSelection::configName).toList();
        static final List<String> BACKENDS = Arrays.stream(Backend.values())
                .map(Sp2otClustering::backendName).toList();
        static final List<String> KERNELS = Arrays.stream(KnnKernel.values()).map(KnnKernel::cliName).toList();
        static final List<String> INITS = Arrays.stream(HeadInit.values()).map(HeadInit::configName).toList();
        static final List<String> LAM_SCALINGS = Arrays.stream(LamScaling.values()).map(LamScaling::configName)
                .toList();
        static final List<String> VIEWS = Arrays.stream(SecondView.values()).map(SecondView::configName).toList();
        static final List<String> ADAPTERS = Arrays.stream(AdapterKind.values()).map(AdapterKind::configName)
                .toList();

        final IntParam k;
        final Param<String> featuresCol;
        final Param<String> idCol;
        final Param<String> predictionCol;
        final Param<String> confidenceCol;
        final Param<String> method;
        final IntParam epochs;
        final IntParam batchSize;
        final IntParam bankSize;
        final Param<String> rhoSchedule;
        final DoubleParam rho0;
        final Param<String> head;
        final DoubleParam headScale;
        final DoubleParam lr;
        final DoubleParam finalLrFactor;
        final DoubleParam beta1;
        final DoubleParam beta2;
        final DoubleParam adamEps;
        final DoubleParam weightDecay;
        final LongParam seed;
        final Param<String> selection;
        final DoubleParam eps;
        final DoubleParam gamma;
        final DoubleParam tol;
        final IntParam maxIter;
        final DoubleParam lam0;
        final DoubleParam lamFixed;
        final IntParam mmMaxIter;
        final DoubleParam mmTol;
        final Param<String> backend;
        final IntParam knnK;
        final Param<String> kernel;
        final DoubleParam kernelSigma;
        final Param<String> checkpointDir;
        final IntParam keepCheckpoints;
        final IntParam checkpointEvery;
        final Param<String> trainLogPath;
        final Param<String> init;
        final IntParam initRestarts;
        final BooleanParam preprocessCenter;
        final IntParam pcaDim;
        final BooleanParam pcaWhiten;
        final BooleanParam preprocessL2;
        final Param<String> lamScaling;
        final Param<String> view;
        final Param<String> adapter;
        final IntParam adapterHidden;
        final DoubleParam augmentDropout;
        final DoubleParam augmentNoise;

        public Declared(Params owner) {
            k = new IntParam(owner, "k", "number of clusters K (>= 2, <= N)", ParamValidators.gtEq(2));
            featuresCol = new Param<>(owner, "featuresCol", "features column: array<float>, array<double> or vector");
            idCol = new Param<>(owner, "idCol", "sample id column (long); ids must be unique");
            predictionCol = new Param<>(owner, "predictionCol", "output column: cluster index (int)");
            confidenceCol = new Param<>(owner, "confidenceCol", "output column: largest softmax probability (float)");
            method = choice(owner, "method", "pseudo-labelling method", METHODS);
            epochs = new IntParam(owner, "epochs", "training epochs (>= 1)", ParamValidators.gtEq(1));
            batchSize = new IntParam(owner, "batchSize", "mini-batch size (<= N)", ParamValidators.gtEq(1));
            bankSize = new IntParam(owner, "bankSize", "rows of the logits bank; 0 = OT on each batch", ParamValidators.gtEq(0));
            rhoSchedule = choice(owner, "rhoSchedule", "rho schedule", RHO_SCHEDULES);
            rho0 = new DoubleParam(owner, "rho0", "initial mass fraction rho0 in (0, 1]", ParamValidators.inRange(0, 1, false, true));
            head = choice(owner, "head", "clustering head", HEADS);
            headScale = new DoubleParam(owner, "headScale", "logit scale of the cosine head", ParamValidators.gt(0));
            lr = new DoubleParam(owner, "lr", "Adam learning rate", ParamValidators.gt(0));
            finalLrFactor = new DoubleParam(owner, "finalLrFactor", "cosine decay ends at lr * finalLrFactor",
                    ParamValidators.inRange(0, 1, false, true));
            beta1 = new DoubleParam(owner, "beta1", "Adam beta1", ParamValidators.inRange(0, 1, true, false));
            beta2 = new DoubleParam(owner, "beta2", "Adam beta2", ParamValidators.inRange(0, 1, true, false));
            adamEps = new DoubleParam(owner, "adamEps", "Adam epsilon", ParamValidators.gt(0));
            weightDecay = new DoubleParam(owner, "weightDecay", "Adam L2 weight decay", ParamValidators.gtEq(0));
            seed = new LongParam(owner, "seed", "random seed (initial head, epoch orders)");
            selection = choice(owner, "selection", "model selection (which epoch's head is kept)", SELECTIONS);
            eps = new DoubleParam(owner, "eps", "entropic regularisation of the OT problem", ParamValidators.gt(0));
            gamma = new DoubleParam(owner, "gamma", "weight of the KL relaxation of cluster sizes", ParamValidators.gt(0));
            tol = new DoubleParam(owner, "tol", "scaling solver tolerance", ParamValidators.gt(0));
            maxIter = new IntParam(owner, "maxIter", "scaling iterations per OT solve", ParamValidators.gtEq(1));
            lam0 = new DoubleParam(owner, "lam0", "SP2OT semantic weight: lam = (1 - rho) * lam0", ParamValidators.gtEq(0));
            lamFixed = new DoubleParam(owner, "lamFixed", "fixed SP2OT lam instead of the schedule (NaN = schedule)");
            mmMaxIter = new IntParam(owner, "mmMaxIter", "SP2OT majorization-minimization steps", ParamValidators.gtEq(1));
            mmTol = new DoubleParam(owner, "mmTol", "SP2OT MM objective tolerance", ParamValidators.gt(0));
            backend = choice(owner, "backend", "OT solver backend", BACKENDS);
            knnK = new IntParam(owner, "knnK", "neighbours per sample when fit builds the k-NN graph", ParamValidators.gtEq(1));
            kernel = choice(owner, "kernel", "k-NN affinity kernel when fit builds the graph", KERNELS);
            kernelSigma = new DoubleParam(owner, "kernelSigma", "sigma of the gauss kernel", ParamValidators.gt(0));
            checkpointDir = new Param<>(owner, "checkpointDir", "directory for per-epoch checkpoints; empty = none");
            keepCheckpoints = new IntParam(owner, "keepCheckpoints", "newest checkpoints kept", ParamValidators.gtEq(1));
            checkpointEvery = new IntParam(owner, "checkpointEvery", "checkpoint after every this many epochs",
                    ParamValidators.gtEq(1));
            trainLogPath = new Param<>(owner, "trainLogPath", "path of train-log.jsonl; empty = log to console only");
            init = choice(owner, "init", "how the head starts (kmeans: k-means centroids)", INITS);
            initRestarts = new IntParam(owner, "initRestarts", "k-means restarts of init = kmeans", ParamValidators.gtEq(1));
            preprocessCenter = new BooleanParam(owner, "preprocessCenter", "subtract the training mean before the head");
            pcaDim = new IntParam(owner, "pcaDim", "project to this many principal components before the head (0 = none)",
                    ParamValidators.gtEq(0));
            pcaWhiten = new BooleanParam(owner, "pcaWhiten", "scale the principal components to unit variance");
            preprocessL2 = new BooleanParam(owner, "preprocessL2", "L2-normalise the features before the head");
            lamScaling = choice(owner, "lamScaling", "lam0 scaling with the OT problem size (bank: x N/5120)",
                    LAM_SCALINGS);
            view = choice(owner, "view", "second view (neighbor: learn from a k-NN neighbour's pseudo-labels)", VIEWS);
            adapter = choice(owner, "adapter", "trainable adapter before the head", ADAPTERS);
            adapterHidden = new IntParam(owner, "adapterHidden", "hidden units of the residual-mlp adapter",
                    ParamValidators.gtEq(1));
            augmentDropout = new DoubleParam(owner, "augmentDropout", "two-view augmentation: feature dropout "
                    + "probability", ParamValidators.inRange(0, 1, true, false));
            augmentNoise = new DoubleParam(owner, "augmentNoise", "two-view augmentation: Gaussian noise relative to "
                    + "the row's RMS", ParamValidators.gtEq(0));
        }

        /** A string param whose value must be one of {@code allowed}, checked when set. */
        private static Param<String> choice(Params owner, String name, String doc, List<String> allowed) {
            return new Param<>(owner, name, doc + ": " + String.join(", ", allowed), ParamValidators.inArray(allowed));
        }
    }

    /** Sets every param's default; called once by the constructor, after {@link #declared()} exists. */
    default void setSp2otDefaults() {
        TrainSettings d = TrainSettings.builder(Sp2otClustering.DEFAULT_K).build();
        SolverSettings s = d.solver();
        KnnOptions knn = KnnOptions.defaults();
        setDefault(k(), (Object) Sp2otClustering.DEFAULT_K);
        setDefault(featuresCol(), "features");
        setDefault(idCol(), "id");
        setDefault(predictionCol(), "prediction");
        setDefault(confidenceCol(), "confidence");
        setDefault(method(), d.method().name().toLowerCase(Locale.ROOT));
        setDefault(epochs(), (Object) d.epochs());
        setDefault(batchSize(), (Object) d.batchSize());
        setDefault(bankSize(), (Object) d.bankSize());
        setDefault(rhoSchedule(), d.rhoSchedule().configName());
        setDefault(rho0(), (Object) d.rho0());
        setDefault(head(), d.head().configName());
        setDefault(headScale(), (Object) d.headScale());
        setDefault(lr(), (Object) d.learningRate());
        setDefault(finalLrFactor(), (Object) d.finalLearningRateFactor());
        setDefault(beta1(), (Object) d.beta1());
        setDefault(beta2(), (Object) d.beta2());
        setDefault(adamEps(), (Object) d.adamEpsilon());
        setDefault(weightDecay(), (Object) d.weightDecay());
        setDefault(seed(), (Object) d.seed());
        setDefault(selection(), d.selection().configName());
        setDefault(eps(), (Object) s.eps());
        setDefault(gamma(), (Object) s.gamma());
        setDefault(tol(), (Object) s.tol());
        setDefault(maxIter(), (Object) s.maxIter());
        setDefault(lam0(), (Object) s.lam0());
        setDefault(lamFixed(), (Object) s.lamFixed());
        setDefault(mmMaxIter(), (Object) s.mmMaxIter());
        setDefault(mmTol(), (Object) s.mmTol());
        setDefault(backend(), Sp2otClustering.backendName(s.backend()));
        setDefault(knnK(), (Object) knn.k());
        setDefault(kernel(), knn.kernel().cliName());
        setDefault(kernelSigma(), (Object) knn.sigma());
        setDefault(checkpointDir(), "");
        setDefault(keepCheckpoints(), (Object) d.keepCheckpoints());
        setDefault(checkpointEvery(), (Object) d.checkpointEvery());
        setDefault(trainLogPath(), "");
        TrainingSetup setup = d.setup();
        setDefault(init(), setup.init().configName());
        setDefault(initRestarts(), (Object) setup.initRestarts());
        setDefault(preprocessCenter(), (Object) setup.preprocess().center());
        setDefault(pcaDim(), (Object) setup.preprocess().pcaDim());
        setDefault(pcaWhiten(), (Object) setup.preprocess().whiten());
        setDefault(preprocessL2(), (Object) setup.preprocess().l2());
        setDefault(lamScaling(), setup.lamScaling().configName());
        setDefault(view(), setup.view().configName());
        setDefault(adapter(), setup.adapter().configName());
        setDefault(adapterHidden(), (Object) setup.adapterHidden());
        setDefault(augmentDropout(), (Object) setup.augment().dropout());
        setDefault(augmentNoise(), (Object) setup.augment().noise());
    }

    // One accessor returning the Param (found by Spark's reflection) and one value getter per param.

    default IntParam k() { return declared().k; }
    default int getK() { return (Integer) getOrDefault(k()); }

    default Param<String> featuresCol() { return declared().featuresCol; }
    default String getFeaturesCol() { return getOrDefault(featuresCol()); }

    default Param<String> idCol() { return declared().idCol; }
    default String getIdCol() { return getOrDefault(idCol()); }

    default Param<String> predictionCol() { return declared().predictionCol; }
    default String getPredictionCol() { return getOrDefault(predictionCol()); }

    default Param<String> confidenceCol() { return declared().confidenceCol; }
    default String getConfidenceCol() { return getOrDefault(confidenceCol()); }

    default Param<String> method() { return declared().method; }
    default String getMethod() { return getOrDefault(method()); }

    default IntParam epochs() { return declared().epochs; }
    default int getEpochs() { return (Integer) getOrDefault(epochs()); }

    default IntParam batchSize() { return declared().batchSize; }
    default int getBatchSize() { return (Integer) getOrDefault(batchSize()); }

    default IntParam bankSize() { return declared().bankSize; }
    default int getBankSize() { return (Integer) getOrDefault(bankSize()); }

    default Param<String> rhoSchedule() { return declared().rhoSchedule; }
    default String getRhoSchedule() { return getOrDefault(rhoSchedule()); }

    default DoubleParam rho0() { return declared().rho0; }
    default double getRho0() { return (Double) getOrDefault(rho0()); }

    default Param<String> head() { return declared().head; }
    default String getHead() { return getOrDefault(head()); }

    default DoubleParam headScale() { return declared().headScale; }
    default double getHeadScale() { return (Double) getOrDefault(headScale()); }

    default DoubleParam lr() { return declared().lr; }
    default double getLr() { return (Double) getOrDefault(lr()); }

    default DoubleParam finalLrFactor() { return declared().finalLrFactor; }
    default double getFinalLrFactor() { return (Double) getOrDefault(finalLrFactor()); }

    default DoubleParam beta1() { return declared().beta1; }
    default double getBeta1() { return (Double) getOrDefault(beta1()); }

    default DoubleParam beta2() { return declared().beta2; }
    default double getBeta2() { return (Double) getOrDefault(beta2()); }

    default DoubleParam adamEps() { return declared().adamEps; }
    default double getAdamEps() { return (Double) getOrDefault(adamEps()); }

    default DoubleParam weightDecay() { return declared().weightDecay; }
    default double getWeightDecay() { return (Double) getOrDefault(weightDecay()); }

    default LongParam seed() { return declared().seed; }
    default long getSeed() { return (Long) getOrDefault(seed()); }

    default Param<String> selection() { return declared().selection; }
    default String getSelection() { return getOrDefault(selection()); }

    default DoubleParam eps() { return declared().eps; }
    default double getEps() { return (Double) getOrDefault(eps()); }

    default DoubleParam gamma() { return declared().gamma; }
    default double getGamma() { return (Double) getOrDefault(gamma()); }

    default DoubleParam tol() { return declared().tol; }
    default double getTol() { return (Double) getOrDefault(tol()); }

    default IntParam maxIter() { return declared().maxIter; }
    default int getMaxIter() { return (Integer) getOrDefault(maxIter()); }

    default DoubleParam lam0() { return declared().lam0; }
    default double getLam0() { return (Double) getOrDefault(lam0()); }

    default DoubleParam lamFixed() { return declared().lamFixed; }
    default double getLamFixed() { return (Double) getOrDefault(lamFixed()); }

    default IntParam mmMaxIter() { return declared().mmMaxIter; }
    default int getMmMaxIter() { return (Integer) getOrDefault(mmMaxIter()); }

    default DoubleParam mmTol() { return declared().mmTol; }
    default double getMmTol() { return (Double) getOrDefault(mmTol()); }

    default Param<String> backend() { return declared().backend; }
    default String getBackend() { return getOrDefault(backend()); }

    default IntParam knnK() { return declared().knnK; }
    default int getKnnK() { return (Integer) getOrDefault(knnK()); }

    default Param<String> kernel() { return declared().kernel; }
    default String getKernel() { return getOrDefault(kernel()); }

    default DoubleParam kernelSigma() { return declared().kernelSigma; }
    default double getKernelSigma() { return (Double) getOrDefault(kernelSigma()); }

    default Param<String> checkpointDir() { return declared().checkpointDir; }
    default String getCheckpointDir() { return getOrDefault(checkpointDir()); }

    default IntParam keepCheckpoints() { return declared().keepCheckpoints; }
    default int getKeepCheckpoints() { return (Integer) getOrDefault(keepCheckpoints()); }

    default IntParam checkpointEvery() { return declared().checkpointEvery; }
    default int getCheckpointEvery() { return (Integer) getOrDefault(checkpointEvery()); }

    default Param<String> trainLogPath() { return declared().trainLogPath; }
    default String getTrainLogPath() { return getOrDefault(trainLogPath()); }

    default Param<String> init() { return declared().init; }
    default String getInit() { return getOrDefault(init()); }

    default IntParam initRestarts() { return declared().initRestarts; }
    default int getInitRestarts() { return (Integer) getOrDefault(initRestarts()); }

    default BooleanParam preprocessCenter() { return declared().preprocessCenter; }
    default boolean getPreprocessCenter() { return (Boolean) getOrDefault(preprocessCenter()); }

    default IntParam pcaDim() { return declared().pcaDim; }
    default int getPcaDim() { return (Integer) getOrDefault(pcaDim()); }

    default BooleanParam pcaWhiten() { return declared().pcaWhiten; }
    default boolean getPcaWhiten() { return (Boolean) getOrDefault(pcaWhiten()); }

    default BooleanParam preprocessL2() { return declared().preprocessL2; }
    default boolean getPreprocessL2() { return (Boolean) getOrDefault(preprocessL2()); }

    default Param<String> lamScaling() { return declared().lamScaling; }
    default String getLamScaling() { return getOrDefault(lamScaling()); }

    default Param<String> view() { return declared().view; }
    default String getView() { return getOrDefault(view()); }

    default Param<String> adapter() { return declared().adapter; }
    default String getAdapter() { return getOrDefault(adapter()); }

    default IntParam adapterHidden() { return declared().adapterHidden; }
    default int getAdapterHidden() { return (Integer) getOrDefault(adapterHidden()); }

    default DoubleParam augmentDropout() { return declared().augmentDropout; }
    default double getAugmentDropout() { return (Double) getOrDefault(augmentDropout()); }

    default DoubleParam augmentNoise() { return declared().augmentNoise; }
    default double getAugmentNoise() { return (Double) getOrDefault(augmentNoise()); }
}
