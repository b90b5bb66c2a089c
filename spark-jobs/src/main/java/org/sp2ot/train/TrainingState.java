package org.sp2ot.train;

import java.util.List;

/**
 * Everything a run needs to continue after epoch {@link #epochsDone()} exactly as if it had not stopped: the head,
 * Adam's moments, the bank, the solver's warm start, the best head so far, the last pass's sample weights and the
 * history. The shuffle needs no state: each epoch's order is a function of (seed, epoch) ({@link EpochOrder}).
 *
 * @param fingerprint the settings and data shape the state belongs to; a resume with different ones is refused
 * @param bank null when the run has no bank
 * @param solverWarmState {@code PseudoLabeler.warmState()}; may be empty
 * @param sampleWeights per local row, the OT row mass of the latest pass (NaN before the first)
 */
public record TrainingState(String fingerprint, int epochsDone, float[] head, Adam.State adam, LogitsBank.State bank,
        double[] solverWarmState, float[] bestHead, double bestLoss, int bestEpoch, float[] sampleWeights,
        List<EpochStats> history) {

    public TrainingState {
        history = List.copyOf(history);
    }
}
