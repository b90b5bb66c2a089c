package org.sp2ot.train;

import java.util.List;

/** Receives progress from a {@link Trainer}; implementations do the logging and file writing the trainer does not. */
public interface TrainingListener {

    /** A listener that ignores everything. */
    TrainingListener NONE = (stats, epochs, history) -> { };

    /**
     * Called after each epoch, after its checkpoint when one is due.
     *
     * @param totalEpochs the run's configured number of epochs
     * @param history every epoch so far including {@code stats} (also those done before a resume)
     */
    void onEpoch(EpochStats stats, int totalEpochs, List<EpochStats> history);
}
