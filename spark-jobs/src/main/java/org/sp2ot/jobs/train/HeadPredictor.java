package org.sp2ot.jobs.train;

import java.io.Serializable;

/**
 * A {@link ClusterHead} ready to predict one row at a time on an executor: the effective weights (unit prototypes
 * for the cosine head) are computed once on the driver and travel with it (e.g. in a broadcast).
 */
public final class HeadPredictor implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ClusterHead head;
    private final float[] effectiveWeights;

    public HeadPredictor(ClusterHead head) {
        this.head = head;
        this.effectiveWeights = head.effectiveWeights();
    }

    public ClusterHead head() {
        return head;
    }

    /** Feature dimension the head expects. */
    public int dim() {
        return head.dim();
    }

    /**
     * The cluster (argmax of the logits) and confidence (largest softmax probability) of one feature vector.
     *
     * @param features {@link #dim()} values
     */
    public Prediction predict(float[] features) {
        float[] logits = new float[head.k()];
        head.logitsOfRow(features, 0, effectiveWeights, logits, 0);
        return new Prediction(Predictions.argmax(logits, 0, logits.length), Predictions.maxSoftmax(logits, 0, logits.length));
    }

    /** One row's prediction. */
    public record Prediction(int cluster, float confidence) {
    }
}
