package org.sp2ot.train;

import java.util.Locale;

/**
 * The training setup around the OT core (issue 9): how the head starts, what the head sees, how lam relates to the
 * bank, and which pseudo-labels a row learns from. Each lever is measured in the closing note of issue 9; the
 * defaults are the measured winners.
 *
 * @param init how the prototypes start
 * @param initRestarts k-means restarts of {@link HeadInit#KMEANS} (lowest cost kept)
 * @param preprocess the feature transform before the head (fitted on the training rows, saved with the model)
 * @param lamScaling how lam0 follows the OT problem's size
 * @param view the second view
 * @param adapter what sits between the features and the head
 * @param adapterHidden hidden units of {@link AdapterKind#RESIDUAL_MLP}
 * @param augment the feature-space augmentation of the two-view loss ({@link Augmentation#NONE}: one view)
 */
public record TrainingSetup(HeadInit init, int initRestarts, FeaturePreprocessing.Spec preprocess,
        LamScaling lamScaling, SecondView view, AdapterKind adapter, int adapterHidden, Augmentation augment) {

    /** The setup of ALGORITHM.md §4 as the authors run it: random start, raw features, lam0 as given, one view. */
    public static final TrainingSetup PAPER = new TrainingSetup(HeadInit.RANDOM, 1, FeaturePreprocessing.Spec.NONE,
            LamScaling.NONE, SecondView.NONE, AdapterKind.NONE, 256, Augmentation.NONE);

    /** The default setup (issue 9's measured winners; see the README's quality table). */
    public static final TrainingSetup DEFAULT = new TrainingSetup(HeadInit.KMEANS_EUCLIDEAN, 10,
            FeaturePreprocessing.Spec.NONE, LamScaling.NONE, SecondView.NONE, AdapterKind.NONE, 256, Augmentation.NONE);

    /** A setup without adapter and with one view. */
    public TrainingSetup(HeadInit init, int initRestarts, FeaturePreprocessing.Spec preprocess, LamScaling lamScaling,
            SecondView view) {
        this(init, initRestarts, preprocess, lamScaling, view, AdapterKind.NONE, 256, Augmentation.NONE);
    }

    public TrainingSetup {
        if (init == null || preprocess == null || lamScaling == null || view == null || adapter == null
                || augment == null) {
            throw new IllegalArgumentException("training setup: init, preprocess, lamScaling, view, adapter and "
                    + "augment must be set");
        }
        if (initRestarts < 1) {
            throw new IllegalArgumentException("init restarts must be >= 1, got " + initRestarts);
        }
        if (adapterHidden < 1) {
            throw new IllegalArgumentException("adapter hidden units must be >= 1, got " + adapterHidden);
        }
    }

    /** For the checkpoint fingerprint. */
    public String key() {
        String key = String.format(Locale.ROOT, "init=%s/%d preprocess=%s lamScaling=%s view=%s", init.configName(),
                initRestarts, preprocess.describe(), lamScaling.configName(), view.configName());
        // Appended only when used, so checkpoints written before the adapter existed still resume.
        if (adapter != AdapterKind.NONE) {
            key += " adapter=" + adapter.configName() + "/" + adapterHidden;
        }
        if (augment.isActive()) {
            key += " augment=" + augment.describe();
        }
        return key;
    }
}
