package org.sp2ot.train;

import java.io.Serializable;

/**
 * A {@link ClusterHead} (after the model's preprocessing and adapter) ready to predict one row at a time on an executor: the effective weights (unit prototypes
 * for the cosine head) are computed once on the driver and travel with it (e.g. in a broadcast).
 */
public final class HeadPredictor implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ClusterHead head;
    private final FeaturePreprocessing preprocessing;
    private final FeatureAdapter adapter;
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
        this(head, preprocessing, FeatureAdapter.identity(head.dim()));
    }

    /**
     * A predictor that applies the model's preprocessing, then its trained adapter, before the head, as training did.
     *
     * @throws IllegalArgumentException when the dimensions of preprocessing, adapter and head do not chain
     */
    public HeadPredictor(ClusterHead head, FeaturePreprocessing preprocessing, FeatureAdapter adapter) {
        if (preprocessing.outDim() != head.dim()) {
            throw new IllegalArgumentException("the preprocessing gives " + preprocessing.outDim()
                    + " features but the head expects " + head.dim());
        }
        if (adapter.dim() != head.dim()) {
            throw new IllegalArgumentException("the adapter maps " + adapter.dim() + " features but the head expects "
                    + head.dim());
        }
        this.head = head;
        this.preprocessing = preprocessing;
        this.adapter = adapter;
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

    public FeatureAdapter adapter() {
        return adapter;
    }

    /**
     * The cluster (argmax of the logits) and confidence (largest softmax probability) of one feature vector.
     *
     * @param features {@link #dim()} values
     */
    public Prediction predict(float[] features) {
        float[] logits = new float[head.k()];
        float[] x = preprocessing.isIdentity() ? features : preprocessing.apply(features);
        if (!adapter.isIdentity()) {
            x = adapter.apply(x, 1);
        }
        head.logitsOfRow(x, 0, effectiveWeights, logits, 0);
        return new Prediction(Predictions.argmax(logits, 0, logits.length), Predictions.maxSoftmax(logits, 0, logits.length));
    }

    /** One row's prediction. */
    public record Prediction(int cluster, float confidence) {
    }
}
