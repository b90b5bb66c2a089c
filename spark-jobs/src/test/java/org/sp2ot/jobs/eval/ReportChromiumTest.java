package org.sp2ot.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * report.html as a browser shows it: headless Chromium loads the page (no network), runs its script, and the test
 * reads the DOM Chromium serialises and a screenshot. Skipped where no Chromium is installed ({@code apt-get
 * install chromium}; .ci/run installs it).
 */
class ReportChromiumTest {
    @TempDir
    static Path dir;
    private static String chromium;

    @BeforeAll
    static void findChromium() {
        for (String candidate : new String[] {"/usr/bin/chromium", "/usr/bin/chromium-browser",
            "/usr/bin/google-chrome"}) {
            if (new File(candidate).canExecute()) {
                chromium = candidate;
                return;
            }
        }
    }

    private static String run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu",
                "--no-first-run", "--disable-extensions", "--hide-scrollbars",
                "--user-data-dir=" + dir.resolve("profile")));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(false)
                .redirectError(dir.resolve("chromium.err").toFile()).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "chromium did not finish");
        assertEquals(0, process.exitValue(), Files.readString(dir.resolve("chromium.err")));
        return out;
    }

    private static String dom(Path page) throws Exception {
        return run("--virtual-time-budget=2000", "--dump-dom", page.toUri().toString());
    }

    private static BufferedImage screenshot(Path page, String name) throws Exception {
        Path png = dir.resolve(name);
        run("--window-size=1200,3000", "--screenshot=" + png, page.toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "the screenshot is not a PNG");
        return image;
    }

    private static int count(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    private static Path write(String name, String html) throws Exception {
        Path page = dir.resolve(name);
        Files.writeString(page, html, StandardCharsets.UTF_8);
        return page;
    }

    @Test
    void withoutLabelsTheLabelFreeSectionsRenderWithTheirCounts() throws Exception {
        assumeTrue(chromium != null, "no chromium on this machine");
        Path page = write("nolabels.html", ReportHtml.render(null, ReportViewsFixtures.views(false, true),
                Map.of("run-id", "no-labels")));
        String dom = dom(page);
        for (String section : new String[] {"sizes", "map", "training", "gallery"}) {
            assertTrue(dom.contains("id=\"" + section + "\""), section);
        }
        assertFalse(dom.contains("id=\"heatmaps\""));
        assertFalse(dom.contains("Train split"));
        assertTrue(dom.contains("<td class=\"used\">4 / 5</td>"), "sp2ot uses 4 of 5 clusters");
        // largest 10% of 5 clusters = the largest one: 12 of 24 samples
        assertTrue(dom.matches("(?s).*id=\"sizes-sp2ot\".*?<td class=\"top10\">50\\.0%</td>.*"));
        // six train-log fields, one chart each, for sp2ot only (k-means has no log)
        assertTrue(dom.contains("id=\"training-sp2ot\""));
        assertFalse(dom.contains("id=\"training-kmeans\""));
        assertEquals(6, count(dom.substring(dom.indexOf("id=\"training-sp2ot\""), dom.indexOf("id=\"gallery\"")),
                "<svg "));
        assertTrue(dom.contains("<title>clusters in use</title>") && dom.contains("<title>mean sample weight</title>"));
        assertEquals(2, count(dom, "class=\"gcluster\""));
        assertEquals(8 + 3 + 6, count(dom, "<img "));
        assertTrue(screenshot(page, "nolabels.png").getWidth() == 1200);
    }

    @Test
    void withLabelsTheScoresAndTheHeatMapsAreAddedBesideTheLabelFreeSections() throws Exception {
        assumeTrue(chromium != null, "no chromium on this machine");
        EvaluationReport report = ReportFixtures.twoMethods();
        Path page = write("labels.html", ReportHtml.render(report, ReportViewsFixtures.views(true, false),
                report.parameters()));
        String dom = dom(page);
        for (String section : new String[] {"sizes", "heatmaps", "map", "training"}) {
            assertTrue(dom.contains("id=\"" + section + "\""), section);
        }
        assertTrue(dom.contains("Train split (imbalanced, transductive)"));
        assertTrue(dom.contains("id=\"sizes-classes\""), "class sizes shown beside the clusters");
        // classes 12, 6, 3, 2, 1: the largest 10% (one class) holds 12 of 24
        assertTrue(dom.matches("(?s).*id=\"sizes-classes\".*?<td class=\"used\">5 / 5</td>.*?50\\.0%.*"));
        assertTrue(dom.contains("id=\"heatmap-sp2ot\"") && dom.contains("id=\"heatmap-kmeans\""));
        assertFalse(dom.contains("id=\"gallery\""), "no gallery for feature inputs");
        // one map per method plus the one coloured by class
        String map = dom.substring(dom.indexOf("id=\"map\""), dom.indexOf("id=\"training\""));
        assertEquals(3, count(map, "<svg "));
        screenshot(page, "labels.png");
    }

    @Test
    void theSearchBoxKeepsOnlyTheClustersAsked() throws Exception {
        assumeTrue(chromium != null, "no chromium on this machine");
        String html = ReportHtml.render(null, ReportViewsFixtures.views(false, true), Map.of())
                .replace("</body>", "<script>var b=document.getElementById('gallery-search');b.value='1';"
                        + "b.dispatchEvent(new Event('input'));</script></body>");
        String dom = dom(write("search.html", html));
        assertTrue(dom.contains("data-cluster=\"0\" style=\"display: none;\""), "cluster 0 hidden");
        assertTrue(dom.matches("(?s).*data-cluster=\"1\"(?! style=\"display: none;\").*"), "cluster 1 shown");
    }
}
