package org.sp2ot.train;

import java.util.List;

/**
 * The outcome of a training run.
 *
 * @param head the head chosen by the run's {@link ModelSelection}
 * @param lastHead the head after the last epoch
 * @param selectedEpoch the 1-based epoch {@code head} is from
 * @param history one entry per epoch, including epochs done before a resume
 * @param sampleWeights per local row, the OT row mass (sample weight) from the last epoch; NaN for rows not seen
 * @param clusterSizes how many training rows {@code head} assigns to each cluster (argmax)
 * @param bankRows rows of the logits bank actually used (0 = no bank)
 * @param solverDevice where the OT solver ran, as the solver reports it
 * @param preprocessing the feature transform the head expects (fitted on the training rows; identity for none)
 * @param adapter the trained adapter between the preprocessed features and {@code head}, from the same epoch as
 *     {@code head} (identity for none)
 */
public record TrainResult(ClusterHead head, ClusterHead lastHead, int selectedEpoch, List<EpochStats> history,
        float[] sampleWeights, long[] clusterSizes, int bankRows, String solverDevice, FeaturePreprocessing preprocessing,
        FeatureAdapter adapter) {

    public TrainResult {
        history = List.copyOf(history);
    }

    /** What {@link #head()} sees for {@code rows} raw feature rows: the preprocessing, then the adapter. */
    public float[] headInput(float[] raw, int rows) {
        return adapter.apply(preprocessing.applyAll(raw, rows), rows);
    }

    /** Mean training loss per epoch, in order. */
    public double[] lossPerEpoch() {
        return history.stream().mapToDouble(EpochStats::loss).toArray();
    }
}
