package org.sp2ot.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.typesafe.config.ConfigFactory;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.ml.knn.KnnKernel;
import org.sp2ot.train.HeadKind;
import org.sp2ot.train.ModelSelection;
import org.sp2ot.train.RhoSchedule;

class RunConfigTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, text);
        return file;
    }

    private static RunConfig parse(String hocon) {
        return RunConfig.fromUser(ConfigFactory.parseString(hocon));
    }

    private static String problem(String hocon) {
        return assertThrows(UsageException.class, () -> parse(hocon)).getMessage();
    }

    @Test
    void defaultsAreThePaperValues() {
        RunConfig c = parse("");
        RunConfig.Train t = c.train();
        assertEquals(50, t.epochs());
        assertEquals(512, t.batch());
        assertEquals(10, t.bankFactor());
        assertEquals(5e-4, t.lr());
        assertEquals(0.1, t.eps());
        assertEquals(1.0, t.gamma());
        assertEquals(0.1, t.rho0());
        assertEquals(RhoSchedule.SIGMOID, t.rhoSchedule());
        assertEquals(1000.0, t.lam0());
        assertEquals(0, t.seed());
        assertEquals(HeadKind.COSINE, t.head());
        assertEquals(20, c.knn().k());
        assertEquals(KnnKernel.GAUSS, c.knn().kernel());
        assertEquals(2.0, c.knn().sigma());
        assertEquals("local[*]", c.spark().master());
    }

    @Test
    void everyDefaultKeyIsReadByRunConfig() throws IOException {
        Set<String> read = RunConfig.load(write("empty.conf", ""), List.of()).keysRead();
        List<String> unread = new ArrayList<>();
        for (String key : RunConfig.knownKeys()) {
            if (!read.contains(key) && read.stream().noneMatch(section -> key.startsWith(section + "."))) {
                unread.add(key);
            }
        }
        assertEquals(List.of(), unread, "keys in sp2ot-defaults.conf that RunConfig never reads");
        assertTrue(read.contains("train.rho-schedule") && read.contains("extract.mean"), read.toString());
    }

    @Test
    void fileThenOverridesInOrder() throws IOException {
        Path file = write("run.conf", "train { k = 10, epochs = 3 }\nout = \"/tmp/x\"\n");
        RunConfig c = RunConfig.load(file, List.of("train.epochs=7", "train.methods=sp2ot,ot", "run-id=nightly-1"));
        assertEquals(10, c.train().k());
        assertEquals(7, c.train().epochs());
        assertEquals(List.of("sp2ot", "ot"), c.train().methods());
        assertEquals("nightly-1", c.runId());
        assertEquals("/tmp/x", c.out());
    }

    @Test
    void overrideAcceptsHoconListAndHdfsUrl() throws IOException {
        Path file = write("run.conf", "");
        RunConfig c = RunConfig.load(file, List.of("train.methods=[p2ot, uot]", "out=hdfs://nn:8020/runs",
                "input.type=features", "input=hdfs://nn:8020/features"));
        assertEquals(List.of("p2ot", "uot"), c.train().methods());
        assertEquals("hdfs://nn:8020/runs", c.out());
        assertEquals("hdfs://nn:8020/features", c.input().path());
    }

    @Test
    void unknownKeyIsRejectedWithTheLikelyIntendedKey() {
        String message = problem("train { epoch = 5 }");
        assertTrue(message.contains("train.epoch (did you mean train.epochs?)"), message);
    }

    @Test
    void keyInTheWrongSectionSuggestsTheRightSection() {
        String message = problem("train.sigma = 3");
        assertTrue(message.contains("train.sigma (did you mean knn.sigma?)"), message);
    }

    @Test
    void unknownOverrideKeyIsRejected() throws IOException {
        Path file = write("run.conf", "");
        UsageException e = assertThrows(UsageException.class,
                () -> RunConfig.load(file, List.of("trian.k=5")));
        assertTrue(e.getMessage().contains("trian.k (did you mean train.k?)"), e.getMessage());
    }

    @Test
    void sparkConfPassesAnyKeyThrough() {
        RunConfig c = parse("spark.conf { \"spark.sql.shuffle.partitions\" = 8, spark.executor.memory = 2g }");
        assertEquals("8", c.spark().conf().get("spark.sql.shuffle.partitions"));
        assertEquals("2g", c.spark().conf().get("spark.executor.memory"));
    }

    @Test
    void wrongTypeNamesTheKey() {
        String message = problem("train.epochs = many");
        assertTrue(message.contains("train.epochs must be an integer"), message);
    }

    @Test
    void tooFewClustersIsRejected() {
        assertTrue(problem("train.k = 1").contains("train.k must be >= 2"));
    }

    @Test
    void everyTrainKeyReachesTheTrainerThroughTheEstimatorsSetters() {
        RunConfig config = parse(String.join("\n", "train {", "k = 7, epochs = 3, batch = 64, bank-factor = 4, lr = 0.01",
                "eps = 0.2, gamma = 2.0, rho0 = 0.3, rho-schedule = linear, lam0 = 50.0, solver = cpu, tol = 1e-5",
                "max-iter = 200, mm-max-iter = 7, mm-tol = 1e-4, seed = 9, head = linear, selection = lowest-loss",
                "init = random, init-restarts = 2, preprocess { center = true, pca-dim = 16, whiten = true, l2 = true }",
                "lam-scaling = bank, view = neighbor, adapter = residual-mlp, adapter-hidden = 12",
                "augment { dropout = 0.25, noise = 0.5 }", "}"));
        // the settings written out by hand from the values above (the trainer's defaults where the config is silent)
        org.sp2ot.solver.SolverSettings d = org.sp2ot.solver.SolverSettings.defaults();
        org.sp2ot.train.TrainSettings expected = org.sp2ot.train.TrainSettings.builder(7)
                .method(org.sp2ot.solver.Method.SP2OT).epochs(3).batchSize(64).bankSize(256).learningRate(0.01)
                .rho0(0.3).rhoSchedule(RhoSchedule.LINEAR).head(HeadKind.LINEAR).seed(9)
                .selection(ModelSelection.LOWEST_LOSS)
                .solver(new org.sp2ot.solver.SolverSettings(0.2, 2.0, 1e-5, 200, 50.0, d.lamFixed(), 7, 1e-4,
                        org.sp2ot.solver.Backend.REFERENCE))
                .setup(new org.sp2ot.train.TrainingSetup(org.sp2ot.train.HeadInit.RANDOM, 2,
                        new org.sp2ot.train.FeaturePreprocessing.Spec(true, 16, true, true),
                        org.sp2ot.train.LamScaling.BANK, org.sp2ot.train.SecondView.NEIGHBOR,
                        org.sp2ot.train.AdapterKind.RESIDUAL_MLP, 12, new org.sp2ot.train.Augmentation(0.25, 0.5)))
                .build();
        assertEquals(expected, config.estimator("sp2ot").trainSettings());
        assertEquals(org.sp2ot.solver.Method.OT, config.estimator("ot").trainSettings().method());
    }

    @Test
    void modelSelectionDefaultsToLastAndReachesTheTrainer() {
        assertEquals(ModelSelection.LAST, parse("").train().selection());
        assertEquals(ModelSelection.LAST, parse("").estimator("p2ot").trainSettings().selection());
        assertEquals(ModelSelection.LOWEST_LOSS,
                parse("train.selection = lowest-loss").estimator("p2ot").trainSettings().selection());
    }

    @Test
    void adapterAndAugmentationDefaultToNoneAndReachTheTrainer() {
        org.sp2ot.train.TrainingSetup none = parse("").estimator("p2ot").trainSettings().setup();
        assertEquals(org.sp2ot.train.AdapterKind.NONE, none.adapter());
        assertFalse(none.augment().isActive());
        org.sp2ot.train.TrainingSetup set = parse("train { adapter = residual-mlp, "
                + "adapter-hidden = 32, augment { dropout = 0.2, noise = 0.1 } }").estimator("sp2ot").trainSettings()
                .setup();
        assertEquals(org.sp2ot.train.AdapterKind.RESIDUAL_MLP, set.adapter());
        assertEquals(32, set.adapterHidden());
        assertEquals(new org.sp2ot.train.Augmentation(0.2, 0.1), set.augment());
    }

    @Test
    void badAdapterOrAugmentationIsRejectedNamingTheKey() {
        assertTrue(problem("train.adapter = mlp").contains("train.adapter"));
        assertTrue(problem("train.adapter-hidden = 0").contains("train.adapter-hidden must be >= 1"));
        assertTrue(problem("train.augment.dropout = 1").contains("train.augment.dropout must be below 1"));
        assertTrue(problem("train.augment.noise = -0.5").contains("train.augment.noise must be a finite number >= 0"));
    }

    @Test
    void unknownModelSelectionIsRejectedNamingTheKey() {
        assertTrue(problem("train.selection = best").contains("train.selection"));
    }

    @Test
    void nonPositiveEpsIsRejected() {
        assertTrue(problem("train.eps = 0").contains("train.eps must be a finite number > 0"));
    }

    @Test
    void rho0OutsideUnitIntervalIsRejected() {
        assertTrue(problem("train.rho0 = 0").contains("train.rho0 must be in (0, 1]"));
        assertTrue(problem("train.rho0 = 1.5").contains("train.rho0 must be in (0, 1]"));
        assertEquals(1.0, parse("train.rho0 = 1").train().rho0());
    }

    @Test
    void unknownMethodIsRejectedListingTheMethods() {
        String message = problem("train.methods = [sp2ot, sinkhorn]");
        assertTrue(message.contains("train.methods contains 'sinkhorn'; methods are sp2ot | p2ot | uot | pot | ot"),
                message);
    }

    @Test
    void methodsAreCaseInsensitiveAndNormalised() {
        assertEquals(List.of("sp2ot", "pot"), parse("train.methods = [SP2OT, Pot]").train().methods());
    }

    @Test
    void emptyOrDuplicateMethodsAreRejected() {
        assertTrue(problem("train.methods = []").contains("train.methods must list at least one"));
        assertTrue(problem("train.methods = [ot, ot]").contains("train.methods lists 'ot' twice"));
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        String message = problem("train { k = 0, eps = -1 }\nknn.kernel = cosine");
        assertTrue(message.contains("train.k"), message);
        assertTrue(message.contains("train.eps"), message);
        assertTrue(message.contains("knn.kernel is invalid: kernel must be one of gauss, cos; got 'cosine'"), message);
    }

    @Test
    void nonDemoInputNeedsAPath() {
        assertTrue(problem("input.type = features").contains("input.path is required for input.type = features"));
    }

    @Test
    void imagesNeedAModel() {
        assertTrue(problem("input { type = images, path = /data }").contains("extract.model is required"));
    }

    @Test
    void missingInputPathIsRejectedBeforeAnyWork() {
        RunConfig c = parse("input { type = features, path = \"" + dir.resolve("absent.parquet") + "\" }");
        UsageException e = assertThrows(UsageException.class, () -> c.checkInputsExist(new Configuration()));
        assertTrue(e.getMessage().contains("input.path: " + dir.resolve("absent.parquet") + " does not exist"),
                e.getMessage());
    }

    @Test
    void existingInputPathPasses() throws IOException {
        Path features = Files.createDirectory(dir.resolve("features"));
        parse("input { type = features, path = \"" + features + "\" }").checkInputsExist(new Configuration());
    }

    @Test
    void batchLargerThanTheDataIsRejectedOnceNIsKnown() {
        RunConfig c = parse("train { k = 10, batch = 512 }");
        UsageException e = assertThrows(UsageException.class, () -> c.checkAgainstData(300));
        assertTrue(e.getMessage().contains("train.batch = 512 exceeds the 300 training samples"), e.getMessage());
        c.checkAgainstData(512);
    }

    @Test
    void moreClustersThanSamplesIsRejected() {
        RunConfig c = parse("train { k = 100, batch = 8 }");
        assertTrue(assertThrows(UsageException.class, () -> c.checkAgainstData(50)).getMessage()
                .contains("train.k = 100 exceeds the 50 training samples"));
    }

    @Test
    void runIdDefaultsToAUtcTimestamp() {
        assertTrue(parse("").runId().matches("\\d{8}-\\d{6}"));
    }

    @Test
    void runIdMustBeADirectoryName() {
        assertTrue(problem("run-id = \"a/b\"").contains("run-id must be letters"));
    }

    @Test
    void onlySp2otNeedsTheGraph() {
        assertTrue(parse("train.methods = [p2ot, sp2ot]").needsKnn());
        assertFalse(parse("train.methods = [p2ot, ot, uot, pot]").needsKnn());
    }

    @Test
    void renderedConfigLoadsBackToTheSameRun() throws IOException {
        RunConfig c = parse("train { k = 12, methods = [ot] }\nrun-id = r1");
        RunConfig back = RunConfig.load(write("back.conf", c.render()), List.of());
        assertEquals(c.train(), back.train());
        assertEquals("r1", back.runId());
    }

    @Test
    void missingConfigFileIsAUsageError() {
        assertThrows(UsageException.class, () -> RunConfig.load(dir.resolve("nope.conf"), List.of()));
    }

    @Test
    void everyShippedConfigIsValid() throws java.io.IOException {
        Path conf = Path.of("..", "conf");
        List<Path> files;
        try (java.util.stream.Stream<Path> listed = java.nio.file.Files.list(conf)) {
            files = listed.filter(f -> f.getFileName().toString().endsWith(".conf")).sorted().toList();
        }
        assertTrue(files.size() >= 9, "conf/*.conf: " + files);
        for (Path file : files) {
            RunConfig c = RunConfig.load(file, List.of());
            assertFalse(c.train().methods().isEmpty(), file.toString());
        }
    }

    @Test
    void inputPathWithTheDemoInputIsRejected() {
        Path demo = Path.of("..", "conf", "demo.conf");
        UsageException e = assertThrows(UsageException.class,
                () -> RunConfig.load(demo, List.of("input=feat.npy")));
        assertTrue(e.getMessage().contains("input.path is set, but input.type = demo does not read it"),
                e.getMessage());
        assertTrue(e.getMessage().contains("input.type = features"), "the fix is named: " + e.getMessage());
    }

    @Test
    void inputKeysTheChosenTypeIgnoresAreRejected() {
        assertTrue(problem("input { type = features, path = /f.parquet, demo.preset = large }")
                .contains("input.demo.preset is set, but input.type = features does not read it"));
        assertTrue(problem("input { type = features, path = /f.parquet, header = true }")
                .contains("input.header is set"));
        assertTrue(problem("input { type = images, path = /d, dataset = folder, classes = 500 }\n"
                + "extract.model = /m.pt").contains("input.classes is set, but input.type = images with"
                + " input.dataset = folder does not read it: it applies to input.dataset = inat2018"));
        assertTrue(problem("extract.model = /m.pt").contains("extract.model is set, but input.type = demo"));
        // the documented switch of an image recipe to a feature table keeps working
        RunConfig switched = RunConfig.load(Path.of("..", "conf", "cifar100-lt.conf"),
                List.of("input.type=features", "input.path=/f.parquet"));
        assertEquals("features", switched.input().type());
        // a key set to its default is not a surprise
        parse("input { type = features, path = /f.parquet, format = auto, demo.preset = small }");
    }

    @Test
    void csvHeaderIsAKey() {
        assertTrue(parse("input { type = features, path = /f.csv, header = true }").input().header());
        assertTrue(parse("input { type = features, path = /f.txt, format = csv, header = true }").input().header());
        assertFalse(parse("").input().header());
    }

    @Test
    void integersAreIntegers() {
        assertTrue(problem("train.epochs = 1.5").contains("train.epochs must be an integer, got 1.5"));
        assertTrue(problem("train.seed = 0.5").contains("train.seed must be an integer"));
        UsageException e = assertThrows(UsageException.class,
                () -> RunConfig.load(Path.of("..", "conf", "demo.conf"), List.of("train.epochs=1.5")));
        assertTrue(e.getMessage().contains("train.epochs must be an integer, got \"1.5\""), e.getMessage());
        assertEquals(7, parse("train.epochs = \"7\"").train().epochs());
        assertEquals(-3, parse("train.seed = -3").train().seed());
    }

    @Test
    void knnKLargerThanTheDataIsRejectedNamingKnnK() {
        RunConfig c = parse("knn.k = 20, train { k = 2, batch = 4 }");
        UsageException e = assertThrows(UsageException.class, () -> c.checkAgainstData(15, true));
        assertTrue(e.getMessage().contains("knn.k = 20") && e.getMessage().contains("set knn.k to at most 13"),
                e.getMessage());
        c.checkAgainstData(15, false);
        parse("knn.k = 13, train { k = 2, batch = 4 }").checkAgainstData(15, true);
    }

    @Test
    void sameSettingWrittenDifferentlyHasOneFingerprint() throws IOException {
        Path file = write("a.conf", "train { lam0 = 1000.0, lr = 0.0005, epochs = 5 }\nevaluate.kmeans = true\n");
        RunConfig fromFile = RunConfig.load(file, List.of());
        RunConfig fromSets = RunConfig.load(write("b.conf", ""), List.of("train.lam0=1e3", "train.lr=5e-4",
                "train.epochs=5", "evaluate.kmeans=yes"));
        assertEquals(RunPipeline.runFingerprint(fromFile), RunPipeline.runFingerprint(fromSets));
    }
}
