package org.sp2ot.train;

import java.util.Locale;

import org.sp2ot.solver.Choices;

/** How the head's prototypes start (issue 9, "a good start"). */
public enum HeadInit {
    /** Uniform in {@code [-1/sqrt(dim), 1/sqrt(dim)]} (ALGORITHM.md §4, a linear layer's default). */
    RANDOM,
    /**
     * From k-means centroids of the (preprocessed) training rows ({@link KMeansInit}): spherical k-means for the
     * cosine head (its prototypes are directions), Euclidean k-means for the linear head, whose weights and biases
     * then reproduce the k-means assignment exactly ({@code w_j = s c_j}, {@code b_j = -s ||c_j||^2 / 2}).
     */
    KMEANS;

    /** Parses {@code random | kmeans}. */
    public static HeadInit parse(String name) {
        return Choices.parse("head init", values(), HeadInit::configName, name);
    }

    /** The lower-case configuration name. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
