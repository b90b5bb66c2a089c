package org.sp2ot.ml;

import java.io.Serializable;
import java.util.List;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.sp2ot.train.EpochStats;

/**
 * What a {@link Sp2otClustering#fit} did, in the manner of Spark's {@code KMeansSummary}: the loss and schedule per
 * epoch, the epoch the model is from, the cluster sizes on the training data, where the OT solver ran, and the
 * training data with predictions.
 */
public final class Sp2otTrainingSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<EpochStats> history;
    private final int selectedEpoch;
    private final long[] clusterSizes;
    private final int bankRows;
    private final String solverDevice;
    private final transient Dataset<Row> predictions;

    Sp2otTrainingSummary(List<EpochStats> history, int selectedEpoch, long[] clusterSizes, int bankRows,
            String solverDevice, Dataset<Row> predictions) {
        this.history = List.copyOf(history);
        this.selectedEpoch = selectedEpoch;
        this.clusterSizes = clusterSizes.clone();
        this.bankRows = bankRows;
        this.solverDevice = solverDevice;
        this.predictions = predictions;
    }

    /** Mean training loss of each epoch. */
    public double[] lossPerEpoch() {
        return history.stream().mapToDouble(EpochStats::loss).toArray();
    }

    /** Everything logged per epoch. */
    public List<EpochStats> history() {
        return history;
    }

    /** Number of epochs trained (including those before a resume). */
    public int numEpochs() {
        return history.size();
    }

    /** The 1-based epoch whose head the model holds (model selection). */
    public int selectedEpoch() {
        return selectedEpoch;
    }

    /** Training rows per cluster under the model. */
    public long[] clusterSizes() {
        return clusterSizes.clone();
    }

    /** k. */
    public int k() {
        return clusterSizes.length;
    }

    /** Rows of the logits bank used (0: OT per batch). */
    public int bankRows() {
        return bankRows;
    }

    /** Where the OT solver ran, e.g. "cpu-fast(2 threads)". */
    public String solverDevice() {
        return solverDevice;
    }

    /** The training data with the model's prediction and confidence columns (lazy). */
    public Dataset<Row> predictions() {
        return predictions;
    }
}
