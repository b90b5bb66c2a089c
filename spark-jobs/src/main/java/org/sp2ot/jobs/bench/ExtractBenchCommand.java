package org.sp2ot.jobs.bench;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import javax.imageio.ImageIO;

import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.jobs.extract.ExtractOptions;
import org.sp2ot.jobs.extract.ExtractionResult;
import org.sp2ot.jobs.extract.FeatureExtractor;

/**
 * {@code sp2ot bench extract [--images 512] [--size 224] [--batch 32]}: extraction throughput (images/s) of the
 * extract stage end to end (read JPEG, decode, preprocess, batched forward, collect) for {@link SmallCnnFactory}
 * on {@code size x size} JPEG images generated into a temporary directory, with the model saved in DJL's format
 * and loaded through the same path as a user's model. A warm-up pass loads the model first, so the timed pass
 * measures steady state.
 */
public final class ExtractBenchCommand implements Command {

    @Override
    public String name() {
        return "extract";
    }

    @Override
    public String summary() {
        return "time feature extraction (images/s) of a small CNN on generated 224x224 images";
    }

    @Override
    public int run(Args args) throws Exception {
        int images = args.getInt("images", 512);
        int size = args.getInt("size", 224);
        int batch = args.getInt("batch", 32);
        if (images < 1 || size < 8 || batch < 1) {
            throw new UsageException("--images and --batch must be positive and --size at least 8");
        }
        args.rejectUnread();

        SparkSession spark = SparkSession.builder().appName("sp2ot bench extract").getOrCreate();
        Path dir = Files.createTempDirectory("sp2ot-bench-extract-");
        try {
            List<Row> rows = new ArrayList<>();
            SplittableRandom random = new SplittableRandom(5);
            for (int i = 0; i < images; i++) {
                Path file = dir.resolve("img-" + i + ".jpg");
                ImageIO.write(noiseImage(size, random), "jpg", file.toFile());
                rows.add(RowFactory.create((long) i, file.toString(), i % 10));
            }
            Path model = saveModel(dir.resolve("small-cnn"), size);
            StructType schema = new StructType().add("id", DataTypes.LongType).add("path", DataTypes.StringType)
                    .add("label", DataTypes.IntegerType);
            int partitions = Math.max(1, JavaSparkContext.fromSparkContext(spark.sparkContext()).defaultParallelism());
            Dataset<Row> manifest = spark.createDataFrame(rows, schema).repartition(partitions).cache();
            manifest.count();
            ExtractOptions options = ExtractOptions.defaults(model.toString())
                    .withBlockFactory(SmallCnnFactory.class.getName()).withSizes(size, size).withBatchSize(batch);

            FeatureExtractor.extract(manifest.limit(Math.min(images, 2 * batch * partitions)), options).unpersist();
            long start = System.nanoTime();
            long cpuStart = KnnBenchCommand.processCpuNanos();
            ExtractionResult result = FeatureExtractor.extract(manifest, options);
            double seconds = (System.nanoTime() - start) / 1e9;
            double cpuSeconds = (KnnBenchCommand.processCpuNanos() - cpuStart) / 1e9;
            result.unpersist();
            manifest.unpersist();

            System.out.printf(Locale.ROOT, "bench extract: %d JPEG images %dx%d, batch %d, %d partitions, "
                    + "small CNN -> %d features (DJL PyTorch, CPU)%n", images, size, size, batch, partitions,
                    result.dimension());
            System.out.printf(Locale.ROOT, "%-34s %10.2f s wall, %.2f CPU-seconds%n", "extract, end to end", seconds,
                    cpuSeconds);
            System.out.printf(Locale.ROOT, "%-34s %10.1f images/s, %.1f images per CPU-second (%d failed)%n",
                    "throughput", result.extracted() / seconds, result.extracted() / cpuSeconds, result.failed());
        } finally {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        return 0;
    }

    private static BufferedImage noiseImage(int size, SplittableRandom random) {
        BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        int base = random.nextInt(0x1000000);
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                image.setRGB(x, y, base ^ ((x * 7 + y * 13) & 0xff) ^ random.nextInt(32));
            }
        }
        return image;
    }

    private static Path saveModel(Path dir, int size) throws IOException {
        Files.createDirectories(dir);
        try (Model model = Model.newInstance(dir.getFileName().toString(), "PyTorch")) {
            Block block = new SmallCnnFactory().newBlock();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, size, size));
            model.save(dir, dir.getFileName().toString());
        }
        return dir;
    }
}
