package org.sp2ot.jobs.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.datasets.LongTailProfile;
import org.sp2ot.jobs.io.RunDirectory;

class MetricsJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Test
    void parsesBackWithOneEntryPerMethodAndSplitHoldingEveryScore() throws Exception {
        EvaluationReport report = ReportFixtures.twoMethods();
        JsonNode root = MAPPER.readTree(MetricsJson.toJson(report));
        assertEquals(List.of("sp2ot", "kmeans"), fieldNames(root.get("methods")));
        for (String method : List.of("sp2ot", "kmeans")) {
            assertEquals(List.of("train", "test"), fieldNames(root.get("methods").get(method)));
            for (String split : List.of("train", "test")) {
                JsonNode node = root.get("methods").get(method).get(split);
                SplitMetrics m = report.methods().get(method).get(split);
                assertEquals(m.acc(), node.get("acc").asDouble(), 0.0);
                assertEquals(m.nmi(), node.get("nmi").asDouble(), 0.0);
                assertEquals(m.f1(), node.get("f1").asDouble(), 0.0);
                assertEquals(m.ari(), node.get("ari").asDouble(), 0.0);
                assertEquals(m.head(), node.get("head").asDouble(), 0.0);
                assertEquals(m.medium(), node.get("medium").asDouble(), 0.0);
                assertEquals(m.tail(), node.get("tail").asDouble(), 0.0);
                assertEquals(m.samples(), node.get("samples").asLong());
                assertEquals(5, node.get("per_class").size());
                assertEquals(5, node.get("cluster_sizes").size());
            }
        }
        assertEquals("test-run", root.get("parameters").get("run_id").asText());
    }

    @Test
    void writesThePerClassTableWithGroupsAndMatchedClusters() throws Exception {
        JsonNode perClass = MAPPER.readTree(MetricsJson.toJson(ReportFixtures.twoMethods()))
                .get("methods").get("sp2ot").get("train").get("per_class");
        JsonNode first = perClass.get(0);
        assertEquals(0, first.get("class").asInt());
        assertEquals("head", first.get("group").asText());
        assertEquals(12, first.get("train_size").asLong());
        assertEquals(0, first.get("cluster").asInt());
        assertEquals(10.0 / 12, first.get("recall").asDouble(), 1e-15);
        assertEquals("tail", perClass.get(4).get("group").asText());
    }

    @Test
    void aCollapsedClusteringIsFlaggedWithItsCauseAndClustersUsed() throws Exception {
        LongTailProfile profile = LongTailProfile.fromCounts(new long[] {3, 2});
        SplitMetrics collapsed = ClusteringMetrics.evaluate(new long[][] {{3, 0, 0, 0}, {2, 0, 0, 0}}, profile);
        SplitMetrics healthy = ClusteringMetrics.evaluate(new long[][] {{3, 0, 0, 0}, {0, 2, 0, 0}}, profile);
        String json = MetricsJson.toJson(new EvaluationReport(Map.of("sp2ot", Map.of("train", collapsed),
                "p2ot", Map.of("train", healthy)), Map.of()));
        JsonNode methods = MAPPER.readTree(json).get("methods");
        JsonNode sp2ot = methods.get("sp2ot").get("train");
        assertEquals(1, sp2ot.get("clusters_used").asInt());
        assertEquals(1.0, sp2ot.get("largest_share").asDouble(), 0.0);
        assertTrue(sp2ot.get("collapse").asText().contains("only 1 of 4 clusters"), sp2ot.toString());
        assertTrue(sp2ot.get("collapse").asText().contains("train.lam0"), sp2ot.toString());
        JsonNode p2ot = methods.get("p2ot").get("train");
        assertEquals(2, p2ot.get("clusters_used").asInt());
        assertTrue(p2ot.get("collapse").isNull());
    }

    @Test
    void writesAnUnmatchedClassAsANullCluster() throws Exception {
        SplitMetrics m = ClusteringMetrics.evaluate(new long[][] {{3}, {2}}, LongTailProfile.fromCounts(
                new long[] {3, 2}));
        String json = MetricsJson.toJson(new EvaluationReport(Map.of("ot", Map.of("train", m)), Map.of()));
        JsonNode second = MAPPER.readTree(json).get("methods").get("ot").get("train").get("per_class").get(1);
        assertTrue(second.get("cluster").isNull());
        assertFalse(json.contains("NaN"));
    }

    @Test
    void writesMetricsJsonIntoTheRunDirectoryLeavingNoStagedFile(@TempDir Path out) throws Exception {
        try (RunDirectory run = RunDirectory.open(new Configuration(), out.toString(), "r1")) {
            MetricsJson.write(run, ReportFixtures.twoMethods());
        }
        Path written = out.resolve("r1").resolve(MetricsJson.FILE_NAME);
        JsonNode root = MAPPER.readTree(Files.readString(written, StandardCharsets.UTF_8));
        assertTrue(root.get("methods").has("sp2ot"));
        Path staging = out.resolve("r1").resolve(RunDirectory.STAGING);
        assertTrue(!Files.exists(staging) || Files.list(staging).findAny().isEmpty());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
