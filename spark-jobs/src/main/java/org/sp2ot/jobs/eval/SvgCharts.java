package org.sp2ot.jobs.eval;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The report's chart kinds as inline SVG text (no script, no external resource): grouped bars, a sorted size
 * profile, line charts, a log-scale histogram, a heat map and a scatter map. Coordinates are plain numbers in a
 * fixed view box that scales with the page.
 */
public final class SvgCharts {

    /** One coloured data series. */
    public record Series(String name, String color, double[] values) {
    }

    private static final int WIDTH = 1000;
    private static final int HEIGHT = 360;
    private static final int LEFT = 70;
    private static final int RIGHT = 20;
    private static final int TOP = 44;
    private static final int BOTTOM = 52;
    private static final String AXIS_COLOR = "#444";
    private static final String GRID_COLOR = "#e3e6ea";
    private static final String CLASS_BAR_COLOR = "#c9ced6";
    /** Legend layout: swatch, gap to the label, gap after it; and an estimate of a 12px label character. */
    private static final double LEGEND_SWATCH_AND_GAP = 40;
    private static final double LEGEND_CHAR_WIDTH = 7.2;

    private SvgCharts() {
    }

    /**
     * Bars per category, one per series, on a percentage axis from 0 to 100.
     *
     * @param categories the category labels along x
     * @param series     one value in [0, 1] per category for each series
     */
    static String percentBars(String title, List<String> categories, List<Series> series) {
        StringBuilder svg = open(title);
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        yAxis(svg, 100, 10, "accuracy (%)");
        double band = plotWidth / categories.size();
        double barWidth = band * 0.8 / Math.max(1, series.size());
        for (int c = 0; c < categories.size(); c++) {
            double bandStart = LEFT + c * band;
            for (int s = 0; s < series.size(); s++) {
                double value = 100 * series.get(s).values()[c];
                double h = plotHeight * value / 100;
                double x = bandStart + band * 0.1 + s * barWidth;
                double y = TOP + plotHeight - h;
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s %s: %.1f%%"
                                + "</title></rect>%n",
                        x + 1, y, barWidth - 2, h, series.get(s).color(), escape(series.get(s).name()),
                        escape(categories.get(c)), value));
                svg.append(String.format(Locale.ROOT,
                        "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\" font-size=\"%d\" fill=\"#222\">"
                                + "%.1f</text>%n",
                        x + barWidth / 2, y - 4, barWidth < 28 ? 9 : 11, value));
            }
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\" fill=\"%s\">%s</text>%n",
                    bandStart + band / 2, HEIGHT - BOTTOM + 20, AXIS_COLOR, escape(categories.get(c))));
        }
        legend(svg, series, series.size());
        return close(svg);
    }

    /**
     * Class sizes (grey bars) and each series' cluster sizes (lines), every one sorted descending and plotted
     * against its rank, so a method that reproduces the long tail has a line that follows the bars.
     */
    static String sizeProfile(String title, long[] classSizes, List<Series> clusterSizes) {
        StringBuilder svg = open(title);
        double[] classes = sortedDescending(toDouble(classSizes));
        int ranks = classes.length;
        double max = max(classes);
        for (Series s : clusterSizes) {
            ranks = Math.max(ranks, s.values().length);
            max = Math.max(max, max(s.values()));
        }
        double step = niceStep(Math.max(max, 1) / 5);
        double top = step * Math.ceil(Math.max(max, 1) / step);
        double plotWidth = WIDTH - LEFT - RIGHT;
        double plotHeight = HEIGHT - TOP - BOTTOM;
        yAxis(svg, top, step, "samples");
        double slot = plotWidth / ranks;
        for (int r = 0; r < classes.length; r++) {
            double h = plotHeight * classes[r] / top;
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"/>%n",
                    LEFT + r * slot + slot * 0.1, TOP + plotHeight - h, slot * 0.8, h, CLASS_BAR_COLOR));
        }
        for (Series s : clusterSizes) {
            double[] sorted = sortedDescending(s.values());
            StringBuilder points = new StringBuilder();
            for (int r = 0; r < sorted.length; r++) {
                points.append(String.format(Locale.ROOT, "%.2f,%.2f ", LEFT + (r + 0.5) * slot,
                        TOP + plotHeight - plotHeight * sorted[r] / top));
            }
            svg.append(String.format(Locale.ROOT,
                    "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                            + "stroke-linejoin=\"round\"><title>%s</title></polyline>%n",
                    points.toString().trim(), s.color(), escape(s.name())));
        }
        for (int tick : rankTicks(ranks)) {
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" fill=\"%s\">%d</text>%n",
                    LEFT + (tick - 0.5) * slot, HEIGHT - BOTTOM + 16, AXIS_COLOR, tick));
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"12\" fill=\"%s\">rank (largest first)"
                        + "</text>%n", LEFT + plotWidth / 2, HEIGHT - 10, AXIS_COLOR));
        List<Series> legend = new ArrayList<>();
        legend.add(new Series("class sizes", CLASS_BAR_COLOR, new double[0]));
        legend.addAll(clusterSizes);
        legend(svg, legend, 1);
        return close(svg);
    }

    /**
     * Lines of y against x, for small multiples (a training curve per quantity, a criterion per K). The y axis runs
     * from {@code min(0, lowest)} to a nice top above the highest value; a NaN value breaks the line there.
     *
     * @param x      increasing x values, one per point
     * @param series one value per x for each line
     */
    public static String lineChart(String title, double[] x, List<Series> series, String xLabel, int width,
            int height) {
        int left = 58;
        int right = 14;
        int top = series.size() > 1 ? 40 : 30;
        int bottom = 40;
        StringBuilder svg = openSmall(title, width, height, width, left);
        double low = 0;
        double high = 0;
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    low = Math.min(low, v);
                    high = Math.max(high, v);
                }
            }
        }
        double span = high - low;
        double step = span <= 0 ? 1 : niceFraction(span / 4);
        double yMin = step * Math.floor(low / step);
        double yMax = Math.max(yMin + step, step * Math.ceil(high / step));
        double xMin = x.length == 0 ? 0 : x[0];
        double xMax = x.length == 0 ? 1 : x[x.length - 1];
        if (xMax <= xMin) {
            xMax = xMin + 1;
        }
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        for (double v = yMin; v <= yMax + step / 2; v += step) {
            double y = top + plotH - plotH * (v - yMin) / (yMax - yMin);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>%n", left, y, width - right,
                    y, Math.abs(v) < step / 2 ? AXIS_COLOR : GRID_COLOR));
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"10\" fill=\"%s\">%s</text>%n",
                    left - 4, y + 3, AXIS_COLOR, compactNumber(v)));
        }
        for (double tick : xTicks(x)) {
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"%s\">%s</text>%n",
                    left + plotW * (tick - xMin) / (xMax - xMin), height - bottom + 14, AXIS_COLOR,
                    compactNumber(tick)));
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" fill=\"%s\">%s</text>%n",
                left + plotW / 2, height - 8, AXIS_COLOR, escape(xLabel)));
        for (Series s : series) {
            StringBuilder points = new StringBuilder();
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < x.length && i < s.values().length; i++) {
                double v = s.values()[i];
                if (!Double.isFinite(v)) {
                    if (points.length() > 0) {
                        lines.add(points.toString().trim());
                        points.setLength(0);
                    }
                    continue;
                }
                double px = left + plotW * (x[i] - xMin) / (xMax - xMin);
                double py = top + plotH - plotH * (v - yMin) / (yMax - yMin);
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                if (x.length <= 40) {
                    svg.append(String.format(Locale.ROOT,
                            "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>%s %s: %s</title></circle>%n",
                            px, py, s.color(), escape(s.name()), compactNumber(x[i]), compactNumber(v)));
                }
            }
            if (points.length() > 0) {
                lines.add(points.toString().trim());
            }
            for (String line : lines) {
                svg.append(String.format(Locale.ROOT,
                        "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
                                + "stroke-linejoin=\"round\"><title>%s</title></polyline>%n",
                        line, s.color(), escape(s.name())));
            }
        }
        if (series.size() > 1) {
            double lx = left;
            for (Series s : series) {
                svg.append(String.format(Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"28\" x2=\"%.1f\" y2=\"28\" stroke=\"%s\" stroke-width=\"3\"/>"
                                + "<text x=\"%.1f\" y=\"32\" font-size=\"11\" fill=\"#222\">%s</text>%n",
                        lx, lx + 14, s.color(), lx + 18, escape(s.name())));
                lx += 30 + 6.5 * s.name().length();
            }
        }
        return svg.append("</svg>\n").toString();
    }

    /**
     * How many clusters have each size, sizes binned by powers of two ([1, 2), [2, 4), [4, 8), ...: a log-scale x
     * axis), one bar per series in each bin; empty clusters are left out (the report counts them in its table).
     *
     * @param sizes one series per method (or the classes): the sizes, one value per cluster
     */
    public static String logSizeHistogram(String title, List<Series> sizes, int width, int height) {
        double max = 1;
        for (Series s : sizes) {
            max = Math.max(max, max(s.values()));
        }
        int bins = sizeBin(max) + 1;
        int[][] counts = new int[sizes.size()][bins];
        int highest = 1;
        for (int s = 0; s < sizes.size(); s++) {
            for (double v : sizes.get(s).values()) {
                if (v >= 1) {
                    highest = Math.max(highest, ++counts[s][sizeBin(v)]);
                }
            }
        }
        int left = 50;
        int right = 12;
        int top = 40;
        int bottom = 44;
        StringBuilder svg = openSmall(title, width, height, width, left);
        double plotW = width - left - right;
        double plotH = height - top - bottom;
        double step = niceStep(highest / 4.0);
        double yTop = step * Math.ceil(highest / step);
        for (double v = 0; v <= yTop + step / 2; v += step) {
            double y = top + plotH - plotH * v / yTop;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>"
                            + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"10\" fill=\"%s\">%s</text>%n",
                    left, y, width - right, y, v == 0 ? AXIS_COLOR : GRID_COLOR, left - 4, y + 3, AXIS_COLOR,
                    compactNumber(v)));
        }
        double band = plotW / bins;
        double bar = band * 0.8 / Math.max(1, sizes.size());
        for (int b = 0; b < bins; b++) {
            for (int s = 0; s < sizes.size(); s++) {
                double h = plotH * counts[s][b] / yTop;
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"><title>%s: %d clusters"
                                + " of %s</title></rect>%n",
                        left + b * band + band * 0.1 + s * bar, top + plotH - h, Math.max(0.5, bar - 1), h,
                        sizes.get(s).color(), escape(sizes.get(s).name()), counts[s][b], binLabel(b)));
            }
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"10\" fill=\"%s\">%s</text>%n",
                    left + (b + 0.5) * band, height - bottom + 14, AXIS_COLOR, binLabel(b)));
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" fill=\"%s\">cluster size"
                        + " (samples, log2 bins)</text>%n", left + plotW / 2, height - 8, AXIS_COLOR));
        svg.append(String.format(Locale.ROOT,
                "<text transform=\"translate(12 %.1f) rotate(-90)\" text-anchor=\"middle\" font-size=\"11\" "
                        + "fill=\"%s\">clusters</text>%n", top + plotH / 2, AXIS_COLOR));
        double lx = left;
        for (Series s : sizes) {
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"22\" width=\"12\" height=\"10\" fill=\"%s\"/>"
                            + "<text x=\"%.1f\" y=\"31\" font-size=\"11\" fill=\"#222\">%s</text>%n",
                    lx, s.color(), lx + 16, escape(s.name())));
            lx += 30 + 6.5 * s.name().length();
        }
        return svg.append("</svg>\n").toString();
    }

    /** The power-of-two bin of a size of at least 1: bin b holds [2^b, 2^(b+1)). */
    static int sizeBin(double size) {
        return 63 - Long.numberOfLeadingZeros(Math.max(1, (long) size));
    }

    private static String binLabel(int bin) {
        long from = 1L << bin;
        long to = (1L << (bin + 1)) - 1;
        return from == to ? Long.toString(from) : shortCount(from) + "-" + shortCount(to);
    }

    private static String shortCount(long v) {
        return v >= 10_000 ? (v / 1000) + "k" : Long.toString(v);
    }

    /**
     * A class x cluster heat map: cell (r, c) coloured by {@code counts[r][c] / rowTotal} (white 0 to dark blue 1);
     * zero cells are not drawn. Rows and columns are drawn in the order given (the caller sorts them).
     */
    public static String heatmap(String title, long[][] counts, String[] rowNames, String[] columnNames,
            String rowAxis, String columnAxis) {
        int rows = counts.length;
        int columns = rows == 0 ? 0 : counts[0].length;
        int left = 60;
        int top = 34;
        double cell = Math.max(2, Math.min(24, 900.0 / Math.max(1, Math.max(rows, columns))));
        int width = (int) Math.ceil(Math.max(left + columns * cell + 20, 60 + 7.5 * title.length()));
        int height = (int) Math.ceil(top + rows * cell + 30);
        StringBuilder svg = openSmall(title, width, height, Math.min(width, 1000), left);
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"#fafafa\" stroke=\"#ddd\"/>%n",
                left, top, columns * cell, rows * cell));
        for (int r = 0; r < rows; r++) {
            long total = 0;
            for (long v : counts[r]) {
                total += v;
            }
            for (int c = 0; c < columns; c++) {
                if (counts[r][c] == 0 || total == 0) {
                    continue;
                }
                double share = (double) counts[r][c] / total;
                int shade = (int) Math.round(235 * (1 - Math.sqrt(share)));
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"rgb(%d,%d,255)\">"
                                + "<title>%s %s, %s %s: %d (%.1f%%)</title></rect>%n",
                        left + c * cell, top + r * cell, cell, cell, shade, shade, escape(rowAxis),
                        escape(rowNames[r]), escape(columnAxis), escape(columnNames[c]), counts[r][c], 100 * share));
            }
        }
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"11\" fill=\"%s\">%s</text>%n",
                left + columns * cell / 2, height - 10, AXIS_COLOR, escape(columnAxis)));
        svg.append(String.format(Locale.ROOT,
                "<text transform=\"translate(%d %.1f) rotate(-90)\" text-anchor=\"middle\" font-size=\"11\" "
                        + "fill=\"%s\">%s</text>%n", left - 10, top + rows * cell / 2, AXIS_COLOR, escape(rowAxis)));
        return svg.append("</svg>\n").toString();
    }

    /** A scatter map of 2-D points, each coloured by its group ({@link #groupColor}). */
    public static String scatter(String title, double[] xy, int[] groups, int width, int height) {
        int n = groups.length;
        double minX = Double.POSITIVE_INFINITY;
        double maxX = Double.NEGATIVE_INFINITY;
        double minY = Double.POSITIVE_INFINITY;
        double maxY = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < n; i++) {
            minX = Math.min(minX, xy[2 * i]);
            maxX = Math.max(maxX, xy[2 * i]);
            minY = Math.min(minY, xy[2 * i + 1]);
            maxY = Math.max(maxY, xy[2 * i + 1]);
        }
        double spanX = maxX > minX ? maxX - minX : 1;
        double spanY = maxY > minY ? maxY - minY : 1;
        int pad = 10;
        int top = 26;
        StringBuilder svg = openSmall(title, width, height, width, pad);
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#ddd\"/>%n", pad, top,
                width - 2 * pad, height - top - pad));
        for (int i = 0; i < n; i++) {
            double x = pad + 3 + (width - 2 * pad - 6) * (xy[2 * i] - minX) / spanX;
            double y = height - pad - 3 - (height - top - pad - 6) * (xy[2 * i + 1] - minY) / spanY;
            svg.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2\" fill=\"%s\"/>%n", x, y,
                    groupColor(groups[i])));
        }
        return svg.append("</svg>\n").toString();
    }

    /** A colour per group id: hues spaced by the golden angle, so neighbouring ids differ. */
    public static String groupColor(int group) {
        double hue = (group * 0.6180339887498949) % 1.0;
        int lightness = 38 + (group % 3) * 10;
        return String.format(Locale.ROOT, "hsl(%.0f,70%%,%d%%)", 360 * hue, lightness);
    }

    /** The opening of a small chart: the svg element shown {@code shownWidth} wide, its title and a bold caption. */
    private static StringBuilder openSmall(String title, int width, int height, int shownWidth, int titleX) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg viewBox=\"0 0 %d %d\" width=\"%d\" role=\"img\" font-family=\"sans-serif\">%n", width,
                height, shownWidth));
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\" fill=\"#222\">%s</text>%n", titleX,
                escape(title)));
        return svg;
    }

    /** 1, 2 or 5 times a power of ten (fractions allowed), at least {@code raw}. */
    static double niceFraction(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double factor : new double[] {1, 2, 5}) {
            if (factor * magnitude >= raw * (1 - 1e-9)) {
                return factor * magnitude;
            }
        }
        return 10 * magnitude;
    }

    private static double[] xTicks(double[] x) {
        if (x.length <= 12) {
            return x.clone();
        }
        double step = niceStep((x[x.length - 1] - x[0]) / 8);
        List<Double> ticks = new ArrayList<>();
        for (double t = Math.ceil(x[0] / step) * step; t <= x[x.length - 1]; t += step) {
            ticks.add(t);
        }
        return ticks.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** A short label: integers as such, else up to 3 significant digits. */
    static String compactNumber(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e9) {
            return String.format(Locale.ROOT, "%d", (long) v);
        }
        if (Math.abs(v) >= 1e4 || Math.abs(v) < 1e-3) {
            return String.format(Locale.ROOT, "%.2e", v);
        }
        return String.format(Locale.ROOT, "%.3g", v).replaceAll("(\\.\\d*?)0+$", "$1").replaceAll("\\.$", "");
    }

    private static StringBuilder open(String title) {
        StringBuilder svg = new StringBuilder();
        svg.append(String.format(Locale.ROOT,
                "<svg viewBox=\"0 0 %d %d\" width=\"100%%\" role=\"img\" font-family=\"sans-serif\">%n", WIDTH,
                HEIGHT));
        svg.append("<title>").append(escape(title)).append("</title>\n");
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"20\" font-size=\"15\" font-weight=\"bold\" fill=\"#222\">%s</text>%n", LEFT,
                escape(title)));
        return svg;
    }

    private static String close(StringBuilder svg) {
        return svg.append("</svg>\n").toString();
    }

    private static void yAxis(StringBuilder svg, double top, double step, String label) {
        double plotHeight = HEIGHT - TOP - BOTTOM;
        for (double v = 0; v <= top + step / 2; v += step) {
            double y = TOP + plotHeight - plotHeight * v / top;
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"%s\"/>%n", LEFT, y, WIDTH - RIGHT, y,
                    v == 0 ? AXIS_COLOR : GRID_COLOR));
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"11\" fill=\"%s\">%s</text>%n",
                    LEFT - 6, y + 4, AXIS_COLOR, tickLabel(v)));
        }
        svg.append(String.format(Locale.ROOT,
                "<text transform=\"translate(16 %.1f) rotate(-90)\" text-anchor=\"middle\" font-size=\"12\" "
                        + "fill=\"%s\">%s</text>%n", TOP + plotHeight / 2, AXIS_COLOR, escape(label)));
    }

    /** A one-line legend at the top right: the first {@code boxes} items as colour boxes, the others as lines. */
    private static void legend(StringBuilder svg, List<Series> series, int boxes) {
        double[] widths = new double[series.size()];
        double total = 0;
        for (int s = 0; s < series.size(); s++) {
            widths[s] = LEGEND_SWATCH_AND_GAP + LEGEND_CHAR_WIDTH * series.get(s).name().length();
            total += widths[s];
        }
        double x = WIDTH - RIGHT - total;
        for (int s = 0; s < series.size(); s++) {
            Series item = series.get(s);
            if (s >= boxes) {
                svg.append(String.format(Locale.ROOT,
                        "<line x1=\"%.1f\" y1=\"16\" x2=\"%.1f\" y2=\"16\" stroke=\"%s\" stroke-width=\"3\"/>%n",
                        x, x + 18, item.color()));
            } else {
                svg.append(String.format(Locale.ROOT,
                        "<rect x=\"%.1f\" y=\"9\" width=\"18\" height=\"14\" fill=\"%s\"/>%n", x, item.color()));
            }
            svg.append(String.format(Locale.ROOT,
                    "<text x=\"%.1f\" y=\"21\" font-size=\"12\" fill=\"#222\">%s</text>%n", x + 24,
                    escape(item.name())));
            x += widths[s];
        }
    }

    /** 1, 2 or 5 times a power of ten, at least {@code raw}. */
    static double niceStep(double raw) {
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        for (double factor : new double[] {1, 2, 5, 10}) {
            if (factor * magnitude >= raw) {
                return Math.max(1, factor * magnitude);
            }
        }
        return 10 * magnitude;
    }

    private static int[] rankTicks(int ranks) {
        int step = (int) niceStep(Math.max(1, ranks / 10.0));
        List<Integer> ticks = new ArrayList<>();
        ticks.add(1);
        for (int t = step == 1 ? 2 : step; t <= ranks; t += step) {
            ticks.add(t);
        }
        return ticks.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String tickLabel(double v) {
        return v == Math.rint(v) ? String.format(Locale.ROOT, "%d", (long) v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static double[] toDouble(long[] values) {
        double[] d = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            d[i] = values[i];
        }
        return d;
    }

    private static double[] sortedDescending(double[] values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        for (int i = 0, j = sorted.length - 1; i < j; i++, j--) {
            double t = sorted[i];
            sorted[i] = sorted[j];
            sorted[j] = t;
        }
        return sorted;
    }

    private static double max(double[] values) {
        double m = 0;
        for (double v : values) {
            m = Math.max(m, v);
        }
        return m;
    }

    /** Text safe inside HTML/SVG elements and attribute values. */
    public static String escape(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (char ch : text.toCharArray()) {
            switch (ch) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
