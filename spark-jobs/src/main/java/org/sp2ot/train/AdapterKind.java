package org.sp2ot.train;

import java.util.Locale;

import org.sp2ot.solver.Choices;

/** What sits between the (preprocessed) frozen features and the head (issue 9, "a trainable adapter"). */
public enum AdapterKind {
    /** Nothing: the head sees the features (ALGORITHM.md §4, frozen features). */
    NONE,
    /**
     * A residual MLP {@code x + W2 relu(W1 x + b1) + b2} ({@link FeatureAdapter}), started at the identity and trained
     * with the head by the same pseudo-labels (the analog of the paper's fine-tuned last block).
     */
    RESIDUAL_MLP;

    /** Parses {@code none | residual-mlp}. */
    public static AdapterKind parse(String name) {
        return Choices.parse("adapter", values(), AdapterKind::configName, name);
    }

    /** The lower-case configuration name. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
