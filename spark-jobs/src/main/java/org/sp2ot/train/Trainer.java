package org.sp2ot.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.SplittableRandom;

import org.sp2ot.solver.KnnGraph;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.PseudoLabeler;
import org.sp2ot.solver.PseudoLabels;
import org.sp2ot.solver.SolverSettings;
import org.sp2ot.solver.SparseAffinity;

/**
 * The training loop of ALGORITHM.md §4 on the driver: a {@link ClusterHead} on frozen features, trained with Adam on
 * OT pseudo-labels computed over a {@link LogitsBank}, rho following a {@link RhoSchedule}.
 *
 * <p>Per step t of T = steps/epoch x epochs: logits of the batch; the batch written into the bank; pseudo-labels by
 * {@link PseudoLabeler#label} over all bank rows (with the k-NN affinity among the bank's ids for SP2OT); the batch's
 * rows read back; soft-target cross-entropy; backward; one Adam step at the cosine-decayed learning rate. With a
 * trainable {@link FeatureAdapter} the head sees the adapted batch and the gradient flows on into the adapter (one Adam
 * over both); with an active {@link Augmentation} there are two views of the batch: view b's logits go into the bank
 * and the OT problem, view a's logits are trained against the resulting pseudo-labels (ALGORITHM.md §9).
 *
 * <p>After every {@code checkpointEvery} epochs (and the last one) the full {@link TrainingState} goes to the
 * {@link CheckpointStore}; a new trainer on the same store continues from the newest one and ends with exactly the
 * head an uninterrupted run would have (each epoch's order depends only on (seed, epoch), and the solver's warm start
 * is part of the state).
 *
 * <p>Memory on the driver beyond the features: the bank ({@code bankRows * k * 4} bytes plus the solver's working
 * matrices over the bank), the head and Adam's two moment arrays ({@code 3 * k * dim * 4} bytes).
 */
public final class Trainer {
    private final TrainSettings settings;
    private final FeatureMatrix rawFeatures;
    private final FeaturePreprocessing preprocessing;
    /** What the head sees: the raw features after {@link #preprocessing}. */
    private final FeatureMatrix features;
    private final KnnGraph graph;
    private final CheckpointStore store;
    private final TrainingListener listener;
    /** Where the step time goes (training benchmark only); null when not timed. */
    private StepTimes times;

    /**
     * @param graph the k-NN graph over the local row indices of {@code features}; required for SP2OT, unused otherwise
     * @param store where checkpoints go and a resume comes from; null trains without checkpoints
     * @throws IllegalArgumentException for settings that do not fit the data (K > N, batch > N) or a missing graph
     */
    public Trainer(TrainSettings settings, FeatureMatrix features, KnnGraph graph, CheckpointStore store,
            TrainingListener listener) {
        settings.validateFor(features.n(), features.dim());
        if (settings.method() == Method.SP2OT && graph == null) {
            throw new IllegalArgumentException("method sp2ot needs the k-NN graph of the training features "
                    + "(build it with the knn stage, or choose method p2ot)");
        }
        if (graph != null && graph.n() != features.n()) {
            throw new IllegalArgumentException("the k-NN graph has " + graph.n() + " rows but there are "
                    + features.n() + " training samples");
        }
        if (settings.setup().view() == SecondView.NEIGHBOR && graph == null) {
            throw new IllegalArgumentException("the neighbor view (train.view = neighbor) needs the k-NN graph of "
                    + "the training features (build it with the knn stage, or set train.view = none)");
        }
        int pcaDim = settings.setup().preprocess().pcaDim();
        if (pcaDim > Math.min(features.dim(), features.n())) {
            throw new IllegalArgumentException("train.preprocess.pca-dim = " + pcaDim + " exceeds the feature "
                    + "dimension " + features.dim() + " (or N = " + features.n() + "); lower it");
        }
        this.settings = settings;
        this.rawFeatures = features;
        this.preprocessing = FeaturePreprocessing.fit(features.values(), features.n(), features.dim(),
                settings.setup().preprocess());
        this.features = preprocessing.isIdentity() ? features
                : new FeatureMatrix(features.ids(), preprocessing.applyAll(features.values(), features.n()),
                        preprocessing.outDim());
        this.graph = settings.method() == Method.SP2OT || settings.setup().view() == SecondView.NEIGHBOR ? graph
                : null;
        this.store = store;
        this.listener = listener == null ? TrainingListener.NONE : listener;
    }

    /** Records where the step time goes into {@code stepTimes} ({@code bench train}); returns this trainer. */
    public Trainer timed(StepTimes stepTimes) {
        this.times = stepTimes;
        return this;
    }

    /** Trains all configured epochs (resuming from the store's newest checkpoint if there is one). */
    public TrainResult train() {
        return trainUntil(settings.epochs());
    }

    /**
     * Trains until {@code epochLimit} epochs are done (at most the configured number), resuming from the store's
     * newest checkpoint if any. Schedules always span the configured number of epochs, so stopping early and resuming
     * later is the same as one uninterrupted run.
     */
    public TrainResult trainUntil(int epochLimit) {
        int n = features.n();
        int k = settings.k();
        int batch = settings.batchSize();
        int steps = settings.stepsPerEpoch(n);
        long totalSteps = (long) steps * settings.epochs();
        int bankRows = settings.effectiveBankSize(n);

        Optional<TrainingState> saved = loadCheckpoint();
        ClusterHead head;
        FeatureAdapter adapter;
        Adam adam;
        LogitsBank bank = bankRows > 0 ? new LogitsBank(bankRows, k) : null;
        float[] bestHead;
        double bestLoss;
        int bestEpoch;
        float[] sampleWeights;
        List<EpochStats> history = new ArrayList<>();
        int firstEpoch;
        if (saved.isPresent()) {
            TrainingState state = saved.get();
            head = headOf(state.head());
            adapter = adapterOf(state.head());
            adam = newAdam(head, adapter);
            adam.restore(state.adam());
            if (bank != null) {
                bank.restore(state.bank());
            }
            bestHead = state.bestHead();
            bestLoss = state.bestLoss();
            bestEpoch = state.bestEpoch();
            sampleWeights = state.sampleWeights();
            history.addAll(state.history());
            firstEpoch = state.epochsDone();
        } else {
            head = initialHead();
            adapter = settings.setup().adapter() == AdapterKind.RESIDUAL_MLP
                    ? FeatureAdapter.initial(features.dim(), settings.setup().adapterHidden(), settings.seed())
                    : FeatureAdapter.identity(features.dim());
            adam = newAdam(head, adapter);
            if (bank != null) {
                int[] first = Arrays.copyOf(EpochOrder.permutation(settings.seed(), 0, n), bankRows);
                bank.fill(head.forward(adapter.apply(features.gather(first, 0, bankRows), bankRows), bankRows), first);
            }
            bestHead = packed(head, adapter);
            bestLoss = Double.POSITIVE_INFINITY;
            bestEpoch = 0;
            sampleWeights = new float[n];
            Arrays.fill(sampleWeights, Float.NaN);
            firstEpoch = 0;
        }

        String device;
        int problemRows = bank != null ? bankRows : batch;
        SolverSettings solver = settings.solver().withLam0(settings.setup().lamScaling()
                .lam0For(settings.solver().lam0(), problemRows));
        boolean neighborView = settings.setup().view() == SecondView.NEIGHBOR;
        Augmentation augment = settings.setup().augment();
        boolean twoViews = augment.isActive();
        int[] bankPosition = neighborView ? new int[n] : null;
        try (PseudoLabeler labeler = PseudoLabeler.create(settings.method(), solver)) {
            device = labeler.device();
            if (saved.isPresent() && saved.get().solverWarmState().length > 0) {
                labeler.restoreWarmState(saved.get().solverWarmState());
            }
            int lastEpoch = Math.min(epochLimit, settings.epochs());
            for (int epoch = firstEpoch; epoch < lastEpoch; epoch++) {
                long started = System.nanoTime();
                int[] order = EpochOrder.permutation(settings.seed(), epoch, n);
                double lossSum = 0;
                double iterationSum = 0;
                double mmSum = 0;
                double rho = Double.NaN;
                double rhoSum = 0;
                double lam = Double.NaN;
                double learningRate = Double.NaN;
                double weightSum = 0;
                long[] epochSizes = new long[k];
                for (int step = 0; step < steps; step++) {
                    long stepStart = System.nanoTime();
                    long t = (long) epoch * steps + step;
                    int from = step * batch;
                    int rows = Math.min(batch, n - from);
                    int[] batchRows = Arrays.copyOfRange(order, from, from + rows);
                    float[] x = features.gather(order, from, rows);
                    long headStart = System.nanoTime();
                    // Two views (ALGORITHM.md §9): view a is trained against the pseudo-labels of view b's logits.
                    float[] xa = twoViews ? augment.apply(x, rows, features.dim(), settings.seed(), t, 0) : x;
                    FeatureAdapter.Pass pass = adapter.forward(xa, rows);
                    float[] logits = head.forward(pass.output(), rows);
                    float[] labelLogits = twoViews ? head.forward(adapter.apply(augment.apply(x, rows,
                            features.dim(), settings.seed(), t, 1), rows), rows) : logits;
                    long headNanos = System.nanoTime() - headStart;
                    countArgmax(logits, rows, k, epochSizes);
                    rho = settings.rhoSchedule().rho(settings.rho0(), t, totalSteps);
                    rhoSum += rho;

                    float[] targets;
                    float[] weights;
                    PseudoLabels labels;
                    if (bank != null) {
                        int[] positions = bank.write(labelLogits, batchRows, rows);
                        int[] bankIds = bank.ids();
                        labels = labeler.label(bank.logits(), bankRows, k, rho,
                                settings.method() == Method.SP2OT ? affinity(bankIds) : null);
                        int[] sources = neighborView ? neighborPositions(batchRows, positions, bankIds, bankPosition, t)
                                : positions;
                        targets = bank.gatherRows(labels.targets(), sources);
                        weights = new float[rows];
                        for (int r = 0; r < rows; r++) {
                            weights[r] = labels.weights()[positions[r]];
                        }
                    } else {
                        labels = labeler.label(labelLogits, rows, k, rho,
                                settings.method() == Method.SP2OT ? affinity(batchRows) : null);
                        targets = neighborView ? gatherRows(labels.targets(), neighborPositions(batchRows,
                                identity(rows), batchRows, bankPosition, t), k) : labels.targets();
                        weights = labels.weights();
                    }
                    float[] dLogits = new float[rows * k];
                    double loss = SoftTargetCrossEntropy.lossAndGradient(logits, targets, rows, k, dLogits);
                    if (!Double.isFinite(loss)) {
                        throw new org.sp2ot.solver.DivergenceException(String.format(Locale.ROOT,
                                "training diverged: loss %s at epoch %d, step %d (rho %.4f); lower lr", loss,
                                epoch + 1, step + 1, rho));
                    }
                    learningRate = CosineDecay.learningRate(settings.learningRate(), settings.finalLearningRateFactor(),
                            t, totalSteps);
                    headStart = System.nanoTime();
                    step(adam, head, adapter, xa, pass, dLogits, learningRate);
                    headNanos += System.nanoTime() - headStart;
                    if (times != null) {
                        times.addStep(System.nanoTime() - stepStart, headNanos);
                    }
                    for (int r = 0; r < rows; r++) {
                        sampleWeights[batchRows[r]] = weights[r];
                        weightSum += weights[r];
                    }
                    lossSum += loss * rows;
                    iterationSum += labels.iterations();
                    mmSum += labels.mmSteps();
                    lam = labels.lam();
                }
                double epochLoss = lossSum / n;
                EpochStats stats = new EpochStats(epoch + 1, epochLoss, rho, lam, iterationSum / steps, mmSum / steps,
                        learningRate, (System.nanoTime() - started) / 1e9, weightSum / n, nonEmpty(epochSizes),
                        largestShare(epochSizes));
                history.add(stats);
                double criterion = settings.selection() == ModelSelection.LOSS_PER_RHO ? epochLoss / (rhoSum / steps)
                        : epochLoss;
                if (criterion < bestLoss) {
                    bestLoss = criterion;
                    bestEpoch = epoch + 1;
                    bestHead = packed(head, adapter);
                }
                boolean checkpointDue = (epoch + 1) % settings.checkpointEvery() == 0
                        || epoch + 1 == settings.epochs() || epoch + 1 == lastEpoch;
                if (checkpointDue) {
                    saveCheckpoint(new TrainingState(fingerprint(), epoch + 1, packed(head, adapter), adam.state(),
                            bank == null ? null : bank.state(), labeler.warmState(), bestHead, bestLoss, bestEpoch,
                            sampleWeights, history));
                }
                listener.onEpoch(stats, settings.epochs(), List.copyOf(history));
            }
            if (times != null) {
                times.addLabeling(labeler.labelNanos(), labeler.solverNanos());
            }
        }

        boolean lowest = settings.selection() != ModelSelection.LAST && bestEpoch > 0;
        ClusterHead selected = lowest ? headOf(bestHead) : head.copy();
        FeatureAdapter selectedAdapter = lowest ? adapterOf(bestHead) : adapterOf(packed(head, adapter));
        int selectedEpoch = lowest ? bestEpoch : history.size();
        return new TrainResult(selected, head.copy(), selectedEpoch, history, sampleWeights.clone(),
                clusterSizes(selected, selectedAdapter), bankRows, device, preprocessing, selectedAdapter);
    }

    /**
     * One Adam step on the head and the adapter from the logits' gradient: the head's parameter gradient, and for a
     * trainable adapter the head's input gradient backpropagated through it (both from the parameters before the
     * step). The two share one Adam over [head | adapter], the layout of checkpoints.
     */
    private static void step(Adam adam, ClusterHead head, FeatureAdapter adapter, float[] x, FeatureAdapter.Pass pass,
            float[] dLogits, double learningRate) {
        int rows = pass.rows();
        float[] headGrad = head.backward(pass.output(), rows, dLogits);
        if (adapter.isIdentity()) {
            adam.step(head.parametersInPlace(), headGrad, learningRate);
            return;
        }
        float[] adapterGrad = adapter.backward(x, pass, head.inputGradient(pass.output(), rows, dLogits));
        float[] params = packed(head, adapter);
        float[] grad = Arrays.copyOf(headGrad, params.length);
        System.arraycopy(adapterGrad, 0, grad, headGrad.length, adapterGrad.length);
        adam.step(params, grad, learningRate);
        float[] headParams = head.parametersInPlace();
        System.arraycopy(params, 0, headParams, 0, headParams.length);
        float[] adapterParams = adapter.parametersInPlace();
        System.arraycopy(params, headParams.length, adapterParams, 0, adapterParams.length);
    }

    /** The head's parameters followed by the adapter's (none for the identity): what checkpoints and Adam hold. */
    private static float[] packed(ClusterHead head, FeatureAdapter adapter) {
        float[] headParams = head.parametersInPlace();
        float[] adapterParams = adapter.parametersInPlace();
        float[] out = Arrays.copyOf(headParams, headParams.length + adapterParams.length);
        System.arraycopy(adapterParams, 0, out, headParams.length, adapterParams.length);
        return out;
    }

    private ClusterHead headOf(float[] packed) {
        int count = ClusterHead.parameterCount(settings.head(), features.dim(), settings.k());
        return new ClusterHead(settings.head(), features.dim(), settings.k(), settings.headScale(),
                Arrays.copyOf(packed, count));
    }

    private FeatureAdapter adapterOf(float[] packed) {
        int count = ClusterHead.parameterCount(settings.head(), features.dim(), settings.k());
        if (settings.setup().adapter() == AdapterKind.NONE) {
            return FeatureAdapter.identity(features.dim());
        }
        return new FeatureAdapter(features.dim(), settings.setup().adapterHidden(),
                Arrays.copyOfRange(packed, count, packed.length));
    }

    /**
     * The head before training: random (ALGORITHM.md §4) or from k-means centroids of what the head sees
     * ({@link HeadInit#KMEANS}: spherical for the cosine head, Euclidean for the linear head, whose weights
     * {@code w_j = s c_j} and biases {@code b_j = -s ||c_j||^2 / 2} give exactly the k-means assignment; s scales
     * the largest logit gap of a typical row to the cosine head's scale), or from the baseline's Euclidean greedy
     * k-means ({@link HeadInit#KMEANS_EUCLIDEAN}: the cosine head takes its centroids' directions).
     */
    private ClusterHead initialHead() {
        int k = settings.k();
        int dim = features.dim();
        if (settings.setup().init() == HeadInit.RANDOM) {
            return ClusterHead.initial(settings.head(), dim, k, settings.headScale(), settings.seed());
        }
        boolean cosine = settings.head() == HeadKind.COSINE;
        boolean euclidean = settings.setup().init() == HeadInit.KMEANS_EUCLIDEAN;
        KMeansInit.Result km = euclidean
                ? KMeansInit.fitShared(features.values(), features.n(), dim, k, settings.setup().initRestarts(),
                        KMeansInit.DEFAULT_MAX_ITER, settings.seed(), false, KMeansInit.greedyTrials(k))
                : KMeansInit.fitShared(features.values(), features.n(), dim, k, settings.setup().initRestarts(), 100,
                        settings.seed(), cosine);
        float[] params = new float[ClusterHead.parameterCount(settings.head(), dim, k)];
        if (cosine) {
            float[] prototypes = euclidean ? KMeansInit.normalizedRows(km.centroids(), k, dim) : km.centroids();
            System.arraycopy(prototypes, 0, params, 0, k * dim);
        } else {
            double meanCost = km.cost() / features.n();
            double s = settings.headScale() / Math.max(meanCost, 1e-12);
            for (int j = 0; j < k; j++) {
                double norm2 = ClusterHead.dot(km.centroids(), j * dim, km.centroids(), j * dim, dim);
                for (int d = 0; d < dim; d++) {
                    params[j * dim + d] = (float) (s * km.centroids()[j * dim + d]);
                }
                params[k * dim + j] = (float) (-s * norm2 / 2);
            }
        }
        return new ClusterHead(settings.head(), dim, k, settings.headScale(), params);
    }

    /**
     * For each batch row, the bank position whose pseudo-labels it learns from under {@link SecondView#NEIGHBOR}: one
     * of its k-NN neighbours, drawn from (seed, step, row), when that neighbour is in the OT problem, else the row.
     *
     * @param positions the batch rows' own positions in the problem
     * @param problemIds the training row at each position of the problem
     * @param scratch an n-sized array, overwritten
     */
    private int[] neighborPositions(int[] batchRows, int[] positions, int[] problemIds, int[] scratch, long step) {
        Arrays.fill(scratch, -1);
        for (int p = 0; p < problemIds.length; p++) {
            if (problemIds[p] >= 0) {
                scratch[problemIds[p]] = p;
            }
        }
        int[] sources = new int[batchRows.length];
        SplittableRandom random = new SplittableRandom(settings.seed() * 0x9E3779B97F4A7C15L + step);
        for (int r = 0; r < batchRows.length; r++) {
            int neighbor = graph.neighbor(batchRows[r], random.nextInt(graph.k()));
            int position = neighbor >= 0 ? scratch[neighbor] : -1;
            sources[r] = position >= 0 ? position : positions[r];
        }
        return sources;
    }

    private static int[] identity(int rows) {
        int[] idx = new int[rows];
        for (int i = 0; i < rows; i++) {
            idx[i] = i;
        }
        return idx;
    }

    private static float[] gatherRows(float[] matrix, int[] rows, int k) {
        float[] out = new float[rows.length * k];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(matrix, rows[r] * k, out, r * k, k);
        }
        return out;
    }

    /** Adds each row's argmax cluster to {@code sizes}. */
    static void countArgmax(float[] logits, int rows, int k, long[] sizes) {
        for (int r = 0; r < rows; r++) {
            int best = 0;
            float bestValue = logits[r * k];
            for (int j = 1; j < k; j++) {
                if (logits[r * k + j] > bestValue) {
                    bestValue = logits[r * k + j];
                    best = j;
                }
            }
            sizes[best]++;
        }
    }

    /** Clusters with at least one row. */
    static int nonEmpty(long[] sizes) {
        int used = 0;
        for (long size : sizes) {
            if (size > 0) {
                used++;
            }
        }
        return used;
    }

    /** The largest cluster's share of all rows (0 when there are none). */
    static double largestShare(long[] sizes) {
        long total = 0;
        long largest = 0;
        for (long size : sizes) {
            total += size;
            largest = Math.max(largest, size);
        }
        return total == 0 ? 0 : (double) largest / total;
    }

    private SparseAffinity affinity(int[] problemRows) {
        return graph == null ? null : SparseAffinity.slice(graph, problemRows);
    }

    private Adam newAdam(ClusterHead head, FeatureAdapter adapter) {
        return new Adam(head.parametersInPlace().length + adapter.parametersInPlace().length, settings.beta1(),
                settings.beta2(), settings.adamEpsilon(), settings.weightDecay());
    }

    private long[] clusterSizes(ClusterHead head, FeatureAdapter adapter) {
        long[] sizes = new long[settings.k()];
        for (int cluster : Predictions.of(head, adapter.apply(features.values(), features.n()), features.n())
                .clusters()) {
            sizes[cluster]++;
        }
        return sizes;
    }

    /**
     * The settings and data shape a checkpoint belongs to: everything that changes the trajectory. Resuming with a
     * different one would silently mix two runs, so {@link #loadCheckpoint()} refuses it.
     */
    String fingerprint() {
        return String.format(Locale.ROOT, "n=%d dim=%d first id=%d last id=%d %s", rawFeatures.n(),
                rawFeatures.dim(), rawFeatures.id(0), rawFeatures.id(rawFeatures.n() - 1), settings.trajectoryKey());
    }

    private Optional<TrainingState> loadCheckpoint() {
        if (store == null) {
            return Optional.empty();
        }
        Optional<TrainingState> state;
        try {
            state = store.latest();
        } catch (IOException e) {
            throw new UncheckedIOException("could not read training checkpoints", e);
        }
        if (state.isPresent() && !state.get().fingerprint().equals(fingerprint())) {
            throw new IllegalStateException("the checkpoint directory holds a run with other settings or data:\n  saved:   "
                    + state.get().fingerprint() + "\n  current: " + fingerprint()
                    + "\nuse another checkpoint directory (or delete it) to start this run afresh");
        }
        return state;
    }

    private void saveCheckpoint(TrainingState state) {
        if (store == null) {
            return;
        }
        try {
            store.save(state);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the checkpoint after epoch " + state.epochsDone(), e);
        }
    }
}
