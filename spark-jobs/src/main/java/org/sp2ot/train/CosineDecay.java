package org.sp2ot.train;

/**
 * Cosine learning-rate decay over all training iterations (ALGORITHM.md §4, "Optimiser"): from {@code base} at
 * iteration 0 to {@code base * finalFactor} at iteration T ({@code finalFactor = 0.1^3} by default).
 */
public final class CosineDecay {

    /** ALGORITHM.md §4: the rate decays to {@code lr * 0.1^3}. */
    public static final double DEFAULT_FINAL_FACTOR = 1e-3;

    private CosineDecay() {
    }

    /**
     * {@code lrMin + (base - lrMin) * (1 + cos(pi t / T)) / 2} with {@code lrMin = base * finalFactor}.
     *
     * @param t the iteration, 0-based
     * @param total T, the number of iterations of the whole run
     */
    public static double learningRate(double base, double finalFactor, long t, long total) {
        if (total < 1 || t < 0 || t > total) {
            throw new IllegalArgumentException("cosine decay needs 0 <= t <= T and T >= 1, got t=" + t + ", T=" + total);
        }
        double minimum = base * finalFactor;
        return minimum + (base - minimum) * 0.5 * (1 + Math.cos(Math.PI * t / total));
    }
}
