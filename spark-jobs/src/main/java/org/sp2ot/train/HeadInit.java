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
    KMEANS,
    /**
     * From the k-means that the evaluate stage's baseline fits ({@link KMeansInit} on the (preprocessed) rows,
     * Euclidean, greedy k-means++ seeding, Lloyd until no assignment changes or {@link KMeansInit#DEFAULT_MAX_ITER}, the
     * lowest-cost of {@code init-restarts} restarts; with 10 restarts and the same seed it is the baseline's fit
     * itself). The cosine head takes the centroids' directions; the linear head takes {@code w_j = s c_j},
     * {@code b_j = -s ||c_j||^2 / 2}, which reproduce that k-means assignment exactly.
     */
    KMEANS_EUCLIDEAN;

    /** Parses {@code random | kmeans | kmeans-euclidean}. */
    public static HeadInit parse(String name) {
        return Choices.parse("head init", values(), HeadInit::configName, name);
    }

    /** The lower-case configuration name. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
