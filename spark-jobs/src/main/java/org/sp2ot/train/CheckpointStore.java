package org.sp2ot.train;

import java.io.IOException;
import java.util.Optional;

/** Where a {@link Trainer} keeps its per-epoch {@link TrainingState}s. */
public interface CheckpointStore {

    /** The newest complete checkpoint, if any. */
    Optional<TrainingState> latest() throws IOException;

    /** Stores the state after epoch {@code state.epochsDone()}, atomically: a reader sees all of it or none. */
    void save(TrainingState state) throws IOException;
}
