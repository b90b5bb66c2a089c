package org.sp2ot.jobs.choosek;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import org.sp2ot.jobs.eval.SvgCharts;

/**
 * {@value #JSON_FILE} and {@value #HTML_FILE}, and the console table, of a {@link ChooseKResult}.
 *
 * <pre>{@code
 * { "suggested_k": 10, "best_candidate": 12, "tolerance": 0.05, "samples": N, "train_samples": n, "edges": E, "epochs": 5,
 *   "seeds": [0, 1],
 *   "candidates": [ { "k": 5, "non_empty": 5.0, "effective_clusters": 4.8, "graph_agreement": 0.97,
 *                     "random_agreement": 0.21, "adjusted_agreement": 0.96, "stability": 0.93, "score": 0.89,
 *                     "seconds": 4.1 }, ... ] }
 * }</pre>
 */
public final class ChooseKReport {

    public static final String JSON_FILE = "choose-k.json";
    public static final String HTML_FILE = "choose-k.html";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private ChooseKReport() {
    }

    /** The result as indented JSON. */
    public static String toJson(ChooseKResult result) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("suggested_k", result.suggested());
        root.put("best_candidate", result.best());
        root.put("tolerance", result.tolerance());
        root.put("samples", result.samples());
        root.put("train_samples", result.trainSamples());
        root.put("edges", result.edges());
        root.put("epochs", result.epochs());
        ArrayNode seeds = root.putArray("seeds");
        for (long seed : result.seeds()) {
            seeds.add(seed);
        }
        ArrayNode candidates = root.putArray("candidates");
        for (CandidateScore c : result.candidates()) {
            ObjectNode node = candidates.addObject();
            node.put("k", c.k());
            node.put("non_empty", c.nonEmpty());
            node.put("effective_clusters", c.effectiveClusters());
            node.put("graph_agreement", c.graphAgreement());
            node.put("random_agreement", c.randomAgreement());
            node.put("adjusted_agreement", c.adjustedAgreement());
            node.put("stability", c.stability());
            node.put("score", c.score());
            node.put("seconds", c.seconds());
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The table printed at the end of {@code choose-k}, the suggestion marked with {@code <-}. */
    public static String table(ChooseKResult result) {
        StringBuilder text = new StringBuilder();
        text.append(String.format(Locale.ROOT, "%6s %9s %9s %9s %9s %9s %9s %7s%n", "K", "non-empty", "effective",
                "graph", "random", "adj.graph", "stability", "score"));
        for (CandidateScore c : result.candidates()) {
            text.append(String.format(Locale.ROOT, "%6d %9.1f %9.1f %9.3f %9.3f %9.3f %9.3f %7.3f%s%n", c.k(),
                    c.nonEmpty(), c.effectiveClusters(), c.graphAgreement(), c.randomAgreement(),
                    c.adjustedAgreement(), c.stability(), c.score(), c.k() == result.best() ? "  <- best" : ""));
        }
        text.append(String.format(Locale.ROOT, "suggested K = %d: the clusters in use of K = %d, the largest K scoring"
                + " within %.0f%% of the best score (score = adjusted graph agreement x stability)%n",
                result.suggested(), result.best(), 100 * result.tolerance()));
        String edge = edgeWarning(result);
        if (edge != null) {
            text.append("note: ").append(edge).append('\n');
        }
        return text.toString();
    }

    /**
     * A warning when the best candidate is the smallest or largest tried (the score may peak outside the range),
     * else null.
     */
    public static String edgeWarning(ChooseKResult result) {
        List<CandidateScore> cs = result.candidates();
        if (result.best() == cs.get(0).k()) {
            return "the best candidate is the smallest K tried; the score may peak below it: try a range reaching"
                    + " lower";
        }
        if (result.best() == cs.get(cs.size() - 1).k()) {
            return "the best candidate is the largest K tried; the score may peak above it: try a range reaching"
                    + " higher";
        }
        return null;
    }

    /** A self-contained page: the criteria against K as line charts, and the table. */
    public static String html(ChooseKResult result, String runDescription) {
        List<CandidateScore> cs = result.candidates();
        double[] ks = cs.stream().mapToDouble(CandidateScore::k).toArray();
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<title>sp2ot choose-k</title>\n<style>\n")
                .append("body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 1100px; color: #222;"
                        + " padding: 0 16px; }\n")
                .append("table { border-collapse: collapse; font-size: 13px; margin: 12px 0; }\n")
                .append("th, td { padding: 4px 10px; border-bottom: 1px solid #e5e7eb; text-align: right; }\n")
                .append("th { background: #f3f4f6; } tr.pick td { font-weight: bold; background: #fef9c3; }\n")
                .append("p.note { color: #555; font-size: 13px; } p.warn { color: #b45309; }\n")
                .append("div.charts { display: flex; flex-wrap: wrap; gap: 8px; }\n")
                .append("</style>\n</head>\n<body>\n<h1>Choosing K</h1>\n")
                .append("<p><b id=\"suggested\">Suggested K = ").append(result.suggested()).append("</b>: the")
                .append(" clusters in use of the best candidate, K = ").append(result.best()).append("</p>\n")
                .append(edgeWarning(result) == null ? "" : "<p class=\"warn\">Note: "
                        + SvgCharts.escape(edgeWarning(result)) + ".</p>\n")
                .append(String.format(Locale.ROOT, "<p class=\"note\">%s. Each candidate: two P2OT heads (seeds %d,"
                        + " %d) of %d epochs on %d of %d rows, every row assigned; %d k-NN edges scored. Score ="
                        + " graph agreement above chance x stability; the best candidate is the largest K within"
                        + " %.0f%% of the best score. No label is used.</p>%n", SvgCharts.escape(runDescription),
                        result.seeds()[0], result.seeds()[1], result.epochs(), result.trainSamples(), result.samples(),
                        result.edges(), 100 * result.tolerance()));
        html.append("<div class=\"charts\">\n");
        html.append(SvgCharts.lineChart("Score and its two factors", ks, List.of(
                series("score", "#111827", cs, CandidateScore::score),
                series("adjusted graph agreement", "#2563eb", cs, CandidateScore::adjustedAgreement),
                series("stability (ARI)", "#dc2626", cs, CandidateScore::stability)), "K", 540, 300));
        html.append(SvgCharts.lineChart("Clusters in use", ks, List.of(
                series("K", "#9ca3af", cs, CandidateScore::k),
                series("non-empty", "#16a34a", cs, CandidateScore::nonEmpty),
                series("effective (exp entropy)", "#9333ea", cs, CandidateScore::effectiveClusters)), "K", 540, 300));
        html.append(SvgCharts.lineChart("Share of k-NN edges inside a cluster", ks, List.of(
                series("observed", "#2563eb", cs, CandidateScore::graphAgreement),
                series("random, same sizes", "#9ca3af", cs, CandidateScore::randomAgreement)), "K", 540, 300));
        html.append("</div>\n<table>\n<tr><th>K</th><th>non-empty</th><th>effective</th><th>graph agreement</th>"
                + "<th>random</th><th>adjusted</th><th>stability</th><th>score</th><th>seconds</th></tr>\n");
        for (CandidateScore c : cs) {
            html.append(c.k() == result.best() ? "<tr class=\"pick\">" : "<tr>")
                    .append(String.format(Locale.ROOT, "<td>%d</td><td>%.1f</td><td>%.1f</td><td>%.3f</td><td>%.3f"
                                    + "</td><td>%.3f</td><td>%.3f</td><td>%.3f</td><td>%.1f</td></tr>%n", c.k(),
                            c.nonEmpty(), c.effectiveClusters(), c.graphAgreement(), c.randomAgreement(),
                            c.adjustedAgreement(), c.stability(), c.score(), c.seconds()));
        }
        return html.append("</table>\n</body>\n</html>\n").toString();
    }

    private static SvgCharts.Series series(String name, String color, List<CandidateScore> cs,
            ToDoubleFunction<CandidateScore> value) {
        return new SvgCharts.Series(name, color, cs.stream().mapToDouble(value).toArray());
    }
}
