package org.sp2ot.jobs.extract;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.imageio.ImageIO;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.sp2ot.jobs.SparkTestSession;

/** Fixture images written with javax.imageio, a manifest over them, and tiny DJL models saved in DJL's format. */
final class ExtractFixtures {
    static final StructType MANIFEST_SCHEMA = new StructType()
            .add("id", DataTypes.LongType, false)
            .add("path", DataTypes.StringType, true)
            .add("label", DataTypes.IntegerType, true);

    private ExtractFixtures() {
    }

    /** A random smooth-ish RGB image (random corner colours, bilinear blend, noise). */
    static BufferedImage image(int width, int height, long seed) {
        Random random = new Random(seed);
        int[][] corners = new int[4][3];
        for (int[] corner : corners) {
            for (int c = 0; c < 3; c++) {
                corner[c] = random.nextInt(256);
            }
        }
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                double u = x / (double) (width - 1);
                double v = y / (double) (height - 1);
                int rgb = 0;
                for (int c = 0; c < 3; c++) {
                    double value = (1 - u) * (1 - v) * corners[0][c] + u * (1 - v) * corners[1][c]
                            + (1 - u) * v * corners[2][c] + u * v * corners[3][c] + random.nextInt(21) - 10;
                    rgb = rgb << 8 | (int) Math.max(0, Math.min(255, Math.round(value)));
                }
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    /** Writes {@code count} images (PNG and JPEG, assorted sizes) into {@code dir}; returns their paths by id. */
    static List<String> writeImages(Path dir, int count) throws IOException {
        List<String> paths = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String format = i % 3 == 0 ? "jpg" : "png";
            Path file = dir.resolve("img-" + i + "." + format);
            ImageIO.write(image(20 + 3 * i, 36 - 2 * i, i), format, file.toFile());
            paths.add(file.toString());
        }
        return paths;
    }

    static Path writeCorrupt(Path dir) throws IOException {
        return Files.write(dir.resolve("corrupt.jpg"), "this is not a JPEG".getBytes(StandardCharsets.US_ASCII));
    }

    static Dataset<Row> manifest(List<String> paths, int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            rows.add(RowFactory.create((long) i, paths.get(i), i % 2 == 0 ? i % 3 : null));
        }
        return SparkTestSession.get().createDataFrame(rows, MANIFEST_SCHEMA).repartition(partitions);
    }

    /**
     * Initialises {@code factory}'s network with a fixed seed for {@code side x side} inputs and saves its
     * parameters as {@code <parent>/<name>/<name>-0000.params}; returns that directory.
     */
    static Path saveDjlModel(Path parent, String name, BlockFactory factory, int side) throws IOException {
        Path dir = Files.createDirectories(parent.resolve(name));
        Engine.getEngine("PyTorch").setRandomSeed(7);
        try (Model model = Model.newInstance(name, "PyTorch")) {
            Block block = factory.newBlock();
            model.setBlock(block);
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1, 3, side, side));
            model.save(dir, name);
        }
        return dir;
    }

    /** The model's output for one preprocessed image, run directly on the block (no Spark, no batching). */
    static float[] directForward(Path modelDir, BlockFactory factory, float[] input, int side) throws Exception {
        try (Model model = Model.newInstance(modelDir.getFileName().toString(), "PyTorch")) {
            model.setBlock(factory.newBlock());
            model.load(modelDir);
            NDManager manager = model.getNDManager();
            NDArray x = manager.create(input, new Shape(1, 3, side, side));
            NDList out = model.getBlock().forward(new ParameterStore(manager, false), new NDList(x), false);
            return out.get(0).toFloatArray();
        }
    }
}
