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
 */
public record TrainingSetup(HeadInit init, int initRestarts, FeaturePreprocessing.Spec preprocess,
        LamScaling lamScaling, SecondView view) {

    /** The setup of ALGORITHM.md §4 as the authors run it: random start, raw features, lam0 as given, one view. */
    public static final TrainingSetup PAPER = new TrainingSetup(HeadInit.RANDOM, 1, FeaturePreprocessing.Spec.NONE,
            LamScaling.NONE, SecondView.NONE);

    /** The default setup (issue 9's measured winners; see the README's quality table). */
    public static final TrainingSetup DEFAULT = new TrainingSetup(HeadInit.KMEANS, 3, FeaturePreprocessing.Spec.NONE,
            LamScaling.NONE, SecondView.NONE);

    public TrainingSetup {
        if (init == null || preprocess == null || lamScaling == null || view == null) {
            throw new IllegalArgumentException("training setup: init, preprocess, lamScaling and view must be set");
        }
        if (initRestarts < 1) {
            throw new IllegalArgumentException("init restarts must be >= 1, got " + initRestarts);
        }
    }

    /** For the checkpoint fingerprint. */
    public String key() {
        return String.format(Locale.ROOT, "init=%s/%d preprocess=%s lamScaling=%s view=%s", init.configName(),
                initRestarts, preprocess.describe(), lamScaling.configName(), view.configName());
    }
}
