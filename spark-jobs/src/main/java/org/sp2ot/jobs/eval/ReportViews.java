package org.sp2ot.jobs.eval;

import static org.apache.spark.sql.functions.col;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataTypes;

/**
 * What the report shows without labels (and, where labels exist, the class x cluster tables for its heat maps):
 * per method the cluster sizes on the training split, its training curves, the clusters of a sample of rows on a
 * 2-D PCA map and, for image inputs, a gallery. Gathered with Spark; only counts, a small sample of features and
 * thumbnails reach the driver.
 *
 * @param methods   in report order
 * @param map       the 2-D map of the sampled rows (null when there are too few rows)
 * @param classSizes training-split class sizes (null without labels)
 */
public record ReportViews(List<MethodView> methods, MapSample map, long[] classSizes) {

    /** One method's views. */
    public record MethodView(String method, long[] clusterSizes, TrainCurves curves,
            List<ClusterGallery.Cluster> gallery, int[] mapClusters, long[][] classByCluster) {
    }

    /** Sampled rows projected on two principal components ({@code xy} row-major) and their labels (or null). */
    public record MapSample(double[] xy, int[] labels) {
    }

    /**
     * @param galleryClusters the largest clusters shown in the gallery (0: no gallery)
     * @param mapPoints       rows sampled for the map
     * @param images          whether the rows are images (the manifest has paths)
     * @param galleryMethod   the method whose clusters the gallery shows
     */
    public record Options(int galleryClusters, int mapPoints, boolean images, long seed, String galleryMethod) {
    }

    /** No views: the report as it was before them. */
    public static ReportViews none() {
        return new ReportViews(List.of(), null, null);
    }

    /**
     * @param manifest    id, label (null when unlabelled), split
     * @param features    id, features
     * @param assignments method to its assignments (id, path, cluster, confidence)
     * @param curves      method to its training curves (absent for k-means)
     * @param k           clusters of every method
     */
    public static ReportViews gather(Dataset<Row> manifest, Dataset<Row> features,
            Map<String, Dataset<Row>> assignments, Map<String, TrainCurves> curves, int k, Options options,
            Configuration hadoop) {
        Dataset<Row> train = manifest.where(col("split").equalTo(EvaluateStage.TRAIN))
                .select(col("id").cast(DataTypes.LongType).as("tid"), col("label").cast(DataTypes.IntegerType)
                        .as("tlabel"));
        boolean labelled = !train.where(col("tlabel").isNotNull()).isEmpty();
        long[] classSizes = null;
        int classes = 0;
        if (labelled) {
            Map<Integer, Long> counts = new HashMap<>();
            for (Row row : train.where(col("tlabel").isNotNull()).groupBy("tlabel").count().collectAsList()) {
                counts.put(row.getInt(0), row.getLong(1));
                classes = Math.max(classes, row.getInt(0) + 1);
            }
            classSizes = new long[classes];
            for (Map.Entry<Integer, Long> e : counts.entrySet()) {
                classSizes[e.getKey()] = e.getValue();
            }
        }
        Dataset<Row> sampled = features.join(train, features.col("id").equalTo(train.col("tid")), "left_semi");
        long n = sampled.count();
        List<Row> sample = n == 0 ? List.of() : sampled.sample(false, Math.min(1.0, 1.2 * options.mapPoints() / n),
                options.seed()).limit(options.mapPoints()).select(col("id").cast(DataTypes.LongType), col("features"))
                .collectAsList();
        MapSample map = null;
        Map<Long, Integer> position = new HashMap<>();
        if (sample.size() >= 3) {
            int dim = sample.get(0).getList(1).size();
            float[] rows = new float[sample.size() * dim];
            for (int i = 0; i < sample.size(); i++) {
                List<Object> values = sample.get(i).getList(1);
                for (int j = 0; j < dim; j++) {
                    rows[i * dim + j] = ((Number) values.get(j)).floatValue();
                }
                position.put(sample.get(i).getLong(0), i);
            }
            int[] labels = null;
            if (labelled) {
                labels = new int[sample.size()];
                java.util.Arrays.fill(labels, -1);
                Dataset<Row> ids = idTable(manifest, position);
                for (Row row : train.join(ids, col("tid").equalTo(col("sid"))).collectAsList()) {
                    if (!row.isNullAt(1)) {
                        labels[position.get(row.getLong(0))] = row.getInt(1);
                    }
                }
            }
            map = new MapSample(Pca.project2d(rows, sample.size(), dim, options.seed()), labels);
        }
        // every method's cluster sizes, class x cluster tables and map clusters in two Spark jobs in all
        Dataset<Row> assigned = EvaluateStage.unionByMethod(assignments, "vmethod", "aid");
        Map<String, long[]> sizesByMethod = new HashMap<>();
        Map<String, long[][]> classByClusterByMethod = new HashMap<>();
        Map<String, int[]> mapClustersByMethod = new HashMap<>();
        int numClasses = classes;
        for (String method : assignments.keySet()) {
            sizesByMethod.put(method, new long[k]);
            if (labelled) {
                classByClusterByMethod.put(method, new long[numClasses][k]);
            }
            if (map != null) {
                mapClustersByMethod.put(method, new int[position.size()]);
            }
        }
        if (assigned != null) {
            for (Row row : assigned.join(train, col("aid").equalTo(col("tid"))).groupBy("vmethod", "tlabel", "cluster")
                    .count().collectAsList()) {
                if (row.isNullAt(2)) {
                    continue;
                }
                int cluster = row.getInt(2);
                if (cluster < 0 || cluster >= k) {
                    continue;
                }
                String method = row.getString(0);
                sizesByMethod.get(method)[cluster] += row.getLong(3);
                if (labelled && !row.isNullAt(1)) {
                    classByClusterByMethod.get(method)[row.getInt(1)][cluster] += row.getLong(3);
                }
            }
            if (map != null) {
                Dataset<Row> ids = idTable(manifest, position);
                for (Row row : assigned.join(ids, col("aid").equalTo(col("sid"))).select("vmethod", "aid", "cluster")
                        .collectAsList()) {
                    mapClustersByMethod.get(row.getString(0))[position.get(row.getLong(1))] = row.getInt(2);
                }
            }
        }
        List<MethodView> views = new ArrayList<>();
        for (Map.Entry<String, Dataset<Row>> entry : assignments.entrySet()) {
            long[] sizes = sizesByMethod.get(entry.getKey());
            long[][] classByCluster = classByClusterByMethod.get(entry.getKey());
            int[] mapClusters = mapClustersByMethod.get(entry.getKey());
            List<ClusterGallery.Cluster> gallery = null;
            boolean hasConfidence = entry.getKey().equals(options.galleryMethod()) && !entry.getValue().where(col("confidence").isNotNull()).isEmpty();
            if (options.images() && options.galleryClusters() > 0 && hasConfidence
                    && entry.getKey().equals(options.galleryMethod())) {
                Dataset<Row> trainIds = train.select("tid");
                gallery = ClusterGallery.build(entry.getValue().join(trainIds,
                        entry.getValue().col("id").equalTo(trainIds.col("tid")), "left_semi")
                        .select("id", "path", "cluster", "confidence"), options.galleryClusters(), hadoop);
            }
            views.add(new MethodView(entry.getKey(), sizes, curves.getOrDefault(entry.getKey(),
                    new TrainCurves(new double[0], Map.of())), gallery, mapClusters, classByCluster));
        }
        return new ReportViews(views, map, classSizes);
    }

    private static Dataset<Row> idTable(Dataset<Row> any, Map<Long, Integer> position) {
        List<Long> ids = new ArrayList<>(position.keySet());
        return any.sparkSession().createDataset(ids, org.apache.spark.sql.Encoders.LONG()).toDF("sid");
    }

    /** The share of the samples in the largest {@code ceil(10%)} of the groups (clusters or classes). */
    public static double largestTenthShare(long[] sizes) {
        long[] sorted = sizes.clone();
        java.util.Arrays.sort(sorted);
        int top = Math.max(1, (int) Math.ceil(sorted.length / 10.0));
        long total = 0;
        long inTop = 0;
        for (int i = 0; i < sorted.length; i++) {
            total += sorted[i];
            if (i >= sorted.length - top) {
                inTop += sorted[i];
            }
        }
        return total == 0 ? 0 : (double) inTop / total;
    }

    /** Methods by name, for lookups. */
    public Map<String, MethodView> byMethod() {
        Map<String, MethodView> out = new LinkedHashMap<>();
        methods.forEach(m -> out.put(m.method(), m));
        return out;
    }
}
