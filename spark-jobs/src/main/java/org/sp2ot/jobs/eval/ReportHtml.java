package org.sp2ot.jobs.eval;

import static org.sp2ot.jobs.eval.SvgCharts.escape;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.sp2ot.train.CollapseCheck;
import java.util.function.ToDoubleFunction;
import org.sp2ot.jobs.extract.ImageFailures;
import org.sp2ot.jobs.io.RunDirectory;

/**
 * {@value #FILE_NAME} (DESIGN.md, "evaluate" row): one self-contained HTML page (inline CSS, SVG, one small inline
 * script for the gallery's search box, thumbnails as {@code data:} URIs; nothing fetched from anywhere) with, when
 * the input has labels, per split the scores table of all methods, the head / medium / tail accuracy bars and the
 * cluster-size profile against the class-size profile; then the label-free sections of {@link ReportSections}
 * (cluster sizes, class x cluster heat maps where labels exist, the 2-D map, training curves, the gallery); then
 * each method's per-class table (collapsed) and the run's parameters.
 */
public final class ReportHtml {

    /** The file's name in the run directory. */
    public static final String FILE_NAME = "report.html";

    /** Per-class tables longer than this are cut in the page (metrics.json keeps every class). */
    static final int MAX_CLASS_ROWS = 1000;

    private static final String[] PALETTE = {"#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2",
        "#ca8a04", "#db2777"};

    private static final String STYLE = """
            body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1100px;
                   color: #222; padding: 0 16px; }
            h1 { font-size: 24px; margin-bottom: 4px; }
            h2 { font-size: 19px; margin-top: 32px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
            p.note { color: #555; font-size: 13px; margin-top: 4px; }
            table { border-collapse: collapse; font-size: 13px; margin: 8px 0 16px; }
            th, td { padding: 4px 10px; border-bottom: 1px solid #e5e7eb; text-align: right; }
            th { background: #f3f4f6; }
            td.name, th.name { text-align: left; }
            td.best { font-weight: bold; }
            span.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 6px; }
            details { margin: 6px 0; }
            div.scroll { max-height: 480px; overflow-y: auto; display: inline-block; }
            summary { cursor: pointer; font-size: 14px; }
            div.row { display: flex; flex-wrap: wrap; gap: 6px; align-items: flex-start; }
            div.gcluster { border: 1px solid #e5e7eb; border-radius: 6px; padding: 6px; margin: 6px 0; }
            div.ghead { font-size: 13px; font-weight: bold; margin-bottom: 4px; }
            div.gthumbs img { margin: 1px; vertical-align: middle; min-height: 56px; image-rendering: pixelated; }
            span.glabel { font-size: 12px; color: #555; margin: 0 6px 0 12px; }
            input.search { font-size: 14px; padding: 4px 8px; margin: 6px 0; width: 260px; }
            span.missing { display: inline-block; width: 40px; font-size: 10px; color: #b91c1c; }
            """;

    private ReportHtml() {
    }

    /** The page of a labelled evaluation, without the label-free views, for a run with no unreadable images. */
    public static String render(EvaluationReport report) {
        return render(report, ReportViews.none(), ImageFailures.Summary.NONE, report.parameters());
    }

    /** {@link #render(EvaluationReport, ReportViews, ImageFailures.Summary, Map)} without unreadable images. */
    public static String render(EvaluationReport report, ReportViews views, Map<String, String> parameters) {
        return render(report, views, ImageFailures.Summary.NONE, parameters);
    }

    /**
     * The page: the scores (when {@code report} is not null, i.e. the input has labels), then the label-free
     * views (cluster sizes, the class x cluster heat maps where labels exist, the 2-D map, the training curves,
     * the gallery), then the per-class tables, the unreadable images and the parameters.
     */
    public static String render(EvaluationReport report, ReportViews views, ImageFailures.Summary failures,
            Map<String, String> parameters) {
        List<String> methods = report != null ? new ArrayList<>(report.methods().keySet())
                : views.methods().stream().map(ReportViews.MethodView::method).toList();
        Set<String> splits = new LinkedHashSet<>();
        if (report != null) {
            report.methods().values().forEach(bySplit -> splits.addAll(bySplit.keySet()));
        }
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>sp2ot evaluation report</title>\n<style>\n").append(STYLE).append("</style>\n")
                .append("</head>\n<body>\n<h1>sp2ot evaluation report</h1>\n")
                .append("<p class=\"note\">Methods: ").append(escape(String.join(", ", methods))).append(". ")
                .append(report != null ? "Scores in %, Hungarian-matched clusters (ALGORITHM.md §6): ACC is the mean"
                        + " per-class recall, F1 the macro F1; head / medium / tail are the 30% / 40% / 30% of classes"
                        + " by training size.</p>\n"
                        : "The input has no labels: the report shows what needs none (cluster sizes, the map, training,"
                        + " the gallery).</p>\n");
        for (String split : splits) {
            html.append("<h2>").append(escape(splitTitle(split))).append("</h2>\n");
            scoresTable(html, report, methods, split);
            for (String method : methods) {
                SplitMetrics m = report.methods().get(method).get(split);
                if (m != null) {
                    CollapseCheck.diagnose(method, m.clusterSizes()).ifPresent(warning -> html
                            .append("<p class=\"note\"><strong>Collapse:</strong> ").append(escape(warning))
                            .append("</p>\n"));
                }
            }
            html.append(SvgCharts.percentBars("Accuracy by class group — " + split,
                    List.of("Head", "Medium", "Tail", "All (ACC)"), groupSeries(report, methods, split)));
            long[] classSizes = firstWith(report, methods, split).classSizes();
            html.append(SvgCharts.sizeProfile("Cluster sizes vs class sizes — " + split, classSizes,
                    clusterSeries(report, methods, split)));
        }
        ReportSections.clusterSizes(html, views, methods);
        ReportSections.heatmaps(html, views);
        ReportSections.map(html, views);
        ReportSections.training(html, views);
        ReportSections.gallery(html, views);
        if (report != null) {
            html.append("<h2>Per-class results</h2>\n");
            for (String method : methods) {
                report.methods().get(method).forEach((split, metrics) -> perClassTable(html, method, split, metrics));
            }
        }
        imageFailuresSection(html, failures);
        html.append("<h2>Run parameters</h2>\n");
        parametersTable(html, parameters);
        return html.append("</body>\n</html>\n").toString();
    }

    /**
     * Writes {@value #FILE_NAME} into the run directory atomically (a staged file renamed into place): the page
     * with the label-free views and the unreadable-images section; {@code report} is null when the input has no
     * labels.
     */
    public static void write(RunDirectory run, EvaluationReport report, ReportViews views,
            ImageFailures.Summary failures, Map<String, String> parameters) throws IOException {
        run.writeFileAtomically(FILE_NAME, render(report, views, failures, parameters));
    }

    /** "Unreadable images": how many were left out (not scored) and the first paths; nothing when none were. */
    private static void imageFailuresSection(StringBuilder html, ImageFailures.Summary failures) {
        if (failures.count() == 0) {
            return;
        }
        html.append("<h2>Unreadable images</h2>\n<p class=\"note\">").append(failures.count())
                .append(" image file(s) could not be read and were left out (not clustered, not scored); all are "
                        + "listed in extract-failures/. The first ").append(failures.first().size())
                .append(" by path:</p>\n<ul>\n");
        for (String line : failures.first()) {
            html.append("<li><code>").append(escape(line)).append("</code></li>\n");
        }
        html.append("</ul>\n");
    }

    private static String splitTitle(String split) {
        return switch (split) {
            case EvaluateStage.TRAIN -> "Train split (imbalanced, transductive)";
            case EvaluateStage.TEST -> "Test split (balanced)";
            default -> "Split " + split;
        };
    }

    static String color(int methodIndex) {
        return PALETTE[methodIndex % PALETTE.length];
    }

    private static SplitMetrics firstWith(EvaluationReport report, List<String> methods, String split) {
        for (String method : methods) {
            SplitMetrics m = report.methods().get(method).get(split);
            if (m != null) {
                return m;
            }
        }
        throw new IllegalStateException("no method has split " + split);
    }

    private record Column(String title, ToDoubleFunction<SplitMetrics> score) {
    }

    private static final List<Column> SCORE_COLUMNS = List.of(new Column("ACC", SplitMetrics::acc),
            new Column("NMI", SplitMetrics::nmi), new Column("F1", SplitMetrics::f1),
            new Column("ARI", SplitMetrics::ari), new Column("Head", SplitMetrics::head),
            new Column("Medium", SplitMetrics::medium), new Column("Tail", SplitMetrics::tail),
            new Column("Instance acc.", SplitMetrics::instanceAccuracy));

    private static void scoresTable(StringBuilder html, EvaluationReport report, List<String> methods, String split) {
        html.append("<table>\n<tr><th class=\"name\">Method</th><th>Samples</th><th>Clusters used</th>");
        for (Column c : SCORE_COLUMNS) {
            html.append("<th>").append(escape(c.title())).append("</th>");
        }
        html.append("</tr>\n");
        double[] best = new double[SCORE_COLUMNS.size()];
        Arrays.fill(best, Double.NEGATIVE_INFINITY);
        for (String method : methods) {
            SplitMetrics m = report.methods().get(method).get(split);
            for (int c = 0; m != null && c < best.length; c++) {
                best[c] = Math.max(best[c], SCORE_COLUMNS.get(c).score().applyAsDouble(m));
            }
        }
        for (int i = 0; i < methods.size(); i++) {
            SplitMetrics m = report.methods().get(methods.get(i)).get(split);
            if (m == null) {
                continue;
            }
            html.append("<tr><td class=\"name\"><span class=\"swatch\" style=\"background:").append(color(i))
                    .append("\"></span>").append(escape(methods.get(i))).append("</td><td>").append(m.samples())
                    .append("</td><td>").append(nonEmpty(m.clusterSizes())).append(" / ")
                    .append(m.clusterSizes().length).append("</td>");
            for (int c = 0; c < best.length; c++) {
                double v = SCORE_COLUMNS.get(c).score().applyAsDouble(m);
                html.append(v == best[c] && methods.size() > 1 ? "<td class=\"best\">" : "<td>").append(percent(v))
                        .append("</td>");
            }
            html.append("</tr>\n");
        }
        html.append("</table>\n");
    }

    private static List<SvgCharts.Series> groupSeries(EvaluationReport report, List<String> methods, String split) {
        List<SvgCharts.Series> series = new ArrayList<>();
        for (int i = 0; i < methods.size(); i++) {
            SplitMetrics m = report.methods().get(methods.get(i)).get(split);
            if (m != null) {
                series.add(new SvgCharts.Series(methods.get(i), color(i),
                        new double[] {m.head(), m.medium(), m.tail(), m.acc()}));
            }
        }
        return series;
    }

    private static List<SvgCharts.Series> clusterSeries(EvaluationReport report, List<String> methods,
                                                        String split) {
        List<SvgCharts.Series> series = new ArrayList<>();
        for (int i = 0; i < methods.size(); i++) {
            SplitMetrics m = report.methods().get(methods.get(i)).get(split);
            if (m != null) {
                long[] sizes = m.clusterSizes();
                double[] values = new double[sizes.length];
                for (int c = 0; c < sizes.length; c++) {
                    values[c] = sizes[c];
                }
                series.add(new SvgCharts.Series(methods.get(i), color(i), values));
            }
        }
        return series;
    }

    private static void perClassTable(StringBuilder html, String method, String split, SplitMetrics m) {
        List<ClassResult> rows = m.perClass();
        html.append("<details><summary>").append(escape(method)).append(" — ").append(escape(split)).append(" (")
                .append(rows.size()).append(" classes)</summary>\n<div class=\"scroll\"><table>\n")
                .append("<tr><th>Class</th><th class=\"name\">Group</th><th>Train size</th><th>Size</th>")
                .append("<th>Cluster</th><th>Recall</th><th>Precision</th><th>F1</th></tr>\n");
        for (ClassResult row : rows.subList(0, Math.min(rows.size(), MAX_CLASS_ROWS))) {
            html.append("<tr><td>").append(row.label()).append("</td><td class=\"name\">").append(row.groupName())
                    .append("</td><td>").append(row.trainSize()).append("</td><td>").append(row.size())
                    .append("</td><td>").append(row.matchedCluster() == Hungarian.UNMATCHED ? "—"
                            : Integer.toString(row.matchedCluster()))
                    .append("</td><td>").append(percent(row.recall())).append("</td><td>")
                    .append(percent(row.precision())).append("</td><td>").append(percent(row.f1()))
                    .append("</td></tr>\n");
        }
        html.append("</table></div>\n");
        if (rows.size() > MAX_CLASS_ROWS) {
            html.append("<p class=\"note\">First ").append(MAX_CLASS_ROWS).append(" of ").append(rows.size())
                    .append(" classes shown; metrics.json lists all.</p>\n");
        }
        html.append("</details>\n");
    }

    private static void parametersTable(StringBuilder html, Map<String, String> parameters) {
        if (parameters.isEmpty()) {
            html.append("<p class=\"note\">No parameters recorded.</p>\n");
            return;
        }
        html.append("<table>\n");
        parameters.forEach((key, value) -> html.append("<tr><td class=\"name\">").append(escape(key))
                .append("</td><td class=\"name\">").append(escape(value)).append("</td></tr>\n"));
        html.append("</table>\n");
    }

    private static int nonEmpty(long[] sizes) {
        int n = 0;
        for (long s : sizes) {
            if (s > 0) {
                n++;
            }
        }
        return n;
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f", 100 * fraction);
    }
}
