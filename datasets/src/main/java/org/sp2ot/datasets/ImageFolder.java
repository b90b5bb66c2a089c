package org.sp2ot.datasets;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;

/**
 * A folder of images, in one of two layouts:
 * <ul>
 *   <li>class sub-folders ({@code root/<class>/...}, images at any depth below a class folder): labels 0..K-1 by
 *       the sorted folder names, {@code label_name} the folder name;</li>
 *   <li>a flat folder of images: no labels.</li>
 * </ul>
 * Images are files with the extensions of {@link #IMAGE_EXTENSIONS}; hidden files (names starting with '.' or
 * '_') and other files are ignored. Every image is checked on the executors: its format must be recognised and its
 * header readable (width and height). Unreadable images fail the recipe, naming them, unless skipping is asked
 * for, in which case they are left out and counted and listed in the statistics. An empty class folder fails the
 * recipe. All rows go to the training split.
 */
public final class ImageFolder {
    /** File extensions taken as images (lower case, without dot). */
    public static final Set<String> IMAGE_EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "gif");
    private static final int MAX_NAMED = 5;

    /** One image file found by the listing. */
    record Entry(String path, Integer label, String labelName) implements Serializable {
    }

    /** The readable entries and every unreadable file ("path: reason", sorted by path; the same as records). */
    record Checked(List<Entry> readable, long unreadableCount, List<String> unreadable,
                   List<Unreadable> failures) {
    }

    /** An image file that cannot be read, and why. */
    public record Unreadable(String path, String reason) implements Serializable {
    }

    private ImageFolder() {
    }

    /** The manifest entries of {@code input}; see the class comment. Returns them with the skipped files. */
    static Checked checkedEntries(SparkSession spark, String input, boolean skipUnreadable) throws IOException {
        List<Entry> listed = list(spark.sparkContext().hadoopConfiguration(), input);
        return check(spark, listed, skipUnreadable);
    }

    /** Manifest entries ({@link Manifests#ENTRY_SCHEMA}), all in the training split. */
    static Dataset<Row> toEntries(SparkSession spark, List<Entry> entries, List<String> splits) {
        List<Row> rows = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            rows.add(RowFactory.create(e.path(), e.label(), e.labelName(), splits == null ? Manifests.TRAIN
                    : splits.get(i)));
        }
        return spark.createDataFrame(rows, Manifests.ENTRY_SCHEMA);
    }

    /** Lists the images under {@code input} (driver side, through the Hadoop file system of the path). */
    static List<Entry> list(Configuration conf, String input) throws IOException {
        Path root = new Path(input);
        FileSystem fs = root.getFileSystem(conf);
        if (!fs.exists(root)) {
            throw new IOException("image folder " + input + " does not exist");
        }
        if (!fs.getFileStatus(root).isDirectory()) {
            throw new IOException(input + " is a file; --input must be a folder of images or of class folders");
        }
        FileStatus[] children = fs.listStatus(root);
        Arrays.sort(children, Comparator.comparing(s -> s.getPath().getName()));
        List<FileStatus> classDirs = new ArrayList<>();
        List<FileStatus> looseImages = new ArrayList<>();
        for (FileStatus child : children) {
            if (isHidden(child.getPath())) {
                continue;
            }
            if (child.isDirectory()) {
                classDirs.add(child);
            } else if (isImage(child.getPath())) {
                looseImages.add(child);
            }
        }
        List<Entry> entries = new ArrayList<>();
        if (classDirs.isEmpty()) {
            for (FileStatus image : looseImages) {
                entries.add(new Entry(fs.makeQualified(image.getPath()).toString(), null, null));
            }
            if (entries.isEmpty()) {
                throw new IOException("image folder " + input + " holds no images (extensions "
                        + IMAGE_EXTENSIONS + ") and no class folders");
            }
            return entries;
        }
        if (!looseImages.isEmpty()) {
            throw new IOException("image folder " + input + " mixes class folders with " + looseImages.size()
                    + " loose image(s) such as " + looseImages.get(0).getPath().getName() + "; move them into a "
                    + "class folder, or point --input at a folder holding only images");
        }
        for (int label = 0; label < classDirs.size(); label++) {
            Path dir = classDirs.get(label).getPath();
            List<String> paths = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> files = fs.listFiles(dir, true);
            while (files.hasNext()) {
                Path p = files.next().getPath();
                if (isImage(p) && !isHidden(p)) {
                    paths.add(fs.makeQualified(p).toString());
                }
            }
            if (paths.isEmpty()) {
                throw new IOException("class folder " + dir + " holds no images (extensions " + IMAGE_EXTENSIONS
                        + "); remove the folder or add its images");
            }
            paths.sort(null);
            for (String p : paths) {
                entries.add(new Entry(p, label, dir.getName()));
            }
        }
        return entries;
    }

    /** Checks every image on the executors; fails on unreadable ones unless {@code skipUnreadable}. */
    static Checked check(SparkSession spark, List<Entry> entries, boolean skipUnreadable) throws IOException {
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        HadoopConf conf = new HadoopConf(spark.sparkContext().hadoopConfiguration());
        int slices = Math.max(1, Math.min(jsc.defaultParallelism() * 4, entries.size() / 64 + 1));
        // Path and reason apart: a reason may itself contain ": " (an exception's message).
        List<scala.Tuple2<String, String>> found = new ArrayList<>(jsc.parallelize(entries, slices)
                .map(e -> new scala.Tuple2<>(e.path(), unreadableReason(conf.get(), e.path())))
                .filter(t -> t._2() != null).collect());
        found.sort((x, y) -> x._1().compareTo(y._1()));
        List<String> named = new ArrayList<>(found.size());
        List<Unreadable> failures = new ArrayList<>(found.size());
        Set<String> badPaths = new HashSet<>();
        for (scala.Tuple2<String, String> problem : found) {
            named.add(problem._1() + ": " + problem._2());
            failures.add(new Unreadable(problem._1(), problem._2()));
            badPaths.add(problem._1());
        }
        long bad = named.size();
        if (bad > 0 && !skipUnreadable) {
            throw new IOException(bad + " unreadable image file(s), e.g. "
                    + String.join("; ", named.subList(0, Math.min(MAX_NAMED, named.size())))
                    + ". Remove or fix them, or leave them out (the default; strict mode is extract.strict-images"
                    + " = true in a run config, --strict for sp2ot manifest): they are then counted and listed");
        }
        if (bad == 0) {
            return new Checked(entries, 0, List.of(), List.of());
        }
        List<Entry> readable = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            if (!badPaths.contains(e.path())) {
                readable.add(e);
            }
        }
        return new Checked(readable, bad, named, failures);
    }

    /** Why the image at {@code path} cannot be read, or null when its format and size are readable. */
    static String unreadableReason(Configuration conf, String path) {
        Path p = new Path(path);
        try (InputStream in = p.getFileSystem(conf).open(p);
             ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            if (iis == null) {
                return "cannot open an image stream";
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(iis);
            if (!readers.hasNext()) {
                return "not a recognised image format";
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, true, true);
                int w = reader.getWidth(0);
                int h = reader.getHeight(0);
                return w > 0 && h > 0 ? null : "empty image (" + w + "x" + h + ")";
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            return "unreadable (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
        }
    }

    private static boolean isImage(Path p) {
        String name = p.getName();
        int dot = name.lastIndexOf('.');
        return dot > 0 && IMAGE_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }

    private static boolean isHidden(Path p) {
        return p.getName().startsWith(".") || p.getName().startsWith("_");
    }
}
