package org.sp2ot.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigSyntax;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.sp2ot.jobs.cli.DidYouMean;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.ml.Sp2otClustering;
import org.sp2ot.ml.knn.KnnKernel;
import org.sp2ot.solver.Backend;
import org.sp2ot.train.HeadInit;
import org.sp2ot.train.HeadKind;
import org.sp2ot.train.AdapterKind;
import org.sp2ot.train.LamScaling;
import org.sp2ot.train.ModelSelection;
import org.sp2ot.train.RhoSchedule;
import org.sp2ot.train.SecondView;

/**
 * The typed, validated parameters of one run (Photon ML style, STYLE.md): a HOCON file over the defaults in
 * {@code sp2ot-defaults.conf} (on the classpath; every key, its default and its meaning), then
 * {@code --set key=value} overrides. Everything that can be checked without data is checked here, before Spark
 * starts: unknown keys (with the likely intended key), types, ranges and enumerations, and that the input paths
 * exist ({@link #checkInputsExist}). What needs the data ({@code train.batch <= N}, {@code train.k <= N}, {@code knn.k < N - 1}) is
 * checked by {@link #checkAgainstData} as soon as N is known. Every problem found is reported at once, each
 * naming its key.
 */
public final class RunConfig {

    /** The classpath resource holding every key with its default. */
    public static final String DEFAULTS_RESOURCE = "sp2ot-defaults.conf";

    /** The clustering methods a run may train (ALGORITHM.md §1, §2 and the ablation baselines). */
    public static final List<String> METHODS = List.of("sp2ot", "p2ot", "uot", "pot", "ot");

    /** The method name under which the k-means baseline is reported beside the trained methods. */
    public static final String KMEANS = "kmeans";

    /** Subtree passed to Spark unchecked. */
    private static final String FREE_FORM = "spark.conf";

    private static final Pattern RUN_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    /** Where the run's input comes from. */
    public record Input(String type, String path, String format, String labelsPath, String dataset, int classes,
                        double imbalance, String demoPreset, long demoSeed, boolean header,
                        long classOrderSeed) {
        /** Whether the input is images that must go through the extract stage. */
        public boolean needsExtract() {
            return type.equals("images") || type.equals("manifest");
        }
    }

    /** Feature extraction with a DJL model (extract stage). */
    public record Extract(String model, String blockFactory, String engine, int resize, int crop, List<Double> mean, List<Double> std,
                          int batch, boolean l2, boolean strictImages) {
    }

    /** The k-NN graph (ALGORITHM.md §3). */
    public record Knn(int k, KnnKernel kernel, double sigma, int blockSize) {
    }

    /** Head training (ALGORITHM.md §1, §2, §4). */
    public record Train(int k, List<String> methods, int epochs, int batch, int bankFactor, double lr, double eps,
                        double gamma, double rho0, RhoSchedule rhoSchedule, double lam0, Backend solver, double tol,
                        int maxIter, int mmMaxIter, double mmTol, long seed, HeadKind head, ModelSelection selection,
                        HeadInit init, int initRestarts, boolean center, int pcaDim, boolean whiten, boolean l2,
                        LamScaling lamScaling, SecondView view, AdapterKind adapter, int adapterHidden,
                        double augmentDropout, double augmentNoise) {
    }

    /** Evaluation and the k-means baseline. */
    public record Evaluate(boolean kmeans, int kmeansMaxIter, int kmeansRestarts, int galleryClusters,
                           int mapPoints) {
    }

    /** The embedded Spark session (ignored under spark-submit except {@code conf}). */
    public record SparkSettings(String master, String appName, Map<String, String> conf) {
    }

    private final Config resolved;
    private final String out;
    private final String runId;
    private final Input input;
    private final Extract extract;
    private final Knn knn;
    private final Train train;
    private final Evaluate evaluate;
    private final SparkSettings spark;
    private final Set<String> keysRead;

    private RunConfig(Config resolved, Reader r) {
        this.resolved = resolved;
        this.out = r.nonEmpty("out");
        String id = r.string("run-id");
        this.runId = id.isEmpty() ? ZonedDateTime.now(ZoneOffset.UTC).format(TIMESTAMP) : id;
        if (!RUN_ID.matcher(runId).matches()) {
            r.problem("run-id", "must be letters, digits, '.', '_' or '-' (it names a directory), got '" + runId + "'");
        }
        this.input = new Input(
                r.oneOf("input.type", "demo", "features", "images", "manifest", "fashion-mnist"),
                r.string("input.path"),
                r.oneOf("input.format", "auto", "parquet", "npy", "csv"),
                r.string("input.labels-path"),
                r.oneOf("input.dataset", "cifar100-lt", "imagenet-r", "inat2018", "folder"),
                r.intAtLeast("input.classes", 2),
                r.doubleAtLeast("input.imbalance", 1.0),
                r.oneOf("input.demo.preset", "small", "large"),
                r.longValue("input.demo.seed"),
                r.bool("input.header"),
                r.longValue("input.class-order-seed"));
        this.extract = new Extract(
                r.string("extract.model"),
                r.string("extract.block-factory"),
                r.oneOf("extract.engine", "auto", "pytorch", "onnx"),
                r.intAtLeast("extract.resize", 1),
                r.intAtLeast("extract.crop", 1),
                r.channels("extract.mean", false),
                r.channels("extract.std", true),
                r.intAtLeast("extract.batch", 1),
                r.bool("extract.l2"),
                r.bool("extract.strict-images"));
        this.knn = new Knn(
                r.intAtLeast("knn.k", 1),
                r.choice("knn.kernel", KnnKernel::parse, KnnKernel.GAUSS),
                r.positive("knn.sigma"),
                r.intAtLeast("knn.block-size", 0));
        this.train = new Train(
                r.intAtLeast("train.k", 2),
                r.methods("train.methods"),
                r.intAtLeast("train.epochs", 1),
                r.intAtLeast("train.batch", 1),
                r.intAtLeast("train.bank-factor", 0),
                r.positive("train.lr"),
                r.positive("train.eps"),
                r.positive("train.gamma"),
                r.unitInterval("train.rho0"),
                r.choice("train.rho-schedule", RhoSchedule::parse, RhoSchedule.SIGMOID),
                r.doubleAtLeast("train.lam0", 0.0),
                r.choice("train.solver", Backend::parse, Backend.FAST),
                r.positive("train.tol"),
                r.intAtLeast("train.max-iter", 1),
                r.intAtLeast("train.mm-max-iter", 1),
                r.positive("train.mm-tol"),
                r.longValue("train.seed"),
                r.choice("train.head", HeadKind::parse, HeadKind.COSINE),
                r.choice("train.selection", ModelSelection::parse, ModelSelection.LAST),
                r.choice("train.init", HeadInit::parse, HeadInit.RANDOM),
                r.intAtLeast("train.init-restarts", 1),
                r.bool("train.preprocess.center"),
                r.intAtLeast("train.preprocess.pca-dim", 0),
                r.bool("train.preprocess.whiten"),
                r.bool("train.preprocess.l2"),
                r.choice("train.lam-scaling", LamScaling::parse, LamScaling.NONE),
                r.choice("train.view", SecondView::parse, SecondView.NONE),
                r.choice("train.adapter", AdapterKind::parse, AdapterKind.NONE),
                r.intAtLeast("train.adapter-hidden", 1),
                r.doubleAtLeast("train.augment.dropout", 0.0),
                r.doubleAtLeast("train.augment.noise", 0.0));
        if (train.augmentDropout() >= 1) {
            r.problem("train.augment.dropout", "must be below 1 (the probability of dropping one feature), got "
                    + train.augmentDropout());
        }
        if (train.whiten() && train.pcaDim() == 0) {
            r.problem("train.preprocess.whiten", "needs train.preprocess.pca-dim > 0 (whitening is per principal "
                    + "component)");
        }
        this.evaluate = new Evaluate(r.bool("evaluate.kmeans"), r.intAtLeast("evaluate.kmeans-max-iter", 1),
                r.intAtLeast("evaluate.kmeans-restarts", 1), r.intAtLeast("evaluate.gallery-clusters", 0),
                r.intAtLeast("evaluate.map-points", 0));
        this.spark = new SparkSettings(r.nonEmpty("spark.master"), r.nonEmpty("spark.app-name"), r.freeForm(FREE_FORM));
        if (!input.type().equals("demo") && input.path().isEmpty()) {
            r.problem("input.path", "is required for input.type = " + input.type());
        }
        if (input.needsExtract() && extract.model().isEmpty()) {
            r.problem("extract.model", "is required for input.type = " + input.type()
                    + " (a TorchScript .pt or .onnx file that maps images to embeddings)");
        }
        for (String key : ignoredInputKeys(resolved, input)) {
            r.problem(key, "is set, but input.type = " + input.type() + (input.type().equals("images")
                    ? " with input.dataset = " + input.dataset() : "") + " does not read it: " + ignoredHint(key, input));
        }
        r.throwIfAny();
        this.keysRead = Collections.unmodifiableSet(r.keysRead);
    }

    /**
     * The keys this config's constructor parsed (a free-form section such as {@code spark.conf} counts as one key
     * for everything under it). A default key missing here is read by nothing.
     */
    Set<String> keysRead() {
        return keysRead;
    }

    /**
     * The keys set to a non-default value that the chosen input never reads ({@code --set input=F.npy} with the
     * demo input would otherwise cluster the demo data). The image recipe keys (input.dataset, input.classes,
     * input.imbalance) and extract.* may stay set under input.type = features, the documented way to run a recipe's
     * config on features extracted elsewhere.
     */
    static List<String> ignoredInputKeys(Config resolved, Input input) {
        Map<String, String> values = normalizedValues(resolved);
        Map<String, String> defaults = normalizedValues(defaults());
        List<String> ignored = new ArrayList<>();
        for (Map.Entry<String, String> e : values.entrySet()) {
            String key = e.getKey();
            if (!e.getValue().equals(defaults.get(key)) && ignoredBy(key, input)) {
                ignored.add(key);
            }
        }
        return ignored;
    }

    private static boolean ignoredBy(String key, Input input) {
        boolean demoKey = key.startsWith("input.demo.");
        boolean tableKey = key.equals("input.format") || key.equals("input.labels-path") || key.equals("input.header");
        boolean recipeKey = key.equals("input.dataset") || key.equals("input.classes") || key.equals("input.imbalance")
                || key.equals("input.class-order-seed");
        switch (input.type()) {
            case "demo":
                return (key.startsWith("input.") && !demoKey && !key.equals("input.type")) || key.equals("extract.model");
            case "features":
                if (key.equals("input.header")) {
                    return !input.format().equals("csv")
                            && !(input.format().equals("auto") && input.path().toLowerCase(Locale.ROOT).endsWith(".csv"));
                }
                return demoKey;
            case "images":
                return demoKey || tableKey
                        || (key.equals("input.classes") && !input.dataset().equals("inat2018"))
                        || (key.equals("input.imbalance") && !input.dataset().equals("cifar100-lt"))
                        || key.equals("input.class-order-seed");
            case "fashion-mnist":
                return demoKey || tableKey || key.equals("input.dataset") || key.equals("input.classes");
            default:
                return demoKey || tableKey || recipeKey;
        }
    }

    private static String ignoredHint(String key, Input input) {
        if (input.type().equals("demo")) {
            return "the demo input is generated; for your own data set input.type = features (a feature table),"
                    + " images or manifest, or remove " + key;
        }
        if (key.equals("input.header")) {
            return "it applies to CSV feature tables (input.format = csv, or a .csv path)";
        }
        if (key.equals("input.classes")) {
            return "it applies to input.dataset = inat2018";
        }
        if (key.equals("input.imbalance")) {
            return "it applies to input.dataset = cifar100-lt";
        }
        return "remove it, or choose the input.type that uses it";
    }

    /**
     * Every leaf key of {@code config} with its value in a canonical text form, so that the same setting written
     * differently ({@code --set train.lam0=1e3}, {@code lam0 = 1000.0} in a file) gives the same text: numbers
     * (typed by the defaults) as plain decimals without trailing zeros, booleans as true/false, lists as
     * {@code [a, b]}. Used by the stage fingerprints ({@link StageFingerprints}).
     */
    static java.util.SortedMap<String, String> normalizedValues(Config config) {
        Config defaults = defaults();
        java.util.SortedMap<String, String> values = new java.util.TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            String key = e.getKey();
            ConfigValueType type = defaults.hasPath(key) ? defaults.getValue(key).valueType() : null;
            String text;
            try {
                if (type == ConfigValueType.BOOLEAN) {
                    text = String.valueOf(config.getBoolean(key));
                } else if (type == ConfigValueType.NUMBER) {
                    text = canonicalNumber(e.getValue().unwrapped());
                } else if (e.getValue().valueType() == ConfigValueType.LIST) {
                    List<String> items = new ArrayList<>();
                    for (Object item : (List<?>) e.getValue().unwrapped()) {
                        items.add(canonicalNumber(item));
                    }
                    text = "[" + String.join(", ", items) + "]";
                } else {
                    text = String.valueOf(e.getValue().unwrapped());
                }
            } catch (ConfigException | NumberFormatException ex) {
                text = String.valueOf(e.getValue().unwrapped());
            }
            values.put(key, text.replace("\n", "\\n"));
        }
        return values;
    }

    private static String canonicalNumber(Object value) {
        String text = String.valueOf(value).trim();
        try {
            return new java.math.BigDecimal(text).stripTrailingZeros().toPlainString();
        } catch (NumberFormatException e) {
            return text;
        }
    }

    /** Every leaf key of the resolved config (defaults filled in, run-id fixed) with its canonical value. */
    public java.util.SortedMap<String, String> normalizedValues() {
        return normalizedValues(resolved.withValue("run-id", ConfigValueFactory.fromAnyRef(runId)));
    }

    /** Loads {@code file} over the defaults and applies the {@code key=value} overrides, then validates. */
    public static RunConfig load(Path file, List<String> overrides) {
        if (!Files.isRegularFile(file)) {
            throw new UsageException("config file " + file + " does not exist (try conf/demo.conf)");
        }
        Config fromFile;
        try {
            fromFile = ConfigFactory.parseFile(file.toFile(),
                    ConfigParseOptions.defaults().setSyntax(ConfigSyntax.CONF).setAllowMissing(false));
        } catch (ConfigException e) {
            throw new UsageException("config file " + file + " cannot be read: " + e.getMessage(), e);
        }
        return fromUser(applyOverrides(fromFile, overrides));
    }

    /** Validates a user config (file content plus overrides, without the defaults). */
    public static RunConfig fromUser(Config user) {
        Config defaults = defaults();
        List<String> unknown = unknownKeys(user, defaults);
        if (!unknown.isEmpty()) {
            throw new UsageException("unknown config key(s):\n  " + String.join("\n  ", unknown)
                    + "\n(every key is listed with its default in " + DEFAULTS_RESOURCE + ")");
        }
        Config resolved;
        try {
            resolved = user.withFallback(defaults).resolve();
        } catch (ConfigException e) {
            throw new UsageException("config cannot be resolved: " + e.getMessage(), e);
        }
        return new RunConfig(resolved, new Reader(resolved));
    }

    /** The defaults, every key present. */
    public static Config defaults() {
        return ConfigFactory.parseResources(RunConfig.class.getClassLoader(), DEFAULTS_RESOURCE,
                ConfigParseOptions.defaults().setAllowMissing(false));
    }

    /**
     * Applies {@code key=value} overrides over {@code base}. A value is read as HOCON when it starts with
     * {@code [} or {@code {}; a list key also accepts comma-separated words ({@code train.methods=sp2ot,p2ot});
     * anything else is a string that the typed getters convert ("5" for an int key). The shorthand
     * {@code input=PATH} means {@code input.path=PATH} (DESIGN.md's spark-submit example).
     */
    static Config applyOverrides(Config base, List<String> overrides) {
        Config defaults = defaults();
        Config result = base;
        for (String override : overrides) {
            int eq = override.indexOf('=');
            if (eq <= 0) {
                throw new UsageException("--set needs key=value, got '" + override + "'");
            }
            String key = override.substring(0, eq).trim();
            String text = override.substring(eq + 1).trim();
            if (key.equals("input")) {
                key = "input.path";
            }
            ConfigValue value;
            try {
                ConfigUtil.splitPath(key);
                if (text.startsWith("[") || text.startsWith("{")) {
                    value = ConfigFactory.parseString("v = " + text).getValue("v");
                } else if (defaults.hasPath(key) && defaults.getValue(key).valueType() == ConfigValueType.LIST) {
                    value = ConfigValueFactory.fromIterable(splitWords(text));
                } else {
                    value = ConfigValueFactory.fromAnyRef(text);
                }
            } catch (ConfigException e) {
                throw new UsageException("--set " + override + ": " + e.getMessage(), e);
            }
            result = result.withValue(key, value);
        }
        return result;
    }

    private static List<String> splitWords(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.split(",")) {
            if (!word.isBlank()) {
                words.add(word.trim());
            }
        }
        return words;
    }

    /** Every leaf key of {@code user} that the defaults lack, each with its likely intended key when one is close. */
    static List<String> unknownKeys(Config user, Config defaults) {
        Set<String> known = new TreeSet<>();
        for (Map.Entry<String, ConfigValue> e : defaults.entrySet()) {
            known.add(e.getKey());
        }
        List<String> unknown = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : keys(user)) {
            String key = e.getKey();
            if (known.contains(key) || key.startsWith(FREE_FORM + ".")) {
                continue;
            }
            String suggestion = closest(key, known);
            unknown.add(suggestion == null ? key : key + " (did you mean " + suggestion + "?)");
        }
        return unknown;
    }

    private static Set<Map.Entry<String, ConfigValue>> keys(Config user) {
        Set<Map.Entry<String, ConfigValue>> sorted = new TreeSet<>(Map.Entry.comparingByKey());
        sorted.addAll(user.entrySet());
        return sorted;
    }

    /**
     * The known key most likely meant by {@code key}: the same last segment in another section
     * ({@code train.sigma} → {@code knn.sigma}; the nearest such by edit distance), else the nearest by edit distance when within a third of its length.
     */
    static String closest(String key, Set<String> known) {
        String last = key.substring(key.lastIndexOf('.') + 1);
        String sameName = null;
        for (String candidate : known) {
            if (candidate.substring(candidate.lastIndexOf('.') + 1).equals(last)
                    && (sameName == null || DidYouMean.editDistance(key, candidate) < DidYouMean.editDistance(key, sameName))) {
                sameName = candidate;
            }
        }
        if (sameName != null) {
            return sameName;
        }
        return DidYouMean.closest(key, known);
    }

    /**
     * Checks that the input paths exist (input.path, input.labels-path, extract.model), through Hadoop's
     * FileSystem so that hdfs:// and other schemes work.
     */
    public void checkInputsExist(Configuration hadoop) {
        List<String> problems = new ArrayList<>();
        if (!input.type().equals("demo")) {
            checkExists(hadoop, "input.path", input.path(), problems);
            if (!input.labelsPath().isEmpty()) {
                checkExists(hadoop, "input.labels-path", input.labelsPath(), problems);
            }
        }
        if (input.needsExtract()) {
            checkExists(hadoop, "extract.model", extract.model(), problems);
        }
        if (!problems.isEmpty()) {
            throw new UsageException("config problem(s):\n  " + String.join("\n  ", problems));
        }
    }

    private static void checkExists(Configuration hadoop, String key, String location, List<String> problems) {
        try {
            org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(location);
            FileSystem fs = path.getFileSystem(hadoop);
            if (!fs.exists(path)) {
                problems.add(key + ": " + location + " does not exist");
            }
        } catch (IOException | IllegalArgumentException e) {
            problems.add(key + ": " + location + " cannot be checked: " + e.getMessage());
        }
    }

    /**
     * The checks that need the number of samples {@code n} the heads train on: {@code train.k <= n} and
     * {@code train.batch <= n}.
     */
    public void checkAgainstData(long n) {
        checkAgainstData(n, false);
    }

    /**
     * {@link #checkAgainstData(long)}, and with {@code graph} also {@code knn.k < n - 1} (a row's k neighbours
     * besides itself need k + 2 rows, ALGORITHM.md §3).
     */
    public void checkAgainstData(long n, boolean graph) {
        List<String> problems = new ArrayList<>();
        if (train.k() > n) {
            problems.add("train.k = " + train.k() + " exceeds the " + n + " training samples; lower train.k");
        }
        if (train.batch() > n) {
            problems.add("train.batch = " + train.batch() + " exceeds the " + n
                    + " training samples; set train.batch to at most " + n);
        }
        if (graph && knn.k() >= n - 1) {
            problems.add("knn.k = " + knn.k() + " neighbours need more than knn.k + 1 = " + (knn.k() + 1)
                    + " training samples, the data has " + n + "; set knn.k to at most " + Math.max(1, n - 2));
        }
        if (!problems.isEmpty()) {
            throw new UsageException("config problem(s):\n  " + String.join("\n  ", problems));
        }
    }

    /** Whether a method in train.methods needs the k-NN graph (only SP2OT does, ALGORITHM.md §2). */
    public boolean needsKnn() {
        return train.methods().contains("sp2ot") || train.view() == SecondView.NEIGHBOR;
    }

    /** The methods reported by evaluate: the trained ones, then kmeans when enabled. */
    public List<String> reportedMethods() {
        List<String> all = new ArrayList<>(train.methods());
        if (evaluate.kmeans()) {
            all.add(KMEANS);
        }
        return all;
    }

    /**
     * The estimator that trains {@code method} with the {@code train} section's values, one setter per key; what the
     * config does not expose (Adam's betas, a fixed lam, the head scale, the columns) keeps the Estimator's
     * ALGORITHM.md defaults. The bank holds {@code bank-factor * batch} rows (ALGORITHM.md §4), 0 = no bank. Its
     * {@link Sp2otClustering#trainSettings()} is the one conversion to the trainer's settings.
     */
    public Sp2otClustering estimator(String method) {
        Train t = train;
        return new Sp2otClustering().setK(t.k()).setMethod(method).setEpochs(t.epochs()).setBatchSize(t.batch())
                .setBankSize(t.bankFactor() * t.batch()).setLr(t.lr()).setRho0(t.rho0())
                .setRhoSchedule(t.rhoSchedule().configName()).setHead(t.head().configName()).setSeed(t.seed())
                .setSelection(t.selection().configName()).setEps(t.eps()).setGamma(t.gamma()).setTol(t.tol())
                .setMaxIter(t.maxIter()).setLam0(t.lam0()).setMmMaxIter(t.mmMaxIter()).setMmTol(t.mmTol())
                .setBackend(Sp2otClustering.backendName(t.solver())).setInit(t.init().configName())
                .setInitRestarts(t.initRestarts()).setPreprocessCenter(t.center()).setPcaDim(t.pcaDim())
                .setPcaWhiten(t.whiten()).setPreprocessL2(t.l2()).setLamScaling(t.lamScaling().configName())
                .setView(t.view().configName()).setAdapter(t.adapter().configName())
                .setAdapterHidden(t.adapterHidden()).setAugmentDropout(t.augmentDropout())
                .setAugmentNoise(t.augmentNoise());
    }

    /** The resolved configuration (defaults filled in, run-id fixed) as HOCON, for {@code <run>/config.conf}. */
    public String render() {
        Config withId = resolved.withValue("run-id", ConfigValueFactory.fromAnyRef(runId));
        return withId.root().render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }

    /** The same run with {@code run-id} fixed to {@code id} (a command-line {@code --run-id}). */
    public RunConfig withRunId(String id) {
        Config changed = resolved.withValue("run-id", ConfigValueFactory.fromAnyRef(id));
        return new RunConfig(changed, new Reader(changed));
    }

    public String out() {
        return out;
    }

    public String runId() {
        return runId;
    }

    /** Whether the run id was given (config or --run-id) rather than taken from the clock. */
    public boolean runIdGiven() {
        return !resolved.getString("run-id").isEmpty();
    }

    public Input input() {
        return input;
    }

    public Extract extract() {
        return extract;
    }

    public Knn knn() {
        return knn;
    }

    public Train train() {
        return train;
    }

    public Evaluate evaluate() {
        return evaluate;
    }

    public SparkSettings spark() {
        return spark;
    }

    /** Typed reads that record a problem per bad key instead of stopping at the first. */
    private static final class Reader {
        private final Config config;
        private final List<String> problems = new ArrayList<>();
        private final Set<String> keysRead = new TreeSet<>();

        Reader(Config config) {
            this.config = config;
        }

        void problem(String key, String message) {
            problems.add(key + " " + message);
        }

        void throwIfAny() {
            if (!problems.isEmpty()) {
                throw new UsageException("config problem(s):\n  " + String.join("\n  ", problems));
            }
        }

        private <T> T read(String key, String type, T fallback, Supplier<T> getter) {
            keysRead.add(key);
            try {
                return getter.get();
            } catch (ConfigException.Missing e) {
                problem(key, "is missing");
            } catch (ConfigException.WrongType e) {
                problem(key, "must be " + type + ", got " + describe(key));
            } catch (ConfigException e) {
                problem(key, "is invalid: " + e.getMessage());
            }
            return fallback;
        }

        private String describe(String key) {
            try {
                return config.getValue(key).render(ConfigRenderOptions.concise());
            } catch (ConfigException e) {
                return "a value of another type";
            }
        }

        String string(String key) {
            return read(key, "a string", "", () -> config.getString(key));
        }

        String nonEmpty(String key) {
            String value = string(key);
            if (value.isEmpty()) {
                problem(key, "must not be empty");
            }
            return value;
        }

        boolean bool(String key) {
            return read(key, "true or false", false, () -> config.getBoolean(key));
        }

        /** The value of an integer key; 1.5 or "1.5" is a problem, not 1 (typesafe config would truncate it). */
        private boolean integral(String key) {
            if (!config.hasPath(key)) {
                return true;
            }
            Object raw = config.getValue(key).unwrapped();
            String text = String.valueOf(raw).trim();
            if (raw instanceof Integer || raw instanceof Long || text.matches("[+-]?\\d+")) {
                return true;
            }
            if (raw instanceof Number || raw instanceof String) {
                problem(key, "must be an integer, got " + describe(key));
                return false;
            }
            return true;
        }

        long longValue(String key) {
            if (!integral(key)) {
                return 0L;
            }
            return read(key, "an integer", 0L, () -> config.getLong(key));
        }

        int intAtLeast(String key, int min) {
            if (!integral(key)) {
                return min;
            }
            int value = read(key, "an integer", min, () -> config.getInt(key));
            if (value < min) {
                problem(key, "must be >= " + min + ", got " + value);
            }
            return value;
        }

        double doubleAtLeast(String key, double min) {
            double value = read(key, "a number", min, () -> config.getDouble(key));
            if (!(value >= min) || Double.isInfinite(value)) {
                problem(key, "must be a finite number >= " + min + ", got " + value);
            }
            return value;
        }

        double positive(String key) {
            double value = read(key, "a number", 1.0, () -> config.getDouble(key));
            if (!(value > 0) || Double.isInfinite(value)) {
                problem(key, "must be a finite number > 0, got " + value);
            }
            return value;
        }

        double unitInterval(String key) {
            double value = read(key, "a number", 1.0, () -> config.getDouble(key));
            if (!(value > 0 && value <= 1)) {
                problem(key, "must be in (0, 1], got " + value);
            }
            return value;
        }

        String oneOf(String key, String... allowed) {
            String value = string(key);
            for (String candidate : allowed) {
                if (candidate.equalsIgnoreCase(value)) {
                    return candidate;
                }
            }
            problem(key, "must be one of " + String.join(" | ", allowed) + ", got '" + value + "'");
            return allowed[0];
        }

        /**
         * The value of a key that names one of a type's choices, parsed once by the type's own parser (which alone
         * spells the choices); a bad name is a problem carrying the parser's message.
         */
        <T> T choice(String key, Function<String, T> parser, T fallback) {
            String value = string(key);
            try {
                return parser.apply(value);
            } catch (IllegalArgumentException e) {
                problem(key, "is invalid: " + e.getMessage());
                return fallback;
            }
        }

        List<String> methods(String key) {
            List<String> values = read(key, "a list of methods", List.of(), () -> config.getStringList(key));
            Set<String> methods = new LinkedHashSet<>();
            for (String value : values) {
                String method = value.toLowerCase(Locale.ROOT);
                if (!METHODS.contains(method)) {
                    problem(key, "contains '" + value + "'; methods are " + String.join(" | ", METHODS));
                } else if (!methods.add(method)) {
                    problem(key, "lists '" + value + "' twice");
                }
            }
            if (values.isEmpty()) {
                problem(key, "must list at least one of " + String.join(" | ", METHODS));
            }
            return List.copyOf(methods);
        }

        List<Double> channels(String key, boolean strictlyPositive) {
            List<Double> values = read(key, "a list of 3 numbers", List.of(0.0, 0.0, 0.0),
                    () -> config.getDoubleList(key));
            if (values.size() != 3) {
                problem(key, "must list 3 numbers (R, G, B), got " + values.size());
            }
            for (double v : values) {
                if (!Double.isFinite(v) || (strictlyPositive && v <= 0)) {
                    problem(key, "must hold finite numbers" + (strictlyPositive ? " > 0" : "") + ", got " + values);
                    break;
                }
            }
            return List.copyOf(values);
        }

        Map<String, String> freeForm(String key) {
            Map<String, String> result = new LinkedHashMap<>();
            Config section = read(key, "an object of Spark settings", ConfigFactory.empty(),
                    () -> config.getConfig(key));
            for (Map.Entry<String, ConfigValue> e : keys(section)) {
                String name = String.join(".", ConfigUtil.splitPath(e.getKey()));
                Object value = e.getValue().unwrapped();
                result.put(name, value instanceof List<?> list ? joinList(list) : String.valueOf(value));
            }
            return Collections.unmodifiableMap(result);
        }

        private static String joinList(List<?> list) {
            List<String> parts = new ArrayList<>();
            for (Object o : list) {
                parts.add(String.valueOf(o));
            }
            return String.join(",", parts);
        }
    }

    @Override
    public String toString() {
        return "RunConfig(out=" + out + ", run-id=" + runId + ", input=" + input.type() + ", methods="
                + train.methods() + ", k=" + train.k() + ", epochs=" + train.epochs() + ")";
    }

    /** Every known key (for help output and tests). */
    public static List<String> knownKeys() {
        List<String> keys = new ArrayList<>();
        for (Map.Entry<String, ConfigValue> e : defaults().entrySet()) {
            keys.add(e.getKey());
        }
        Collections.sort(keys);
        return keys;
    }
}
