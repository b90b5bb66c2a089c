package org.sp2ot.jobs.extract;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Locale;

/**
 * Settings of feature extraction.
 *
 * @param modelPath     the backbone: a TorchScript file ({@code .pt}, as torch.jit.save writes it; PyTorch
 *                      engine), an ONNX file ({@code .onnx}; OnnxRuntime engine), or a directory holding a DJL
 *                      {@code <dir-name>-0000.params} file together with {@code blockFactory}; local or any Hadoop
 *                      file system ({@code hdfs://...} is copied to a local temporary directory once per executor)
 * @param engine        {@code auto} (from the file name, see above), {@code pytorch} or {@code onnx}
 * @param blockFactory  for DJL-format parameters only: the class name of a {@link BlockFactory} that builds the
 *                      network the parameters belong to; null otherwise
 * @param resizeShorter the shorter image side after resizing (256 for ViT-B/16 at 224)
 * @param cropSize      the side of the centre crop fed to the model (224)
 * @param mean          per-channel mean of [0, 1] RGB values (ImageNet: 0.485, 0.456, 0.406)
 * @param std           per-channel standard deviation (ImageNet: 0.229, 0.224, 0.225)
 * @param batchSize     images per forward pass
 * @param l2Normalize   whether each feature vector is scaled to unit L2 norm
 * @param expectedDim   the feature dimension the model must produce, or 0 to accept what it produces
 */
public record ExtractOptions(String modelPath, String engine, String blockFactory, int resizeShorter, int cropSize,
                             float[] mean, float[] std, int batchSize, boolean l2Normalize, int expectedDim)
        implements Serializable {
    public static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
    public static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};

    public ExtractOptions {
        if (modelPath == null || modelPath.isBlank()) {
            throw new IllegalArgumentException("a model path is required (TorchScript .pt or ONNX .onnx)");
        }
        engine = engine == null ? "auto" : engine.toLowerCase(Locale.ROOT);
        if (!engine.equals("auto") && !engine.equals("pytorch") && !engine.equals("onnx")) {
            throw new IllegalArgumentException("engine must be auto, pytorch or onnx, got '" + engine + "'");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
        }
        if (expectedDim < 0) {
            throw new IllegalArgumentException("expected dimension must be positive (or 0 for any), got "
                    + expectedDim);
        }
        new ImagePreprocessor(resizeShorter, cropSize, mean, std);
        mean = mean.clone();
        std = std.clone();
    }

    /** ViT-B/16 at 224 with ImageNet statistics: resize 256, crop 224, batches of 32, no L2 normalisation. */
    public static ExtractOptions defaults(String modelPath) {
        return new ExtractOptions(modelPath, "auto", null, 256, 224, IMAGENET_MEAN, IMAGENET_STD, 32, false, 0);
    }

    /** The DJL engine name that loads {@link #modelPath()}: "OnnxRuntime" or "PyTorch". */
    public String djlEngine() {
        boolean onnx = engine.equals("onnx")
                || (engine.equals("auto") && modelPath.toLowerCase(Locale.ROOT).endsWith(".onnx"));
        return onnx ? "OnnxRuntime" : "PyTorch";
    }

    public ImagePreprocessor preprocessor() {
        return new ImagePreprocessor(resizeShorter, cropSize, mean, std);
    }

    public ExtractOptions withBlockFactory(String className) {
        return new ExtractOptions(modelPath, engine, className, resizeShorter, cropSize, mean, std, batchSize,
                l2Normalize, expectedDim);
    }

    public ExtractOptions withSizes(int newResizeShorter, int newCropSize) {
        return new ExtractOptions(modelPath, engine, blockFactory, newResizeShorter, newCropSize, mean, std, batchSize,
                l2Normalize, expectedDim);
    }

    public ExtractOptions withBatchSize(int newBatchSize) {
        return new ExtractOptions(modelPath, engine, blockFactory, resizeShorter, cropSize, mean, std, newBatchSize,
                l2Normalize, expectedDim);
    }

    public ExtractOptions withL2Normalize(boolean normalize) {
        return new ExtractOptions(modelPath, engine, blockFactory, resizeShorter, cropSize, mean, std, batchSize,
                normalize, expectedDim);
    }

    public ExtractOptions withExpectedDim(int dim) {
        return new ExtractOptions(modelPath, engine, blockFactory, resizeShorter, cropSize, mean, std, batchSize,
                l2Normalize, dim);
    }

    /** What identifies a loaded model: two options with equal keys share one model per JVM. */
    String modelKey() {
        return djlEngine() + "|" + modelPath + "|" + blockFactory;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ExtractOptions o && modelPath.equals(o.modelPath) && engine.equals(o.engine)
                && java.util.Objects.equals(blockFactory, o.blockFactory) && resizeShorter == o.resizeShorter
                && cropSize == o.cropSize && Arrays.equals(mean, o.mean) && Arrays.equals(std, o.std)
                && batchSize == o.batchSize && l2Normalize == o.l2Normalize && expectedDim == o.expectedDim;
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(modelPath, engine, blockFactory, resizeShorter, cropSize, Arrays.hashCode(mean),
                Arrays.hashCode(std), batchSize, l2Normalize, expectedDim);
    }

    @Override
    public String toString() {
        return "ExtractOptions[model=" + modelPath + ", engine=" + djlEngine() + ", resize=" + resizeShorter
                + ", crop=" + cropSize + ", mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std)
                + ", batch=" + batchSize + ", l2=" + l2Normalize + ", expectedDim=" + expectedDim + "]";
    }
}
