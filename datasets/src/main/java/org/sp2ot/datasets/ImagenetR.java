package org.sp2ot.datasets;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

/**
 * ImageNet-R (ALGORITHM.md §5) from its class-folder layout ({@code imagenet-r/<wnid>/*.jpg}, 200 classes, labels
 * by sorted folder name as in {@link ImageFolder}). Per class, {@code testPerClass} images (20 by default) go to
 * the test split and the rest to training. The test images are a seeded choice: the class's readable image paths,
 * sorted, are shuffled by {@code java.util.Random(seed * 1_000_003 + label)} (a generator whose sequence the Java
 * specification fixes) and the first {@code testPerClass} are taken, so the split is the same on every run and
 * machine.
 */
public final class ImagenetR {
    public static final int DEFAULT_TEST_PER_CLASS = 20;

    private ImagenetR() {
    }

    /** The manifest entries with the test choice applied, and the skipped files. */
    static Result entries(SparkSession spark, String input, int testPerClass, long seed, boolean skipUnreadable)
            throws IOException {
        ImageFolder.Checked checked = ImageFolder.checkedEntries(spark, input, skipUnreadable);
        List<ImageFolder.Entry> entries = checked.readable();
        if (entries.isEmpty() || entries.get(0).label() == null) {
            throw new IOException(input + " has no class folders; ImageNet-R needs its <class>/<image> layout");
        }
        List<String> splits = splitByClass(entries, testPerClass, seed);
        return new Result(ImageFolder.toEntries(spark, entries, splits), checked);
    }

    /** Manifest entries plus what the image check left out. */
    record Result(Dataset<Row> entries, ImageFolder.Checked checked) {
    }

    /**
     * The split of each entry (entries grouped by label, paths sorted within a label, as the listing gives them).
     *
     * @throws IllegalArgumentException when a class has no more than {@code testPerClass} images
     */
    static List<String> splitByClass(List<ImageFolder.Entry> entries, int testPerClass, long seed) {
        if (testPerClass < 1) {
            throw new IllegalArgumentException("test images per class must be at least 1, got " + testPerClass);
        }
        List<String> splits = new ArrayList<>(Collections.nCopies(entries.size(), Manifests.TRAIN));
        int start = 0;
        while (start < entries.size()) {
            int label = entries.get(start).label();
            int end = start;
            List<String> paths = new ArrayList<>();
            while (end < entries.size() && entries.get(end).label() == label) {
                paths.add(entries.get(end).path());
                end++;
            }
            if (paths.size() <= testPerClass) {
                throw new IllegalArgumentException("class " + entries.get(start).labelName() + " has only "
                        + paths.size() + " readable images, not more than the " + testPerClass
                        + " test images per class; lower the test count or add images");
            }
            Collections.sort(paths);
            Collections.shuffle(paths, new Random(seed * 1_000_003L + label));
            Set<String> test = new HashSet<>(paths.subList(0, testPerClass));
            for (int i = start; i < end; i++) {
                if (test.contains(entries.get(i).path())) {
                    splits.set(i, Manifests.TEST);
                }
            }
            start = end;
        }
        return splits;
    }
}
