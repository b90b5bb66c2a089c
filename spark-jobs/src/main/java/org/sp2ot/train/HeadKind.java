package org.sp2ot.train;

import java.util.Locale;

import org.sp2ot.solver.Choices;

/** Which clustering head maps a frozen feature vector to K logits (ALGORITHM.md §4, "Model"). */
public enum HeadKind {
    /** {@code logits = scale * normalize(x) . W}, W's columns weight-normalised prototypes of norm 1, no bias. */
    COSINE,
    /** {@code logits = x . W + b}: a plain affine layer. */
    LINEAR;

    /** Parses {@code "cosine"} or {@code "linear"} (case-insensitive); the message lists the choices otherwise. */
    public static HeadKind parse(String name) {
        return Choices.parse("head", values(), HeadKind::configName, name);
    }

    /** The lower-case name used in configuration and persisted models. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
