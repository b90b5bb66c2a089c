package org.sp2ot.jobs.extract;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.awt.image.BufferedImage;

import org.junit.jupiter.api.Test;

class ImagePreprocessorTest {
    private static final float[] ZERO = {0f, 0f, 0f};
    private static final float[] ONE = {1f, 1f, 1f};

    private static BufferedImage filled(int width, int height, int rgb) {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        return image;
    }

    @Test
    void aUniformImageBecomesItsNormalisedColourInEveryChannelPlane() {
        ImagePreprocessor preprocessor = new ImagePreprocessor(8, 4, new float[] {0.5f, 0.25f, 0f},
                new float[] {0.5f, 0.25f, 2f});
        float[] out = new float[preprocessor.inputLength()];

        preprocessor.toInput(filled(13, 9, 0xff_80_40), out, 0);

        for (int i = 0; i < 16; i++) {
            assertEquals((1f - 0.5f) / 0.5f, out[i], 1e-6f, "red at " + i);
            assertEquals((128f / 255f - 0.25f) / 0.25f, out[16 + i], 1e-6f, "green at " + i);
            assertEquals((64f / 255f) / 2f, out[32 + i], 1e-6f, "blue at " + i);
        }
    }

    @Test
    void withoutResizingTheCentreCropKeepsTheCentralPixels() {
        BufferedImage image = new BufferedImage(6, 10, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 10; y++) {
            for (int x = 0; x < 6; x++) {
                image.setRGB(x, y, (10 * y + x) << 16);
            }
        }
        ImagePreprocessor preprocessor = new ImagePreprocessor(6, 2, ZERO, ONE);
        float[] out = new float[preprocessor.inputLength()];

        preprocessor.toInput(image, out, 0);

        float[] red = {42f, 43f, 52f, 53f};
        for (int i = 0; i < 4; i++) {
            assertEquals(red[i] / 255f, out[i], 1e-6f);
        }
    }

    @Test
    void halvingWeighsTheNeighboursWithATriangleTwoPixelsWide() {
        float[] plane = {0f, 10f, 20f, 30f};

        float[] resized = ImagePreprocessor.resize(plane, 4, 1, 2, 1);

        // output 0 is centred at 1.0: inputs at 0.5, 1.5, 2.5 weigh 0.75, 0.75, 0.25 (then normalised)
        assertArrayEquals(new float[] {(0.75f * 0 + 0.75f * 10 + 0.25f * 20) / 1.75f,
            (0.25f * 10 + 0.75f * 20 + 0.75f * 30) / 1.75f}, resized, 1e-5f);
    }

    @Test
    void theShorterSideIsResizedAndTheAspectKept() {
        float[] plane = new float[20 * 10];
        java.util.Arrays.fill(plane, 3f);

        float[] resized = ImagePreprocessor.resize(plane, 20, 10, 10, 5);

        assertEquals(50, resized.length);
        for (float v : resized) {
            assertEquals(3f, v, 1e-5f);
        }
    }

    @Test
    void greyImagesGiveThreeEqualPlanes() {
        BufferedImage grey = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        grey.getRaster().setSample(1, 2, 0, 200);

        float[][] rgb = ImagePreprocessor.channels(grey);

        assertArrayEquals(rgb[0], rgb[1]);
        assertArrayEquals(rgb[0], rgb[2]);
    }

    @Test
    void aCropLargerThanTheResizeIsRejected() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> new ImagePreprocessor(200, 224, ZERO, ONE));

        assertEquals("need 1 <= crop size <= resize size, got crop 224 and resize 200", error.getMessage());
    }
}
