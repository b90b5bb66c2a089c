package org.sp2ot.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.sp2ot.solver.Method;
import org.sp2ot.solver.SolverSettings;

/**
 * Everything that determines a training run (ALGORITHM.md §4), defaults from there: 50 epochs, batch 512, bank
 * 10 x 512, sigmoid rho from 0.1, cosine head of scale 10, Adam lr 5e-4 (0.9/0.999/1e-8, no weight decay) decaying
 * to lr * 0.1^3, seed 0, model selection: the last epoch (as the CLI's sp2ot-defaults.conf). The names in messages
 * are the keys of the Spark ML params ({@code org.sp2ot.ml.Sp2otClustering}).
 *
 * @param bankSize rows of the logits bank; 0 runs OT on each batch alone. Larger than N is clamped to N.
 * @param keepCheckpoints how many of the newest epoch checkpoints to keep (older ones are deleted)
 * @param checkpointEvery write a checkpoint after every this many epochs (and always after the last)
 */
public record TrainSettings(int k, Method method, int epochs, int batchSize, int bankSize, RhoSchedule rhoSchedule,
        double rho0, HeadKind head, double headScale, double learningRate, double finalLearningRateFactor, double beta1,
        double beta2, double adamEpsilon, double weightDecay, long seed, ModelSelection selection, SolverSettings solver,
        int keepCheckpoints, int checkpointEvery, TrainingSetup setup) {

    /** The defaults of ALGORITHM.md §4 for {@code k} clusters, method SP2OT. */
    public static Builder builder(int k) {
        return new Builder(k);
    }

    /**
     * Checks every setting that does not depend on the data.
     *
     * @throws IllegalArgumentException naming each bad key with its value and the allowed range
     */
    public TrainSettings validate() {
        List<String> problems = new ArrayList<>();
        if (k < 2) {
            problems.add("k (number of clusters) must be >= 2, got " + k);
        }
        if (method == null) {
            problems.add("method must be set (sp2ot, p2ot, uot, pot, ot or gsa)");
        }
        if (epochs < 1) {
            problems.add("epochs must be >= 1, got " + epochs);
        }
        if (batchSize < 1) {
            problems.add("batchSize must be >= 1, got " + batchSize);
        }
        if (bankSize < 0) {
            problems.add("bankSize must be >= 0 (0 = no bank), got " + bankSize);
        } else if (bankSize > 0 && bankSize < batchSize) {
            problems.add("bankSize must be 0 (no bank) or at least batchSize=" + batchSize + ", got " + bankSize);
        }
        if (rhoSchedule == null || head == null || selection == null || solver == null || setup == null) {
            problems.add("rhoSchedule, head, selection, solver and setup settings must be set");
        }
        if (!(rho0 > 0 && rho0 <= 1)) {
            problems.add("rho0 must lie in (0, 1], got " + rho0);
        }
        if (!(headScale > 0) || Double.isInfinite(headScale)) {
            problems.add("headScale must be positive, got " + headScale);
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            problems.add("lr must be positive, got " + learningRate);
        }
        if (!(finalLearningRateFactor > 0 && finalLearningRateFactor <= 1)) {
            problems.add("finalLrFactor must lie in (0, 1], got " + finalLearningRateFactor);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            problems.add("Adam betas must lie in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(adamEpsilon > 0)) {
            problems.add("adamEps must be positive, got " + adamEpsilon);
        }
        if (!(weightDecay >= 0)) {
            problems.add("weightDecay must be >= 0, got " + weightDecay);
        }
        if (keepCheckpoints < 1) {
            problems.add("keepCheckpoints must be >= 1, got " + keepCheckpoints);
        }
        if (checkpointEvery < 1) {
            problems.add("checkpointEvery must be >= 1, got " + checkpointEvery);
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bad training settings: " + String.join("; ", problems));
        }
        return this;
    }

    /**
     * Checks the settings against the data: {@code k <= n}, {@code batchSize <= n}.
     *
     * @throws IllegalArgumentException naming the key, its value and N
     */
    public void validateFor(int n, int dim) {
        validate();
        List<String> problems = new ArrayList<>();
        if (dim < 1) {
            problems.add("features must have at least one dimension, got " + dim);
        }
        if (k > n) {
            problems.add("k=" + k + " exceeds the number of samples N=" + n + "; lower k");
        }
        if (batchSize > n) {
            problems.add("batchSize=" + batchSize + " exceeds the number of samples N=" + n + "; lower batchSize");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("bad training settings for " + n + " samples: " + String.join("; ", problems));
        }
    }

    /**
     * The settings that shape the training trajectory, as text: all but {@code keepCheckpoints}, {@code checkpointEvery} and the solver
     * backend (a run may resume on another device; the backends agree to the solver's stated tolerance).
     */
    public String trajectoryKey() {
        SolverSettings s = solver;
        return String.format(Locale.ROOT,
                "k=%d method=%s epochs=%d batchSize=%d bankSize=%d rhoSchedule=%s rho0=%s head=%s headScale=%s lr=%s "
                        + "finalLrFactor=%s adam=%s/%s/%s/%s seed=%d selection=%s eps=%s gamma=%s tol=%s maxIter=%d "
                        + "lam0=%s lamFixed=%s mmMaxIter=%d mmTol=%s %s",
                k, method, epochs, batchSize, bankSize, rhoSchedule, rho0, head, headScale, learningRate,
                finalLearningRateFactor, beta1, beta2, adamEpsilon, weightDecay, seed, selection, s.eps(), s.gamma(),
                s.tol(), s.maxIter(), s.lam0(), s.lamFixed(), s.mmMaxIter(), s.mmTol(), setup.key());
    }

    /** Bank rows actually used for {@code n} samples: {@code min(bankSize, n)}, 0 without a bank. */
    public int effectiveBankSize(int n) {
        return Math.min(bankSize, n);
    }

    /** Training steps per epoch over {@code n} samples: {@code ceil(n / batchSize)} (the last batch may be smaller). */
    public int stepsPerEpoch(int n) {
        return (n + batchSize - 1) / batchSize;
    }

    /** Mutable builder starting from the ALGORITHM.md §4 defaults. */
    public static final class Builder {
        private final int k;
        private Method method = Method.SP2OT;
        private int epochs = 50;
        private int batchSize = 512;
        private int bankSize = 10 * 512;
        private RhoSchedule rhoSchedule = RhoSchedule.SIGMOID;
        private double rho0 = 0.1;
        private HeadKind head = HeadKind.COSINE;
        private double headScale = 10;
        private double learningRate = 5e-4;
        private double finalLearningRateFactor = CosineDecay.DEFAULT_FINAL_FACTOR;
        private double beta1 = 0.9;
        private double beta2 = 0.999;
        private double adamEpsilon = 1e-8;
        private double weightDecay = 0;
        private long seed = 0;
        private ModelSelection selection = ModelSelection.LAST;
        private SolverSettings solver = SolverSettings.defaults();
        private int keepCheckpoints = 2;
        private int checkpointEvery = 1;
        private TrainingSetup setup = TrainingSetup.DEFAULT;

        private Builder(int k) {
            this.k = k;
        }

        public Builder method(Method value) {
            method = value;
            return this;
        }

        public Builder epochs(int value) {
            epochs = value;
            return this;
        }

        public Builder batchSize(int value) {
            batchSize = value;
            return this;
        }

        public Builder bankSize(int value) {
            bankSize = value;
            return this;
        }

        public Builder rhoSchedule(RhoSchedule value) {
            rhoSchedule = value;
            return this;
        }

        public Builder rho0(double value) {
            rho0 = value;
            return this;
        }

        public Builder head(HeadKind value) {
            head = value;
            return this;
        }

        public Builder headScale(double value) {
            headScale = value;
            return this;
        }

        public Builder learningRate(double value) {
            learningRate = value;
            return this;
        }

        public Builder finalLearningRateFactor(double value) {
            finalLearningRateFactor = value;
            return this;
        }

        public Builder adam(double b1, double b2, double epsilon, double decay) {
            beta1 = b1;
            beta2 = b2;
            adamEpsilon = epsilon;
            weightDecay = decay;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder selection(ModelSelection value) {
            selection = value;
            return this;
        }

        public Builder solver(SolverSettings value) {
            solver = value;
            return this;
        }

        public Builder keepCheckpoints(int value) {
            keepCheckpoints = value;
            return this;
        }

        public Builder checkpointEvery(int value) {
            checkpointEvery = value;
            return this;
        }

        public Builder setup(TrainingSetup value) {
            setup = value;
            return this;
        }

        /** The settings, validated. */
        public TrainSettings build() {
            return new TrainSettings(k, method, epochs, batchSize, bankSize, rhoSchedule, rho0, head, headScale,
                    learningRate, finalLearningRateFactor, beta1, beta2, adamEpsilon, weightDecay, seed, selection, solver,
                    keepCheckpoints, checkpointEvery, setup).validate();
        }
    }
}
