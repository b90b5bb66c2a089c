package org.sp2ot.jobs.extract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.Comparator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backbones loaded in this JVM, one per {@link ExtractOptions#modelKey()}: every task of an executor shares
 * the model that the first task loaded (loading a ViT takes seconds and hundreds of MB; doing it per task or per
 * row would dominate the stage). Models stay loaded for the life of the JVM.
 *
 * <p>DJL runs fully offline: {@code ai.djl.offline=true} is set before any engine starts (unless the user set it),
 * and the engines' native libraries come from the jars on the classpath ({@code pytorch-native-cpu},
 * {@code onnxruntime}); DJL unpacks them into its cache directory ({@code DJL_CACHE_DIR}, default
 * {@code ~/.djl.ai}) and never downloads.
 */
final class ExecutorModels {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
    private static final Map<String, ZooModel<NDList, NDList>> MODELS = new ConcurrentHashMap<>();
    private static final AtomicInteger LOADS = new AtomicInteger();

    static {
        if (System.getProperty("ai.djl.offline") == null) {
            System.setProperty("ai.djl.offline", "true");
        }
    }

    private ExecutorModels() {
    }

    /** The model for {@code options}, loaded by the first caller in this JVM (others wait for it). */
    static ZooModel<NDList, NDList> get(ExtractOptions options, Map<String, String> hadoopConf) {
        return MODELS.computeIfAbsent(options.modelKey(), key -> load(options, hadoopConf));
    }

    /** How many models this JVM has loaded so far. */
    static int loads() {
        return LOADS.get();
    }

    private static ZooModel<NDList, NDList> load(ExtractOptions options, Map<String, String> hadoopConf) {
        String engine = options.djlEngine();
        try {
            Path local = localCopy(options.modelPath(), hadoopConf);
            Criteria.Builder<NDList, NDList> criteria = Criteria.builder()
                    .setTypes(NDList.class, NDList.class)
                    .optModelPath(local)
                    .optEngine(engine)
                    .optTranslator(new NoopTranslator());
            if (engine.equals("PyTorch")) {
                criteria.optOption("mapLocation", "true");
            }
            if (options.blockFactory() != null) {
                criteria.optBlock(newBlock(options.blockFactory()));
            }
            long start = System.nanoTime();
            ZooModel<NDList, NDList> model = criteria.build().loadModel();
            LOADS.incrementAndGet();
            LOG.info("Loaded model {} with DJL {} in {} ms", options.modelPath(), engine,
                    (System.nanoTime() - start) / 1_000_000);
            return model;
        } catch (IOException | ModelNotFoundException | MalformedModelException | RuntimeException e) {
            throw new IllegalStateException("cannot load the model " + options.modelPath() + " with DJL's " + engine
                    + " engine (" + e + "): give a TorchScript .pt file (torch.jit.save), an ONNX .onnx file, or a "
                    + "DJL parameter directory together with a block factory", e);
        }
    }

    /**
     * The model as a local path: local files as they are; files on other file systems (HDFS, ...) copied once to a
     * temporary directory deleted when the JVM exits.
     */
    static Path localCopy(String modelPath, Map<String, String> hadoopConf) throws IOException {
        org.apache.hadoop.fs.Path source = new org.apache.hadoop.fs.Path(modelPath);
        Configuration conf = new Configuration(false);
        hadoopConf.forEach(conf::set);
        FileSystem fs = source.getFileSystem(conf);
        if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
            return Paths.get(fs.makeQualified(source).toUri());
        }
        Path dir = Files.createTempDirectory("sp2ot-model-");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> deleteQuietly(dir)));
        Path target = dir.resolve(source.getName());
        fs.copyToLocalFile(false, source, new org.apache.hadoop.fs.Path(target.toUri()), true);
        LOG.info("Copied model {} to {}", modelPath, target);
        return target;
    }

    private static Block newBlock(String factoryClass) {
        try {
            Class<?> type = Class.forName(factoryClass, true, Thread.currentThread().getContextClassLoader());
            if (!BlockFactory.class.isAssignableFrom(type)) {
                throw new IllegalArgumentException("block factory " + factoryClass + " does not implement "
                        + BlockFactory.class.getName());
            }
            return ((BlockFactory) type.getDeclaredConstructor().newInstance()).newBlock();
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot instantiate block factory " + factoryClass + ": " + e, e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("could not delete {}", dir, e);
        }
    }
}
