package org.sp2ot.jobs;

import org.sp2ot.train.Augmentation;
import org.sp2ot.train.FeaturePreprocessing;
import org.sp2ot.train.TrainSettings;
import org.sp2ot.train.TrainingSetup;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.SolverSettings;

/** Maps the run config's {@code train} section to the trainer's settings for one method. */
public final class TrainSettingsMapper {

    private TrainSettingsMapper() {
    }

    /**
     * The settings for {@code method}: the config's values; what the config does not expose (Adam's betas, a
     * fixed lam, the head scale) keeps the trainer's ALGORITHM.md defaults.
     * The bank holds {@code bank-factor * batch} rows (ALGORITHM.md §4), 0 = no bank.
     */
    public static TrainSettings settings(RunConfig config, String method) {
        RunConfig.Train t = config.train();
        SolverSettings d = SolverSettings.defaults();
        SolverSettings solver = new SolverSettings(t.eps(), t.gamma(), t.tol(), t.maxIter(), t.lam0(), d.lamFixed(),
                t.mmMaxIter(), t.mmTol(), t.solver());
        return TrainSettings.builder(t.k())
                .method(Method.parse(method))
                .epochs(t.epochs())
                .batchSize(t.batch())
                .bankSize(t.bankFactor() * t.batch())
                .learningRate(t.lr())
                .rho0(t.rho0())
                .rhoSchedule(t.rhoSchedule())
                .head(t.head())
                .seed(t.seed())
                .selection(t.selection())
                .solver(solver)
                .setup(new TrainingSetup(t.init(), t.initRestarts(),
                        new FeaturePreprocessing.Spec(t.center(), t.pcaDim(), t.whiten(), t.l2()),
                        t.lamScaling(), t.view(), t.adapter(), t.adapterHidden(),
                        new Augmentation(t.augmentDropout(), t.augmentNoise())))
                .build();
    }
}
