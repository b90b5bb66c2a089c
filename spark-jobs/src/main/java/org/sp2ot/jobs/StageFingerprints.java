package org.sp2ot.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.sp2ot.jobs.io.Fingerprint;

/**
 * The fingerprint each stage output of a run must carry to count as current for one config (README, "Scheduled
 * runs"): the fingerprints of the outputs the stage reads plus the config keys it reads. Keys are claimed by
 * prefix, so a key added later to a stage's section ({@code train.*}, {@code knn.*}, {@code input.*},
 * {@code extract.*}, ...) changes that stage's fingerprint without a change here; {@link #NOT_OUTPUT_CHANGING}
 * lists the few keys that change how fast or where, not what. {@link #unclaimed} names any key that no stage
 * claims, and a test fails on it, so a new top-level section cannot be silently left out.
 * <pre>
 *   extract   (manifest, features, extract-failures)  input.*, extract.*
 *   knn       features                                 knn.*
 *   train m   features [+ knn for sp2ot]               train.* (lam0, mm-max-iter, mm-tol only for sp2ot)
 *   assign m  features, model/m, train-weights/m       assign.*
 *   kmeans    features                                 evaluate.kmeans-*, train.k, train.seed
 *   run       every output above the run has            evaluate.*, report.*, train.k
 * </pre>
 */
final class StageFingerprints {
    /** Keys that do not change any output: where it goes, how fast, on which Spark, which outputs exist. */
    static final List<String> NOT_OUTPUT_CHANGING = List.of("out", "run-id", "spark.*", "extract.batch",
            "knn.block-size", "train.methods", "evaluate.kmeans");

    /** Settings that only the SP2OT head reads (the graph term, ALGORITHM.md §2). */
    static final Set<String> SP2OT_ONLY = Set.of("train.lam0", "train.mm-max-iter", "train.mm-tol");

    private static final List<String> EXTRACT = List.of("input.*", "extract.*");
    private static final List<String> KNN = List.of("knn.*");
    private static final List<String> TRAIN = List.of("train.*");
    private static final List<String> ASSIGN = List.of("assign.*");
    private static final List<String> KMEANS = List.of("evaluate.kmeans-*", "train.k", "train.seed");
    private static final List<String> RUN = List.of("evaluate.*", "report.*", "train.k");

    private final RunConfig config;
    private final SortedMap<String, String> values;

    StageFingerprints(RunConfig config) {
        this.config = config;
        this.values = config.normalizedValues();
    }

    /** manifest/, features/ and extract-failures/. */
    Fingerprint extract() {
        return new Fingerprint("extract", Map.of(), keys(EXTRACT, k -> false));
    }

    Fingerprint knn() {
        return new Fingerprint("knn", Map.of(RunPipeline.FEATURES, extract().hash()), keys(KNN, k -> false));
    }

    Fingerprint train(String method) {
        Map<String, String> upstream = new TreeMap<>();
        upstream.put(RunPipeline.FEATURES, extract().hash());
        if (method.equals("sp2ot")) {
            upstream.put(RunPipeline.KNN, knn().hash());
        }
        return new Fingerprint("train " + method, upstream,
                keys(TRAIN, k -> !method.equals("sp2ot") && SP2OT_ONLY.contains(k)));
    }

    Fingerprint assign(String method) {
        if (method.equals(RunConfig.KMEANS)) {
            return kmeans();
        }
        return new Fingerprint("assign " + method, Map.of(RunPipeline.FEATURES, extract().hash(),
                RunPipeline.modelDir(method), train(method).hash()), keys(ASSIGN, k -> false));
    }

    Fingerprint kmeans() {
        return new Fingerprint("kmeans", Map.of(RunPipeline.FEATURES, extract().hash()), keys(KMEANS, k -> false));
    }

    /** Every directory output the config's run consists of, in stage order, with its expected fingerprint. */
    Map<String, Fingerprint> outputs() {
        Map<String, Fingerprint> outputs = new LinkedHashMap<>();
        outputs.put(RunPipeline.MANIFEST, extract());
        outputs.put(RunPipeline.FEATURES, extract());
        if (config.input().needsExtract()) {
            outputs.put(RunPipeline.EXTRACT_FAILURES, extract());
        }
        if (config.needsKnn()) {
            outputs.put(RunPipeline.KNN, knn());
        }
        for (String method : config.train().methods()) {
            outputs.put(RunPipeline.modelDir(method), train(method));
            outputs.put(RunPipeline.trainWeightsDir(method), train(method));
        }
        for (String method : config.reportedMethods()) {
            outputs.put(RunPipeline.assignmentsDir(method), assign(method));
        }
        return outputs;
    }

    /** The run's fingerprint: every output's, and the keys evaluate reads (metrics.json, _RUN_SUCCESS). */
    Fingerprint run() {
        Map<String, String> upstream = new TreeMap<>();
        outputs().forEach((name, fingerprint) -> upstream.put(name, fingerprint.hash()));
        return new Fingerprint("run", upstream, keys(RUN, k -> k.startsWith("evaluate.kmeans")));
    }

    /** The keys matched by {@code rules} (exact keys, or {@code prefix.*}), less the excluded ones. */
    private Map<String, String> keys(List<String> rules, Predicate<String> excluded) {
        Map<String, String> selected = new TreeMap<>();
        values.forEach((key, value) -> {
            if (matches(key, rules) && !matches(key, NOT_OUTPUT_CHANGING) && !excluded.test(key)) {
                selected.put(key, value);
            }
        });
        return selected;
    }

    static boolean matches(String key, List<String> rules) {
        for (String rule : rules) {
            if (rule.endsWith("*") ? key.startsWith(rule.substring(0, rule.length() - 1)) : key.equals(rule)) {
                return true;
            }
        }
        return false;
    }

    /** The keys of {@code keys} that no stage reads and that are not listed as not changing outputs. */
    static List<String> unclaimed(Iterable<String> keys) {
        List<String> all = new ArrayList<>();
        for (List<String> rules : List.of(EXTRACT, KNN, TRAIN, ASSIGN, KMEANS, RUN, NOT_OUTPUT_CHANGING)) {
            all.addAll(rules);
        }
        List<String> unclaimed = new ArrayList<>();
        for (String key : keys) {
            if (!matches(key, all)) {
                unclaimed.add(key);
            }
        }
        return unclaimed;
    }
}
