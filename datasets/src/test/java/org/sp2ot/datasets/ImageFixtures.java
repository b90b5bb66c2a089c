package org.sp2ot.datasets;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

/** Tiny generated PNG files for the image-folder recipes' tests. */
final class ImageFixtures {

    private ImageFixtures() {
    }

    /** Writes an 8x8 PNG of one colour at {@code file}, creating parent folders. */
    static void png(Path file, int rgb) throws IOException {
        Files.createDirectories(file.getParent());
        BufferedImage image = new BufferedImage(8, 8, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 8; y++) {
            for (int x = 0; x < 8; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        if (!ImageIO.write(image, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }

    /** Writes {@code n} PNGs named img00.png.. into {@code folder}. */
    static void pngs(Path folder, int n) throws IOException {
        for (int i = 0; i < n; i++) {
            png(folder.resolve(String.format("img%02d.png", i)), i * 0x010203);
        }
    }
}
