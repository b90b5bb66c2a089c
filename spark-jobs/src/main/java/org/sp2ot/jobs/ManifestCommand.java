package org.sp2ot.jobs;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;
import org.sp2ot.datasets.ManifestBuilder;
import org.sp2ot.datasets.ManifestStats;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;

/**
 * {@code sp2ot manifest --dataset cifar100-lt|imagenet-r|inat2018|folder|synthetic|features --input PATH --out PATH
 * [--classes N] [--imbalance R] [...]}: builds a data set's manifest (and, for cifar100-lt, its PNG files; for
 * synthetic and features, its features table) under {@code --out} with {@link ManifestBuilder}, then prints the
 * per-class statistics. Options beyond the DESIGN.md form: {@code --overwrite}, {@code --strict} (folder,
 * imagenet-r: fail on an unreadable image instead of leaving it out and listing it; {@code --skip-unreadable} is
 * the default), {@code --seed}, {@code --test-per-class} (imagenet-r), {@code --images-root},
 * {@code --original-classes} (inat2018), {@code --preset small|large}, {@code --partitions} (synthetic),
 * {@code --format}, {@code --labels}, {@code --dim}, {@code --header}, {@code --label-column},
 * {@code --features-col}, {@code --label-col}, {@code --id-col} (features). Runs on the configured Spark master,
 * {@code local[*]} when none is set.
 */
public final class ManifestCommand implements Command {
    private static final List<String> VALUE_OPTIONS = List.of("classes", "imbalance", "seed", "test-per-class",
            "images-root", "original-classes", "preset", "partitions", "format", "labels", "dim", "header",
            "label-column", "features-col", "label-col", "id-col");

    @Override
    public String name() {
        return "manifest";
    }

    @Override
    public String summary() {
        return "build a data set's manifest: --dataset cifar100-lt|imagenet-r|inat2018|folder|synthetic|features "
                + "--input PATH --out PATH";
    }

    @Override
    public String help() {
        return """
                usage: sp2ot manifest --dataset cifar100-lt|imagenet-r|inat2018|folder|synthetic|features
                                      --input PATH --out PATH [options]

                Builds a data set's manifest (id, path, label, label_name, split) under --out, with its per-class
                statistics (manifest-stats.json); cifar100-lt also writes its PNG images, synthetic and features
                their features table. Prints the statistics.

                Options:
                  --dataset NAME          the recipe (see above)
                  --input PATH            the raw data set (not for synthetic)
                  --out PATH              the output folder (any Hadoop path)
                  --overwrite             replace existing pieces in --out
                  cifar100-lt:            --imbalance R (100)
                  imagenet-r:             --test-per-class N (20) --seed S (0) --skip-unreadable
                  inat2018:               --classes N (all | 2000 | 1000 | 500 | 200 | 100) --images-root DIR
                                          --original-classes N (8142)
                  folder:                 --skip-unreadable
                  synthetic:              --preset small|large --seed S --partitions P
                  features:               --format auto|parquet|npy|csv --labels L.npy --dim D --header true|false
                                          --label-column NAME --features-col --label-col --id-col

                Example:
                  sp2ot manifest --dataset cifar100-lt --input /data/cifar-100-python --out /data/c100lt --imbalance 100
                """;
    }

    @Override
    public int run(Args args) throws Exception {
        String dataset = args.require("dataset");
        String input = dataset.equals("synthetic") ? args.get("input") : args.require("input");
        String out = args.require("out");
        Map<String, String> options = new LinkedHashMap<>();
        for (String name : VALUE_OPTIONS) {
            String value = args.get(name);
            if (value != null) {
                options.put(name, value);
            }
        }
        if (args.flag("overwrite")) {
            options.put("overwrite", "true");
        }
        // Unreadable images are left out and listed unless --strict (--skip-unreadable, the default, is accepted).
        boolean strict = args.flag("strict");
        boolean skip = args.flag("skip-unreadable");
        if (strict && skip) {
            throw new UsageException("--strict and --skip-unreadable contradict each other; give one");
        }
        if (dataset.equals("folder") || dataset.equals("imagenet-r")) {
            options.put("skip-unreadable", String.valueOf(!strict));
        }
        args.rejectUnread();
        if (!ManifestBuilder.datasets().contains(dataset)) {
            throw new UsageException("--dataset " + dataset + " is not one of " + ManifestBuilder.datasets());
        }

        SparkSession.Builder builder = SparkSession.builder().appName("sp2ot manifest " + dataset);
        if (!new SparkConf().contains("spark.master")) {
            builder.master("local[*]");
        }
        SparkSession spark = builder.getOrCreate();
        long start = System.nanoTime();
        ManifestStats stats;
        try {
            stats = ManifestBuilder.build(spark, dataset, input, out, options);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        System.out.print(stats.toTable());
        System.out.printf("manifest: %s/%s (statistics in %s/%s), %.1f s%n", out, ManifestBuilder.MANIFEST, out,
                ManifestBuilder.STATS, (System.nanoTime() - start) / 1e9);
        return 0;
    }
}
