package org.sp2ot.jobs.extract;

import java.awt.image.BufferedImage;
import java.io.Serializable;

/**
 * Turns a decoded image into the backbone's input: RGB, shorter side resized to {@code resizeShorter} (aspect kept),
 * centre crop of {@code cropSize x cropSize}, values scaled to [0, 1] and normalised per channel by
 * {@code (v - mean) / std}, laid out channel-first (CHW). This is the evaluation transform of ImageNet-trained
 * backbones (torchvision's Resize + CenterCrop + ToTensor + Normalize; for ViT-B/16: 256 / 224 and the ImageNet
 * mean and std).
 *
 * <p>The resize is a separable triangle ("bilinear") filter whose support widens with the downscale factor, so
 * shrinking averages every input pixel instead of sampling a few (what PIL's bilinear resize does; plain
 * four-pixel interpolation would alias). Rounding of the crop offset follows torchvision
 * ({@code round((size - crop) / 2)}).
 */
public final class ImagePreprocessor implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int resizeShorter;
    private final int cropSize;
    private final float[] mean;
    private final float[] std;

    /**
     * @param resizeShorter the shorter side after resizing (at least {@code cropSize})
     * @param cropSize      the side of the square centre crop
     * @param mean          per-channel (R, G, B) mean of the [0, 1] values
     * @param std           per-channel (R, G, B) standard deviation, positive
     */
    public ImagePreprocessor(int resizeShorter, int cropSize, float[] mean, float[] std) {
        if (cropSize < 1 || resizeShorter < cropSize) {
            throw new IllegalArgumentException("need 1 <= crop size <= resize size, got crop " + cropSize
                    + " and resize " + resizeShorter);
        }
        if (mean.length != 3 || std.length != 3) {
            throw new IllegalArgumentException("mean and std need 3 values (R, G, B), got " + mean.length + " and "
                    + std.length);
        }
        for (float s : std) {
            if (!(s > 0f) || Float.isInfinite(s)) {
                throw new IllegalArgumentException("std values must be positive and finite, got " + s);
            }
        }
        this.resizeShorter = resizeShorter;
        this.cropSize = cropSize;
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** The side of the square input the model sees. */
    public int cropSize() {
        return cropSize;
    }

    /** Floats per image: {@code 3 * cropSize^2}. */
    public int inputLength() {
        return 3 * cropSize * cropSize;
    }

    /** Writes the CHW input of {@code image} into {@code out[offset, offset + inputLength())}. */
    public void toInput(BufferedImage image, float[] out, int offset) {
        int width = image.getWidth();
        int height = image.getHeight();
        int newWidth;
        int newHeight;
        if (width <= height) {
            newWidth = resizeShorter;
            newHeight = (int) ((long) resizeShorter * height / width);
        } else {
            newHeight = resizeShorter;
            newWidth = (int) ((long) resizeShorter * width / height);
        }
        float[][] rgb = channels(image);
        int top = (int) Math.round((newHeight - cropSize) / 2.0);
        int left = (int) Math.round((newWidth - cropSize) / 2.0);
        int plane = cropSize * cropSize;
        for (int channel = 0; channel < 3; channel++) {
            float[] resized = resize(rgb[channel], width, height, newWidth, newHeight);
            int base = offset + channel * plane;
            for (int y = 0; y < cropSize; y++) {
                for (int x = 0; x < cropSize; x++) {
                    float value = resized[(top + y) * newWidth + left + x];
                    out[base + y * cropSize + x] = normalise(value, channel);
                }
            }
        }
    }

    /** {@code (v / 255 - mean_c) / std_c}: the [0, 1] scaling and per-channel normalisation. */
    float normalise(float value255, int channel) {
        return (value255 / 255f - mean[channel]) / std[channel];
    }

    /** The R, G and B planes (0..255) of the image, whatever its colour model (grey images give three equal planes). */
    static float[][] channels(BufferedImage image) {
        int width = image.getWidth();
        int height = image.getHeight();
        int[] argb = image.getRGB(0, 0, width, height, null, 0, width);
        float[][] rgb = new float[3][width * height];
        for (int i = 0; i < argb.length; i++) {
            rgb[0][i] = (argb[i] >> 16) & 0xff;
            rgb[1][i] = (argb[i] >> 8) & 0xff;
            rgb[2][i] = argb[i] & 0xff;
        }
        return rgb;
    }

    /** Separable triangle-filter resize of one plane from {@code w x h} to {@code nw x nh}. */
    static float[] resize(float[] plane, int w, int h, int nw, int nh) {
        float[] horizontal = new float[nw * h];
        Filter fx = Filter.of(w, nw);
        for (int y = 0; y < h; y++) {
            fx.apply(plane, y * w, 1, horizontal, y * nw, 1);
        }
        float[] out = new float[nw * nh];
        Filter fy = Filter.of(h, nh);
        for (int x = 0; x < nw; x++) {
            fy.apply(horizontal, x, nw, out, x, nw);
        }
        return out;
    }

    /** Per output position: the first input index and the normalised triangle weights of the inputs it averages. */
    private record Filter(int[] first, float[][] weights) {
        static Filter of(int in, int out) {
            double scale = (double) in / out;
            double support = Math.max(1.0, scale);
            int[] first = new int[out];
            float[][] weights = new float[out][];
            for (int i = 0; i < out; i++) {
                double centre = (i + 0.5) * scale;
                int lo = Math.max(0, (int) Math.floor(centre - support));
                int hi = Math.min(in, (int) Math.ceil(centre + support));
                double[] w = new double[hi - lo];
                double total = 0;
                for (int j = lo; j < hi; j++) {
                    double t = Math.abs((j + 0.5 - centre) / support);
                    w[j - lo] = Math.max(0.0, 1.0 - t);
                    total += w[j - lo];
                }
                first[i] = lo;
                weights[i] = new float[w.length];
                for (int j = 0; j < w.length; j++) {
                    weights[i][j] = (float) (w[j] / total);
                }
            }
            return new Filter(first, weights);
        }

        void apply(float[] src, int srcOffset, int srcStride, float[] dst, int dstOffset, int dstStride) {
            for (int i = 0; i < first.length; i++) {
                float[] w = weights[i];
                int start = srcOffset + first[i] * srcStride;
                float sum = 0f;
                for (int j = 0; j < w.length; j++) {
                    sum += w[j] * src[start + j * srcStride];
                }
                dst[dstOffset + i * dstStride] = sum;
            }
        }
    }
}
