package org.sp2ot.ml;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sp2ot.train.EpochStats;

/**
 * What a {@link Sp2otClustering#fit} did, in the manner of Spark's {@code KMeansSummary}: the loss and schedule per
 * epoch, the epoch the model is from, the cluster sizes on the training data, where the OT solver ran, each
 * training row's OT weight of the last epoch, and the training data with predictions. It lives on the driver
 * only: a saved and loaded model has none.
 */
public final class Sp2otTrainingSummary implements Serializable {
    private static final long serialVersionUID = 1L;

    private final List<EpochStats> history;
    private final int selectedEpoch;
    private final long[] clusterSizes;
    private final int bankRows;
    private final String solverDevice;
    private final long[] ids;
    private final float[] weights;
    private final transient SparkSession spark;
    private final transient Supplier<Dataset<Row>> transform;
    private transient Dataset<Row> predictions;

    /** The table of {@link #trainingWeights()}: id long, weight double (null for rows not in the last pass). */
    public static final StructType TRAINING_WEIGHTS_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("weight", DataTypes.DoubleType, true);

    /**
     * @param ids       the training rows' ids
     * @param weights   their last-epoch OT row mass (NaN: not in the last pass), parallel to {@code ids}
     * @param transform the model's transform of the training data, run on the first {@link #predictions()}
     */
    Sp2otTrainingSummary(List<EpochStats> history, int selectedEpoch, long[] clusterSizes, int bankRows,
            String solverDevice, long[] ids, float[] weights, SparkSession spark, Supplier<Dataset<Row>> transform) {
        if (ids.length != weights.length) {
            throw new IllegalArgumentException(ids.length + " training ids but " + weights.length + " weights");
        }
        this.history = List.copyOf(history);
        this.selectedEpoch = selectedEpoch;
        this.clusterSizes = clusterSizes.clone();
        this.bankRows = bankRows;
        this.solverDevice = solverDevice;
        this.ids = ids.clone();
        this.weights = weights.clone();
        this.spark = spark;
        this.transform = transform;
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

    /**
     * The training data with the model's prediction and confidence columns: the model's {@code transform}, made
     * (and its head broadcast) on the first call only.
     */
    public synchronized Dataset<Row> predictions() {
        if (predictions == null) {
            predictions = transform.get();
        }
        return predictions;
    }

    /**
     * Each training row's OT row mass (sample weight) of the last epoch, as a table
     * ({@link #TRAINING_WEIGHTS_SCHEMA}): the assignments' {@code weight} column. Null where the row was not in the
     * last pass. Built from the driver's copy on each call.
     */
    public Dataset<Row> trainingWeights() {
        List<Row> rows = new ArrayList<>(ids.length);
        for (int i = 0; i < ids.length; i++) {
            rows.add(RowFactory.create(ids[i], Float.isNaN(weights[i]) ? null : (double) weights[i]));
        }
        return spark.createDataFrame(rows, TRAINING_WEIGHTS_SCHEMA);
    }
}
