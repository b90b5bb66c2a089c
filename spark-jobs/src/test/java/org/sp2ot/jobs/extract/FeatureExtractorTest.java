package org.sp2ot.jobs.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import javax.imageio.ImageIO;

import org.apache.spark.SparkException;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureExtractorTest {
    private static final int SIDE = 16;
    private static final int IMAGES = 8;

    @TempDir
    static Path dir;
    private static List<String> paths;
    private static Path model;

    @BeforeAll
    static void fixtures() throws Exception {
        paths = ExtractFixtures.writeImages(dir, IMAGES);
        model = ExtractFixtures.saveDjlModel(dir, "tiny", new TinyCnnFactory(), SIDE);
    }

    private static ExtractOptions options() {
        return ExtractOptions.defaults(model.toString()).withBlockFactory(TinyCnnFactory.class.getName())
                .withSizes(20, SIDE).withBatchSize(3);
    }

    private static Map<Long, float[]> featuresById(ExtractionResult result) {
        Map<Long, float[]> out = new HashMap<>();
        for (Row row : result.features().collectAsList()) {
            List<Float> values = row.getList(1);
            float[] feature = new float[values.size()];
            for (int i = 0; i < feature.length; i++) {
                feature[i] = values.get(i);
            }
            out.put(row.getLong(0), feature);
        }
        return out;
    }

    @Test
    void featuresEqualADirectForwardPassOfThePreprocessedImage() throws Exception {
        ExtractionResult result = FeatureExtractor.extract(ExtractFixtures.manifest(paths, 2), options());
        Map<Long, float[]> features = featuresById(result);
        result.unpersist();

        ImagePreprocessor preprocessor = options().preprocessor();
        assertEquals(IMAGES, features.size());
        assertEquals(TinyCnnFactory.DIM, result.dimension());
        for (int i = 0; i < IMAGES; i++) {
            float[] input = new float[preprocessor.inputLength()];
            preprocessor.toInput(ImageIO.read(new java.io.File(paths.get(i))), input, 0);
            float[] expected = ExtractFixtures.directForward(model, new TinyCnnFactory(), input, SIDE);
            assertArrayEquals(expected, features.get((long) i), 1e-6f, "features of image " + i);
        }
    }

    @Test
    void featuresDoNotDependOnPartitioningOrBatchSize() throws Exception {
        ExtractionResult one = FeatureExtractor.extract(ExtractFixtures.manifest(paths, 1), options());
        ExtractionResult four = FeatureExtractor.extract(ExtractFixtures.manifest(paths, 4),
                options().withBatchSize(2));
        Map<Long, float[]> a = featuresById(one);
        Map<Long, float[]> b = featuresById(four);
        one.unpersist();
        four.unpersist();

        assertEquals(a.keySet(), b.keySet());
        for (Long id : a.keySet()) {
            assertArrayEquals(a.get(id), b.get(id), 1e-6f, "features of image " + id);
        }
    }

    @Test
    void labelsAreCarriedOverFromTheManifest() throws Exception {
        ExtractionResult result = FeatureExtractor.extract(ExtractFixtures.manifest(paths, 2), options());
        List<Row> rows = result.features().select("id", "label").collectAsList();
        result.unpersist();

        for (Row row : rows) {
            long id = row.getLong(0);
            assertEquals(id % 2 == 0 ? Integer.valueOf((int) (id % 3)) : null, row.get(1), "label of id " + id);
        }
    }

    @Test
    void corruptAndMissingImagesAreReportedAndSkipped() throws Exception {
        List<String> withBad = new ArrayList<>(paths);
        withBad.add(ExtractFixtures.writeCorrupt(dir).toString());
        withBad.add(dir.resolve("missing.png").toString());

        ExtractionResult result = FeatureExtractor.extract(ExtractFixtures.manifest(withBad, 3), options());
        List<Row> failures = result.failures().orderBy("id").collectAsList();
        long extracted = result.features().count();
        result.unpersist();

        assertEquals(IMAGES, extracted);
        assertEquals(2, result.failed());
        assertEquals(2, failures.size());
        assertEquals(IMAGES, failures.get(0).getLong(0));
        assertTrue(failures.get(0).getString(1).endsWith("corrupt.jpg"));
        assertTrue(failures.get(0).getString(2).contains("can decode"), failures.get(0).getString(2));
        assertEquals(IMAGES + 1, failures.get(1).getLong(0));
        assertTrue(failures.get(1).getString(2).startsWith("FileNotFoundException"), failures.get(1).getString(2));
    }

    @Test
    void extractionReportsImagesDoneOutOfNWithARateAndEndsWithAllDone() throws Exception {
        List<String> lines = java.util.Collections.synchronizedList(new ArrayList<>());
        FeatureExtractor.extract(ExtractFixtures.manifest(paths, 4), options(), lines::add, 1).unpersist();
        assertTrue(lines.size() >= 1, "no progress line");
        String last = lines.get(lines.size() - 1);
        assertTrue(last.matches("extract: " + IMAGES + "/" + IMAGES + " images done in [0-9.]+ s \\([0-9.]+/s\\)"),
                last);
        for (String line : lines.subList(0, lines.size() - 1)) {
            assertTrue(line.matches("extract: [0-9]+/" + IMAGES + " images \\([0-9.]+%, [0-9.]+/s\\) ETA .+"),
                    line);
        }
    }

    @Test
    void aManifestInOnePartitionIsSpreadOverUpToFourTasksPerCore() {
        assertEquals(8, FeatureExtractor.extractionTasks(1485, 64, 1, 2));
        assertEquals(3, FeatureExtractor.extractionTasks(150, 64, 1, 2));
        assertEquals(12, FeatureExtractor.extractionTasks(100_000, 32, 12, 2));
        assertEquals(1, FeatureExtractor.extractionTasks(0, 32, 1, 2));
    }

    @Test
    void theModelIsLoadedOncePerJvmNotPerTask() throws Exception {
        FeatureExtractor.extract(ExtractFixtures.manifest(paths, 4), options()).unpersist();
        int loadsBefore = ExecutorModels.loads();

        FeatureExtractor.extract(ExtractFixtures.manifest(paths, 4), options()).unpersist();
        FeatureExtractor.extract(ExtractFixtures.manifest(paths, 3), options().withBatchSize(5)).unpersist();

        assertEquals(loadsBefore, ExecutorModels.loads());
    }

    @Test
    void l2NormalisedFeaturesHaveUnitNorm() throws Exception {
        ExtractionResult result = FeatureExtractor.extract(ExtractFixtures.manifest(paths, 2),
                options().withL2Normalize(true));
        Map<Long, float[]> features = featuresById(result);
        result.unpersist();

        for (float[] feature : features.values()) {
            double squared = 0;
            for (float v : feature) {
                squared += v * v;
            }
            assertEquals(1.0, squared, 1e-5);
        }
    }

    @Test
    void aFeatureDimensionOtherThanTheExpectedOneFailsNamingBoth() {
        SparkException error = assertThrows(SparkException.class, () -> FeatureExtractor.extract(
                ExtractFixtures.manifest(paths, 1), options().withExpectedDim(768)));

        assertTrue(error.getMessage().contains("produces 6-dimensional features but 768 are expected"),
                error.getMessage());
    }

    @Test
    void aModelThatDoesNotReturnOneVectorPerImageIsRejected() throws Exception {
        Path unpooled = ExtractFixtures.saveDjlModel(dir, "unpooled", new UnpooledCnnFactory(), SIDE);
        ExtractOptions options = ExtractOptions.defaults(unpooled.toString())
                .withBlockFactory(UnpooledCnnFactory.class.getName()).withSizes(20, SIDE);

        SparkException error = assertThrows(SparkException.class,
                () -> FeatureExtractor.extract(ExtractFixtures.manifest(paths, 1), options));

        assertTrue(error.getMessage().contains("one feature vector per image"), error.getMessage());
    }

    @Test
    void aMissingModelIsRejectedBeforeAnyWork() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> FeatureExtractor.extract(
                ExtractFixtures.manifest(paths, 1), ExtractOptions.defaults(dir.resolve("nope.pt").toString())));

        assertTrue(error.getMessage().contains("nope.pt does not exist"), error.getMessage());
    }

    @Test
    void anOnnxModelRunsOnOnnxRuntimeAndGivesWhatItsGraphComputes() throws Exception {
        float[] w = {0.5f, -1f, 2f, 0.25f, 1.5f, -0.75f, 1f, 0f, 3f, -2f, 0.1f, 0.2f};
        float[] b = {0.1f, -0.2f, 0.3f, 0f};
        Path onnx = PooledLinearModel.writeOnnx(dir.resolve("tiny.onnx"), w, b);
        ExtractOptions options = ExtractOptions.defaults(onnx.toString()).withSizes(20, SIDE).withBatchSize(3);

        ExtractionResult result = FeatureExtractor.extract(ExtractFixtures.manifest(paths, 2), options);
        Map<Long, float[]> features = featuresById(result);
        result.unpersist();

        assertEquals("OnnxRuntime", options.djlEngine());
        ImagePreprocessor preprocessor = options.preprocessor();
        for (int i = 0; i < IMAGES; i++) {
            float[] input = new float[preprocessor.inputLength()];
            preprocessor.toInput(ImageIO.read(new java.io.File(paths.get(i))), input, 0);
            assertArrayEquals(PooledLinearModel.forward(input, SIDE, w, b), features.get((long) i), 1e-5f,
                    "features of image " + i);
        }
    }

    @Test
    void aTorchScriptModelRunsOnPyTorchAndGivesWhatItsCodeComputes() throws Exception {
        float[] w = {0.5f, -1f, 2f, 0.25f, 1.5f, -0.75f, 1f, 0f, 3f, -2f, 0.125f, 0.5f};
        float[] b = {0.25f, -0.5f, 0.75f, 0f};
        Path torchScript = PooledLinearModel.writeTorchScript(dir.resolve("pooled-linear.pt"), w, b);
        ExtractOptions options = ExtractOptions.defaults(torchScript.toString()).withSizes(20, SIDE).withBatchSize(3);

        ExtractionResult result = FeatureExtractor.extract(ExtractFixtures.manifest(paths, 2), options);
        Map<Long, float[]> features = featuresById(result);
        result.unpersist();

        assertEquals("PyTorch", options.djlEngine());
        ImagePreprocessor preprocessor = options.preprocessor();
        for (int i = 0; i < IMAGES; i++) {
            float[] input = new float[preprocessor.inputLength()];
            preprocessor.toInput(ImageIO.read(new java.io.File(paths.get(i))), input, 0);
            assertArrayEquals(PooledLinearModel.forward(input, SIDE, w, b), features.get((long) i), 1e-5f,
                    "features of image " + i);
        }
    }

    @Test
    void anUnreadableOnnxFileFailsWithTheEngineAndTheFix() throws Exception {
        Path bogus = Files.write(dir.resolve("bogus.onnx"), "not a protobuf".getBytes(StandardCharsets.US_ASCII));

        SparkException error = assertThrows(SparkException.class, () -> FeatureExtractor.extract(
                ExtractFixtures.manifest(paths, 1), ExtractOptions.defaults(bogus.toString()).withSizes(20, SIDE)));

        assertTrue(error.getMessage().contains("cannot load the model " + bogus + " with DJL's OnnxRuntime engine"),
                error.getMessage());
    }

    @Test
    void aManifestWithoutPathsIsRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> FeatureExtractor.extract(
                ExtractFixtures.manifest(paths, 1).drop("path"), options()));

        assertTrue(error.getMessage().contains("'id' and 'path'"), error.getMessage());
    }
}
