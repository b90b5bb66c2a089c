package org.sp2ot.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.jobs.io.RunDirectory;

class ReportHtmlTest {

    private static final String HTML = ReportHtml.render(ReportFixtures.twoMethods());

    private static int count(String text, String needle) {
        Matcher m = Pattern.compile(Pattern.quote(needle)).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    @Test
    void drawsAGroupChartAndASizeChartPerSplit() {
        assertEquals(4, count(HTML, "<svg "));
        assertEquals(1, count(HTML, "<title>Accuracy by class group — train</title>"));
        assertEquals(1, count(HTML, "<title>Cluster sizes vs class sizes — test</title>"));
        assertTrue(HTML.contains("<polyline"));
    }

    @Test
    void loadsNothingFromOutsideThePage() {
        String full = ReportHtml.render(ReportFixtures.twoMethods(), ReportViewsFixtures.views(true, true),
                ReportFixtures.twoMethods().parameters());
        // thumbnails are data: URIs (whose base64 may hold "//"); take them out, then nothing may point outside
        String lower = full.toLowerCase(Locale.ROOT).replaceAll("src=\"data:image/jpeg;base64,[a-z0-9+/=]*\"", "");
        assertTrue(full.contains("<img "));
        for (String external : new String[] {"http:", "https:", "//", "src=", "href=", "<script src", "<link",
            "url(", "@import"}) {
            assertFalse(lower.replace("<!doctype html>", "").contains(external), external);
        }
    }

    @Test
    void withoutViewsThePageHasNoLabelFreeSections() {
        assertFalse(HTML.contains("id=\"sizes\""));
        assertFalse(HTML.contains("id=\"gallery\""));
    }

    @Test
    void tabulatesEveryMethodOnEverySplit() {
        SplitMetrics kmeansTest = ReportFixtures.twoMethods().methods().get("kmeans").get("test");
        assertTrue(HTML.contains(String.format(Locale.ROOT, "<td>%.1f</td>", 100 * kmeansTest.acc()))
                || HTML.contains(String.format(Locale.ROOT, "<td class=\"best\">%.1f</td>", 100 * kmeansTest.acc())));
        assertEquals(2, count(HTML, "<h2>"
                + "Train split (imbalanced, transductive)</h2>") + count(HTML, "<h2>Test split (balanced)</h2>"));
        assertEquals(4, count(HTML, "<details>"));
    }

    @Test
    void listsTheRunParametersEscaped() {
        assertTrue(HTML.contains("<td class=\"name\">train.k</td><td class=\"name\">5</td>"));
        assertTrue(HTML.contains("&lt;b&gt;escaped&lt;/b&gt; &amp; kept"));
        assertFalse(HTML.contains("<b>escaped"));
    }

    @Test
    void writesReportHtmlIntoTheRunDirectory(@TempDir Path out) throws Exception {
        try (RunDirectory run = RunDirectory.open(new Configuration(), out.toString(), "r1")) {
            ReportHtml.write(run, ReportFixtures.twoMethods(), ReportViews.none(),
                    org.sp2ot.jobs.extract.ImageFailures.Summary.NONE, ReportFixtures.twoMethods().parameters());
        }
        assertEquals(HTML, Files.readString(out.resolve("r1").resolve(ReportHtml.FILE_NAME), StandardCharsets.UTF_8));
    }
}
