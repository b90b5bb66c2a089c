package org.sp2ot.train;

import java.io.Serializable;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Feature-space augmentation for the two-view loss (ALGORITHM.md §9, "Two views": the authors draw two augmented
 * views of each batch; on frozen features the augmentation acts on the feature vector instead of the image):
 * dropout of single features with probability {@code dropout} (survivors scaled by {@code 1/(1-dropout)}), then
 * Gaussian noise of standard deviation {@code noise * ||x_i|| / sqrt(dim)} (relative to the row's RMS value, so the
 * same setting means the same for pixels and for embeddings of any scale).
 *
 * <p>With both at 0 there is one view (ALGORITHM.md §4). Otherwise the trainer draws two views per batch, writes
 * view b's logits into the bank, runs the OT problem on them, and trains view a's logits against those pseudo-labels.
 *
 * @param dropout probability of zeroing one feature, in {@code [0, 1)}
 * @param noise relative standard deviation of the additive Gaussian noise, {@code >= 0}
 */
public record Augmentation(double dropout, double noise) implements Serializable {

    /** No augmentation: one view. */
    public static final Augmentation NONE = new Augmentation(0, 0);

    public Augmentation {
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("augment dropout must be in [0, 1), got " + dropout);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("augment noise must be a finite number >= 0, got " + noise);
        }
    }

    /** Whether training draws two views. */
    public boolean isActive() {
        return dropout > 0 || noise > 0;
    }

    /** e.g. {@code dropout0.2+noise0.1}, or {@code none}. */
    public String describe() {
        if (!isActive()) {
            return "none";
        }
        return String.format(Locale.ROOT, "dropout%s+noise%s", dropout, noise);
    }

    /**
     * One augmented view of {@code rows} rows ({@code x} row-major, {@code rows*dim}, not modified), determined by
     * {@code (seed, step, view)} so that a resumed run draws the same views.
     */
    public float[] apply(float[] x, int rows, int dim, long seed, long step, int view) {
        float[] out = new float[rows * dim];
        SplittableRandom random = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + step * 31 + view + 0x5EED);
        double keepScale = 1 / (1 - dropout);
        for (int i = 0; i < rows; i++) {
            int row = i * dim;
            double sigma = noise * Math.sqrt(ClusterHead.dot(x, row, x, row, dim) / dim);
            for (int d = 0; d < dim; d++) {
                double value = x[row + d];
                if (dropout > 0) {
                    value = random.nextDouble() < dropout ? 0 : value * keepScale;
                }
                if (noise > 0) {
                    value += sigma * random.nextGaussian();
                }
                out[row + d] = (float) value;
            }
        }
        return out;
    }
}
