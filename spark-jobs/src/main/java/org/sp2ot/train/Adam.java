package org.sp2ot.train;

import java.util.Arrays;

/**
 * Adam (Kingma and Ba) with bias correction and optional L2 weight decay added to the gradient, the optimiser of
 * ALGORITHM.md §4 (lr 5e-4, betas 0.9/0.999, eps 1e-8, weight decay 0). The learning rate is passed to each
 * {@link #step} so a schedule ({@link CosineDecay}) stays outside. The moment estimates are float32, as in the
 * usual framework implementations; the whole state can be exported and restored for checkpoints.
 */
public final class Adam {
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final double weightDecay;
    private final float[] firstMoment;
    private final float[] secondMoment;
    private long steps;

    public Adam(int parameterCount, double beta1, double beta2, double epsilon, double weightDecay) {
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam betas must lie in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("Adam needs eps > 0 and weight decay >= 0, got " + epsilon + ", " + weightDecay);
        }
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
        this.weightDecay = weightDecay;
        this.firstMoment = new float[parameterCount];
        this.secondMoment = new float[parameterCount];
    }

    /**
     * One update of {@code params} in place: {@code m = b1 m + (1-b1) g}, {@code v = b2 v + (1-b2) g^2},
     * {@code p -= lr * (m/(1-b1^t)) / (sqrt(v/(1-b2^t)) + eps)} with {@code g = grad + weightDecay * p}.
     */
    public void step(float[] params, float[] grad, double learningRate) {
        if (params.length != firstMoment.length || grad.length != firstMoment.length) {
            throw new IllegalArgumentException("Adam was built for " + firstMoment.length + " parameters, got params "
                    + params.length + " and gradient " + grad.length);
        }
        steps++;
        double correction1 = 1 - Math.pow(beta1, steps);
        double correction2Sqrt = Math.sqrt(1 - Math.pow(beta2, steps));
        double stepSize = learningRate / correction1;
        for (int i = 0; i < params.length; i++) {
            double g = grad[i] + weightDecay * params[i];
            firstMoment[i] = (float) (beta1 * firstMoment[i] + (1 - beta1) * g);
            secondMoment[i] = (float) (beta2 * secondMoment[i] + (1 - beta2) * g * g);
            double denominator = Math.sqrt(secondMoment[i]) / correction2Sqrt + epsilon;
            params[i] = (float) (params[i] - stepSize * firstMoment[i] / denominator);
        }
    }

    /** Number of steps taken so far. */
    public long steps() {
        return steps;
    }

    /** A copy of the state: first moments, second moments, step count. */
    public State state() {
        return new State(firstMoment.clone(), secondMoment.clone(), steps);
    }

    /** Replaces the state with a saved one of the same size. */
    public void restore(State state) {
        if (state.firstMoment().length != firstMoment.length || state.secondMoment().length != secondMoment.length) {
            throw new IllegalArgumentException("saved Adam state is for " + state.firstMoment().length
                    + " parameters, this optimiser has " + firstMoment.length);
        }
        System.arraycopy(state.firstMoment(), 0, firstMoment, 0, firstMoment.length);
        System.arraycopy(state.secondMoment(), 0, secondMoment, 0, secondMoment.length);
        steps = state.steps();
    }

    /** Adam's state, for checkpoints. */
    public record State(float[] firstMoment, float[] secondMoment, long steps) {
        @Override
        public boolean equals(Object other) {
            return other instanceof State s && s.steps == steps && Arrays.equals(s.firstMoment, firstMoment)
                    && Arrays.equals(s.secondMoment, secondMoment);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(firstMoment) * 31 + Arrays.hashCode(secondMoment) + Long.hashCode(steps);
        }

        @Override
        public String toString() {
            return "Adam.State(" + firstMoment.length + " parameters, " + steps + " steps)";
        }
    }
}
