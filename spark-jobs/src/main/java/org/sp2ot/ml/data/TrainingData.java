package org.sp2ot.ml.data;

import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sp2ot.solver.KnnGraph;
import org.sp2ot.train.FeatureMatrix;

/**
 * Brings the training inputs from Spark to the driver: the features table as one {@link FeatureMatrix}
 * ({@code N * d * 4} bytes of floats on the driver heap, plus 8 bytes of id per row) and the k-NN table as a
 * {@link KnnGraph} over the same row indices.
 */
public final class TrainingData {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingData.class);

    private TrainingData() {
    }

    /**
     * Collects {@code idCol} (long) and {@code featuresCol} (array of float/double, or an ML Vector) to the driver,
     * streaming partition by partition into one preallocated array, sorted by id.
     *
     * @throws IllegalArgumentException for an empty table, rows of different lengths, NaN/infinite values or
     *         repeated ids (naming the id), or more values than one Java array holds
     */
    public static FeatureMatrix collectFeatures(Dataset<?> table, String idCol, String featuresCol) {
        Dataset<Row> selected = table.select(functions.col(idCol).cast("long"), functions.col(featuresCol));
        long count = selected.count();
        if (count == 0) {
            throw new IllegalArgumentException("the features table is empty: nothing to train on");
        }
        Iterator<Row> rows = selected.toLocalIterator();
        Row first = rows.next();
        int dim = vectorLength(first.get(1), first.isNullAt(0) ? -1 : first.getLong(0));
        long values = count * dim;
        if (values > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("N*d = " + count + "*" + dim + " = " + values
                    + " floats exceed one driver array (2^31); train on a sample or reduce the feature dimension");
        }
        LOG.info("Collecting {} x {} features to the driver: {} MiB ({} bytes)", count, dim,
                values * Float.BYTES >> 20, values * Float.BYTES);
        long[] ids = new long[(int) count];
        float[] data = new float[(int) values];
        int row = 0;
        Row current = first;
        while (true) {
            if (row >= count) {
                throw new IllegalStateException("the features table changed while it was collected (more than "
                        + count + " rows)");
            }
            if (current.isNullAt(0)) {
                throw new IllegalArgumentException("column " + idCol + " has a null id");
            }
            ids[row] = current.getLong(0);
            copyVector(current.get(1), ids[row], data, row * dim, dim);
            row++;
            if (!rows.hasNext()) {
                break;
            }
            current = rows.next();
        }
        if (row != count) {
            throw new IllegalStateException("the features table changed while it was collected (" + row + " of "
                    + count + " rows)");
        }
        return sortedById(ids, data, dim);
    }

    /**
     * Collects a k-NN table (id long, neighbors array&lt;long&gt;, weights array&lt;float&gt;; DESIGN.md "Stage
     * contracts") into a graph over the row indices of {@code features}. Neighbours that are not training rows (or the
     * row itself) are dropped: their slot is left empty (-1, weight 0).
     *
     * @throws IllegalArgumentException when a training row has no k-NN row, rows have different k, or lengths differ
     */
    public static KnnGraph collectKnn(Dataset<?> knn, FeatureMatrix features) {
        Dataset<Row> selected = knn.select(functions.col("id").cast("long"), functions.col("neighbors"),
                functions.col("weights"));
        int n = features.n();
        int k = -1;
        int[] neighbors = null;
        float[] weights = null;
        boolean[] seen = new boolean[n];
        Iterator<Row> rows = selected.toLocalIterator();
        while (rows.hasNext()) {
            Row current = rows.next();
            long id = current.getLong(0);
            int row = features.indexOf(id);
            if (row < 0) {
                continue;
            }
            List<Object> rowNeighbors = current.getList(1);
            List<Object> rowWeights = current.getList(2);
            if (k < 0) {
                k = rowNeighbors.size();
                if (k < 1) {
                    throw new IllegalArgumentException("the k-NN table has no neighbours for id " + id);
                }
                neighbors = new int[n * k];
                weights = new float[n * k];
            }
            if (rowNeighbors.size() != k || rowWeights.size() != k) {
                throw new IllegalArgumentException("k-NN row of id " + id + " has " + rowNeighbors.size()
                        + " neighbours and " + rowWeights.size() + " weights, expected " + k + " of each");
            }
            if (seen[row]) {
                throw new IllegalArgumentException("the k-NN table has two rows for id " + id);
            }
            seen[row] = true;
            for (int j = 0; j < k; j++) {
                int neighbor = features.indexOf(((Number) rowNeighbors.get(j)).longValue());
                boolean inside = neighbor >= 0 && neighbor != row;
                neighbors[row * k + j] = inside ? neighbor : -1;
                weights[row * k + j] = inside ? ((Number) rowWeights.get(j)).floatValue() : 0f;
            }
        }
        for (int row = 0; row < n; row++) {
            if (!seen[row]) {
                throw new IllegalArgumentException("the k-NN table has no row for training id " + features.id(row)
                        + "; rebuild the graph from the same features table");
            }
        }
        return new KnnGraph(n, k, neighbors, weights);
    }

    private static FeatureMatrix sortedById(long[] ids, float[] data, int dim) {
        boolean ascending = true;
        for (int i = 1; i < ids.length && ascending; i++) {
            ascending = ids[i] > ids[i - 1];
        }
        if (ascending) {
            return new FeatureMatrix(ids, data, dim);
        }
        Integer[] order = new Integer[ids.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Long.compare(ids[a], ids[b]));
        long[] sortedIds = new long[ids.length];
        float[] sorted = new float[data.length];
        for (int i = 0; i < order.length; i++) {
            sortedIds[i] = ids[order[i]];
            System.arraycopy(data, order[i] * dim, sorted, i * dim, dim);
        }
        return new FeatureMatrix(sortedIds, sorted, dim);
    }

    /** The length of a feature value: a Scala/Java sequence, an array or an ML Vector. */
    static int vectorLength(Object value, long id) {
        if (value instanceof Vector vector) {
            return vector.size();
        }
        if (value instanceof scala.collection.Seq<?> seq) {
            return seq.length();
        }
        if (value instanceof List<?> list) {
            return list.size();
        }
        if (value instanceof float[] floats) {
            return floats.length;
        }
        if (value instanceof double[] doubles) {
            return doubles.length;
        }
        throw new IllegalArgumentException("features of id " + id + " are " + (value == null ? "null"
                : value.getClass().getName()) + "; expected array<float>, array<double> or an ML Vector");
    }

    /** Copies one feature value into {@code out[offset .. offset+dim)}, checking its length (naming the id). */
    public static void copyVector(Object value, long id, float[] out, int offset, int dim) {
        int length = vectorLength(value, id);
        if (length != dim) {
            throw new IllegalArgumentException("features of id " + id + " have " + length + " dimensions, expected "
                    + dim + " like the other rows");
        }
        if (value instanceof Vector vector) {
            for (int c = 0; c < dim; c++) {
                out[offset + c] = (float) vector.apply(c);
            }
        } else if (value instanceof scala.collection.Seq<?> seq) {
            for (int c = 0; c < dim; c++) {
                out[offset + c] = toFloat(seq.apply(c), id);
            }
        } else if (value instanceof List<?> list) {
            for (int c = 0; c < dim; c++) {
                out[offset + c] = toFloat(list.get(c), id);
            }
        } else if (value instanceof float[] floats) {
            System.arraycopy(floats, 0, out, offset, dim);
        } else {
            double[] doubles = (double[]) value;
            for (int c = 0; c < dim; c++) {
                out[offset + c] = (float) doubles[c];
            }
        }
    }

    private static float toFloat(Object element, long id) {
        if (element == null) {
            throw new IllegalArgumentException("features of id " + id + " contain a null value");
        }
        return ((Number) element).floatValue();
    }
}
