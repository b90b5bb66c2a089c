package org.sp2ot.train;

import java.io.Serializable;

/**
 * A {@link ClusterHead} ready to predict one row at a time on an executor: the effective weights (unit prototypes
 * for the cosine head) are computed once on the driver and travel with it (e.g. in a broadcast).
 */
public final class HeadPredictor implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ClusterHead head;
    private final FeaturePreprocessing preprocessing;
    private final float[] effectiveWeights;

    /** A predictor on raw features (no preprocessing). */
    public HeadPredictor(ClusterHead head) {
        this(head, FeaturePreprocessing.identity(head.dim()));
    }

    /**
     * A predictor that applies the model's preprocessing (fitted at training time) before the head, so assignment
     * sees the features exactly as training did.
     *
     * @throws IllegalArgumentException when the preprocessing's output dimension is not the head's
     */
    public HeadPredictor(ClusterHead head, FeaturePreprocessing preprocessing) {
        if (preprocessing.outDim() != head.dim()) {
            throw new IllegalArgumentException("the preprocessing gives " + preprocessing.outDim()
                    + " features but the head expects " + head.dim());
        }
        this.head = head;
        this.preprocessing = preprocessing;
        this.effectiveWeights = head.effectiveWeights();
    }

    public ClusterHead head() {
        return head;
    }

    /** Raw feature dimension this predictor expects (before preprocessing). */
    public int dim() {
        return preprocessing.inDim();
    }

    public FeaturePreprocessing preprocessing() {
        return preprocessing;
    }

    /**
     * The cluster (argmax of the logits) and confidence (largest softmax probability) of one feature vector.
     *
     * @param features {@link #dim()} values
     */
    public Prediction predict(float[] features) {
        float[] logits = new float[head.k()];
        float[] x = preprocessing.isIdentity() ? features : preprocessing.apply(features);
        head.logitsOfRow(x, 0, effectiveWeights, logits, 0);
        return new Prediction(Predictions.argmax(logits, 0, logits.length), Predictions.maxSoftmax(logits, 0, logits.length));
    }

    /** One row's prediction. */
    public record Prediction(int cluster, float confidence) {
    }
}
