package org.sp2ot.jobs.eval;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.row_number;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.expressions.Window;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The report's cluster gallery: for the largest clusters of one method, the {@value #CONFIDENT} most confident and
 * {@value #UNCERTAIN} least confident members as JPEG thumbnails of at most {@value #MAX_SIDE} px, embedded as
 * {@code data:} URIs. The members are picked with window functions and their images read and scaled on the
 * executors (through Hadoop's file system); only the thumbnails, a few KiB each, reach the driver.
 */
public final class ClusterGallery {
    public static final int CONFIDENT = 8;
    public static final int UNCERTAIN = 4;
    public static final int MAX_SIDE = 96;

    /** One member shown: its id, confidence and thumbnail (null with the reason when its image could not be read). */
    public record Thumb(long id, float confidence, String dataUri, String error) {
    }

    /** One cluster of the gallery. */
    public record Cluster(int cluster, long size, List<Thumb> confident, List<Thumb> uncertain) {
    }

    private static final StructType THUMB_SCHEMA = new StructType()
            .add("cluster", DataTypes.IntegerType, false)
            .add("id", DataTypes.LongType, false)
            .add("confidence", DataTypes.FloatType, false)
            .add("confident", DataTypes.BooleanType, false)
            .add("uri", DataTypes.StringType, true)
            .add("error", DataTypes.StringType, true);

    private ClusterGallery() {
    }

    /**
     * @param assignments id, path, cluster, confidence (one method)
     * @param maxClusters the largest clusters shown at most
     * @return the clusters by decreasing size
     */
    public static List<Cluster> build(Dataset<Row> assignments, int maxClusters, Configuration hadoop) {
        if (maxClusters < 1) {
            return List.of();
        }
        Map<Integer, Long> sizes = new HashMap<>();
        for (Row row : assignments.groupBy("cluster").count().collectAsList()) {
            sizes.put(row.getInt(0), row.getLong(1));
        }
        List<Integer> shown = new ArrayList<>(sizes.keySet());
        shown.sort(Comparator.comparing((Integer c) -> -sizes.get(c)).thenComparing(c -> c));
        shown = shown.subList(0, Math.min(maxClusters, shown.size()));
        Dataset<Row> members = assignments.where(col("cluster").isin(shown.toArray()).and(col("path").isNotNull())
                .and(col("confidence").isNotNull()))
                .withColumn("top", row_number().over(Window.partitionBy("cluster")
                        .orderBy(col("confidence").desc(), col("id"))))
                .withColumn("bottom", row_number().over(Window.partitionBy("cluster")
                        .orderBy(col("confidence").asc(), col("id").desc())))
                .where(col("top").leq(CONFIDENT).or(col("bottom").leq(UNCERTAIN).and(col("top").gt(CONFIDENT))))
                .select(col("cluster"), col("id"), col("path"), col("confidence"), col("top").leq(CONFIDENT)
                        .as("confident"));
        Map<String, String> conf = new HashMap<>();
        hadoop.forEach(entry -> conf.put(entry.getKey(), entry.getValue()));
        List<Row> thumbs = members.sparkSession().createDataFrame(
                members.javaRDD().mapPartitions(rows -> thumbnails(rows, conf)), THUMB_SCHEMA).collectAsList();
        Map<Integer, List<Thumb>> confident = new LinkedHashMap<>();
        Map<Integer, List<Thumb>> uncertain = new LinkedHashMap<>();
        for (Row row : thumbs) {
            Thumb thumb = new Thumb(row.getLong(1), row.getFloat(2), row.getString(4), row.getString(5));
            (row.getBoolean(3) ? confident : uncertain).computeIfAbsent(row.getInt(0), c -> new ArrayList<>())
                    .add(thumb);
        }
        List<Cluster> clusters = new ArrayList<>();
        for (int c : shown) {
            List<Thumb> top = new ArrayList<>(confident.getOrDefault(c, List.of()));
            top.sort(Comparator.comparing((Thumb t) -> -t.confidence()).thenComparing(Thumb::id));
            List<Thumb> low = new ArrayList<>(uncertain.getOrDefault(c, List.of()));
            low.sort(Comparator.comparing(Thumb::confidence).thenComparing(Thumb::id));
            clusters.add(new Cluster(c, sizes.get(c), top, low));
        }
        return clusters;
    }

    private static Iterator<Row> thumbnails(Iterator<Row> rows, Map<String, String> settings) {
        Configuration conf = new Configuration(false);
        settings.forEach(conf::set);
        List<Row> out = new ArrayList<>();
        while (rows.hasNext()) {
            Row row = rows.next();
            String uri = null;
            String error = null;
            try {
                uri = "data:image/jpeg;base64," + Base64.getEncoder().encodeToString(
                        jpeg(scaleToFit(read(row.getString(2), conf), MAX_SIDE)));
            } catch (IOException | RuntimeException e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
            }
            out.add(RowFactory.create(row.getInt(0), row.getLong(1), row.getFloat(3), row.getBoolean(4), uri, error));
        }
        return out.iterator();
    }

    private static BufferedImage read(String path, Configuration conf) throws IOException {
        Path file = new Path(path);
        FileSystem fs = file.getFileSystem(conf);
        try (InputStream in = fs.open(file)) {
            BufferedImage image = ImageIO.read(in);
            if (image == null) {
                throw new IOException("not an image javax.imageio can decode: " + path);
            }
            return image;
        }
    }

    /** The image scaled (never up) so that its longer side is at most {@code maxSide}, as RGB. */
    static BufferedImage scaleToFit(BufferedImage image, int maxSide) {
        double scale = Math.min(1.0, (double) maxSide / Math.max(image.getWidth(), image.getHeight()));
        int w = Math.max(1, (int) Math.round(image.getWidth() * scale));
        int h = Math.max(1, (int) Math.round(image.getHeight() * scale));
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(image, 0, 0, w, h, null);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static byte[] jpeg(BufferedImage image) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        if (!ImageIO.write(image, "jpg", bytes)) {
            throw new IOException("no JPEG writer");
        }
        return bytes.toByteArray();
    }
}
