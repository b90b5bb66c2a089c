package org.sp2ot.jobs.eval;

import static org.sp2ot.jobs.eval.SvgCharts.escape;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's sections that need no labels (and the heat maps that use them where they exist), as HTML:
 * cluster sizes, class x cluster heat maps, the 2-D map, training curves and the cluster gallery. Each writes
 * nothing when its data is absent.
 */
final class ReportSections {
    private static final String CLASS_COLOR = "#9ca3af";
    private static final int SMALL_W = 300;
    private static final int SMALL_H = 170;

    private ReportSections() {
    }

    /** Sizes table (clusters in use, largest, share of the largest 10%) and the log-binned size histogram. */
    static void clusterSizes(StringBuilder html, ReportViews views, List<String> order) {
        if (views.methods().isEmpty()) {
            return;
        }
        html.append("<h2 id=\"sizes\">Cluster sizes (training split)</h2>\n<table>\n<tr><th class=\"name\">Method"
                + "</th><th>Samples</th><th>Clusters in use</th><th>Largest</th><th>Smallest in use</th>"
                + "<th>Share in largest 10%</th></tr>\n");
        List<SvgCharts.Series> series = new ArrayList<>();
        int i = 0;
        for (ReportViews.MethodView m : views.methods()) {
            int index = Math.max(0, order.indexOf(m.method()));
            sizeRow(html, m.method(), ReportHtml.color(index), m.clusterSizes(), "sizes-" + m.method());
            series.add(new SvgCharts.Series(m.method(), ReportHtml.color(index), toDouble(m.clusterSizes())));
            i++;
        }
        if (views.classSizes() != null) {
            sizeRow(html, "classes (labels)", CLASS_COLOR, views.classSizes(), "sizes-classes");
            series.add(new SvgCharts.Series("classes", CLASS_COLOR, toDouble(views.classSizes())));
        }
        html.append("</table>\n");
        html.append(SvgCharts.logSizeHistogram("How many clusters have each size", series, 1000, 300));
    }

    private static void sizeRow(StringBuilder html, String name, String color, long[] sizes, String id) {
        long total = 0;
        long largest = 0;
        long smallest = Long.MAX_VALUE;
        int used = 0;
        for (long s : sizes) {
            total += s;
            largest = Math.max(largest, s);
            if (s > 0) {
                used++;
                smallest = Math.min(smallest, s);
            }
        }
        html.append("<tr id=\"").append(escape(id)).append("\"><td class=\"name\"><span class=\"swatch\" style=\"")
                .append("background:").append(color).append("\"></span>").append(escape(name)).append("</td><td>")
                .append(total).append("</td><td class=\"used\">").append(used).append(" / ").append(sizes.length)
                .append("</td><td>").append(largest).append("</td><td>").append(used == 0 ? "—" : smallest)
                .append("</td><td class=\"top10\">")
                .append(String.format(Locale.ROOT, "%.1f%%", 100 * ReportViews.largestTenthShare(sizes)))
                .append("</td></tr>\n");
    }

    /** Per method, the class x cluster counts of the training split, classes by size, clusters by Hungarian match. */
    static void heatmaps(StringBuilder html, ReportViews views) {
        if (views.classSizes() == null) {
            return;
        }
        html.append("<h2 id=\"heatmaps\">Classes × clusters (training split)</h2>\n<p class=\"note\">Rows: classes by"
                + " decreasing size. Columns: the cluster Hungarian-matched to each row's class in the same order"
                + " (a bright diagonal is a clean match), then the unmatched clusters by size. Colour: the share of"
                + " the class in that cluster.</p>\n<div class=\"row\">\n");
        for (ReportViews.MethodView m : views.methods()) {
            if (m.classByCluster() == null) {
                continue;
            }
            long[][] counts = m.classByCluster();
            long[] classSizes = ClusteringMetrics.rowSums(counts);
            Integer[] rows = new Integer[counts.length];
            for (int r = 0; r < rows.length; r++) {
                rows[r] = r;
            }
            Arrays.sort(rows, Comparator.comparing((Integer r) -> -classSizes[r]).thenComparing(r -> r));
            int[] matching = Hungarian.maximize(counts);
            long[] clusterSizes = ClusteringMetrics.columnSums(counts);
            List<Integer> columns = new ArrayList<>();
            boolean[] placed = new boolean[clusterSizes.length];
            for (int r : rows) {
                int c = matching[r];
                if (c != Hungarian.UNMATCHED && !placed[c]) {
                    columns.add(c);
                    placed[c] = true;
                }
            }
            List<Integer> rest = new ArrayList<>();
            for (int c = 0; c < clusterSizes.length; c++) {
                if (!placed[c]) {
                    rest.add(c);
                }
            }
            rest.sort(Comparator.comparing((Integer c) -> -clusterSizes[c]).thenComparing(c -> c));
            columns.addAll(rest);
            long[][] ordered = new long[rows.length][columns.size()];
            String[] rowNames = new String[rows.length];
            String[] columnNames = new String[columns.size()];
            for (int r = 0; r < rows.length; r++) {
                rowNames[r] = Integer.toString(rows[r]);
                for (int c = 0; c < columns.size(); c++) {
                    ordered[r][c] = counts[rows[r]][columns.get(c)];
                }
            }
            for (int c = 0; c < columns.size(); c++) {
                columnNames[c] = Integer.toString(columns.get(c));
            }
            html.append("<div class=\"heatmap\" id=\"heatmap-").append(escape(m.method())).append("\">")
                    .append(SvgCharts.heatmap("Class × cluster — " + m.method(), ordered, rowNames, columnNames,
                            "class", "cluster"))
                    .append("</div>\n");
        }
        html.append("</div>\n");
    }

    /** The sampled rows on their two principal components, one map per method coloured by cluster. */
    static void map(StringBuilder html, ReportViews views) {
        ReportViews.MapSample map = views.map();
        if (map == null) {
            return;
        }
        int points = map.xy().length / 2;
        html.append("<h2 id=\"map\">Map of the features (PCA)</h2>\n<p class=\"note\">").append(points)
                .append(" training rows sampled at random, projected on the two leading principal components of the"
                        + " features; colour = cluster").append(map.labels() != null ? " (last map: class)" : "")
                .append(". Clusters that overlap here may still separate in the full feature space.</p>\n")
                .append("<div class=\"row\">\n");
        for (ReportViews.MethodView m : views.methods()) {
            if (m.mapClusters() != null) {
                html.append(SvgCharts.scatter(m.method(), map.xy(), m.mapClusters(), 320, 300));
            }
        }
        if (map.labels() != null) {
            html.append(SvgCharts.scatter("classes (labels)", map.xy(), map.labels(), 320, 300));
        }
        html.append("</div>\n");
    }

    /** Per trained method, one small line chart per train-log quantity present. */
    static void training(StringBuilder html, ReportViews views) {
        boolean any = views.methods().stream().anyMatch(m -> !m.curves().isEmpty());
        if (!any) {
            return;
        }
        html.append("<h2 id=\"training\">Training per method</h2>\n<p class=\"note\">From train-log/&lt;method&gt;.jsonl,"
                + " one point per epoch.</p>\n");
        int index = 0;
        for (ReportViews.MethodView m : views.methods()) {
            if (m.curves().isEmpty()) {
                index++;
                continue;
            }
            html.append("<h3>").append(escape(m.method())).append("</h3>\n<div class=\"row training\" id=\"training-")
                    .append(escape(m.method())).append("\">\n");
            for (Map.Entry<String, double[]> field : m.curves().series().entrySet()) {
                html.append(SvgCharts.lineChart(TrainCurves.FIELDS.get(field.getKey()), m.curves().epochs(),
                        List.of(new SvgCharts.Series(field.getKey(), ReportHtml.color(index), field.getValue())),
                        "epoch", SMALL_W, SMALL_H));
            }
            html.append("</div>\n");
            index++;
        }
    }

    /** The gallery of the first method that has one, with a search box filtering by cluster id. */
    static void gallery(StringBuilder html, ReportViews views) {
        for (ReportViews.MethodView m : views.methods()) {
            if (m.gallery() == null) {
                continue;
            }
            html.append("<h2 id=\"gallery\">Cluster gallery — ").append(escape(m.method())).append("</h2>\n")
                    .append("<p class=\"note\">The ").append(m.gallery().size())
                    .append(" largest clusters of the training split, by decreasing size: the ")
                    .append(ClusterGallery.CONFIDENT).append(" most confident members, then ")
                    .append(ClusterGallery.UNCERTAIN).append(" of the least confident. Hover a thumbnail for its id and"
                            + " confidence.</p>\n")
                    .append("<input class=\"search\" id=\"gallery-search\" type=\"search\" placeholder=\"cluster id"
                            + " (e.g. 7 or 3,12)\" aria-label=\"filter clusters by id\">\n<div id=\"gallery-clusters\">\n");
            for (ClusterGallery.Cluster c : m.gallery()) {
                html.append("<div class=\"gcluster\" data-cluster=\"").append(c.cluster()).append("\">")
                        .append("<div class=\"ghead\">Cluster ").append(c.cluster()).append(" — ").append(c.size())
                        .append(" samples</div><div class=\"gthumbs\">");
                thumbs(html, c.confident());
                if (!c.uncertain().isEmpty()) {
                    html.append("<span class=\"glabel\">least confident:</span>");
                    thumbs(html, c.uncertain());
                }
                html.append("</div></div>\n");
            }
            html.append("</div>\n<script>\n(function () {\n"
                    + "  var box = document.getElementById('gallery-search');\n"
                    + "  box.addEventListener('input', function () {\n"
                    + "    var wanted = box.value.split(/[\\s,]+/).filter(function (t) { return t.length > 0; });\n"
                    + "    document.querySelectorAll('#gallery-clusters .gcluster').forEach(function (div) {\n"
                    + "      div.style.display = wanted.length === 0 || wanted.indexOf(div.dataset.cluster) >= 0"
                    + " ? '' : 'none';\n"
                    + "    });\n  });\n})();\n</script>\n");
            return;
        }
    }

    private static void thumbs(StringBuilder html, List<ClusterGallery.Thumb> thumbs) {
        for (ClusterGallery.Thumb t : thumbs) {
            String tip = String.format(Locale.ROOT, "id %d, confidence %.3f", t.id(), t.confidence());
            if (t.dataUri() == null) {
                html.append("<span class=\"missing\" title=\"").append(escape(tip + ": " + t.error()))
                        .append("\">unreadable</span>");
            } else {
                html.append("<img alt=\"").append(escape(tip)).append("\" title=\"").append(escape(tip))
                        .append("\" src=\"").append(t.dataUri()).append("\">");
            }
        }
    }

    private static double[] toDouble(long[] values) {
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }
}
