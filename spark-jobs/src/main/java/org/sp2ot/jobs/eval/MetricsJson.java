package org.sp2ot.jobs.eval;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import org.sp2ot.jobs.io.RunDirectory;
import org.sp2ot.train.CollapseCheck;

/**
 * {@value #FILE_NAME} (DESIGN.md, "evaluate" row): the scores of every method on every split, as JSON.
 *
 * <pre>{@code
 * { "parameters": { "<key>": "<value>", ... },
 *   "methods": {
 *     "<method>": {                       // e.g. "sp2ot", "p2ot", "ot", "kmeans", in the report's order
 *       "<split>": {                      // "train" (imbalanced), "test" (balanced)
 *         "samples": N, "classes": C, "clusters": K,
 *         "acc": .., "nmi": .., "f1": .., "ari": .., "instance_acc": ..,   // fractions, never NaN
 *         "head": .., "medium": .., "tail": ..,
 *         "class_sizes": [..C], "cluster_sizes": [..K],
 *         "clusters_used": .., "largest_share": ..,  // non-empty clusters; the largest one's share of the rows
 *         "collapse": null or "<method> collapsed: ... Likely cause: ... Set ...",  // fewer than K/2 clusters used
 *         "per_class": [ { "class": c, "group": "head", "train_size": .., "size": .., "cluster": m or null,
 *                          "matched": .., "recall": .., "precision": .., "f1": .. }, ... ] } } } }
 * }</pre>
 */
public final class MetricsJson {

    /** The file's name in the run directory. */
    public static final String FILE_NAME = "metrics.json";

    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private MetricsJson() {
    }

    /** The report as (indented) JSON text. */
    public static String toJson(EvaluationReport report) {
        ObjectNode root = MAPPER.createObjectNode();
        ObjectNode parameters = root.putObject("parameters");
        report.parameters().forEach(parameters::put);
        ObjectNode methods = root.putObject("methods");
        for (Map.Entry<String, Map<String, SplitMetrics>> method : report.methods().entrySet()) {
            ObjectNode splits = methods.putObject(method.getKey());
            method.getValue().forEach((split, metrics) -> splitNode(splits.putObject(split), method.getKey(),
                    metrics));
        }
        try {
            return MAPPER.writeValueAsString(root);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes {@value #FILE_NAME} into the run directory atomically (a staged file renamed into place, on any
     * Hadoop file system).
     */
    public static void write(RunDirectory run, EvaluationReport report) throws IOException {
        run.writeFileAtomically(FILE_NAME, toJson(report));
    }

    private static void splitNode(ObjectNode node, String method, SplitMetrics m) {
        node.put("samples", m.samples());
        node.put("classes", m.classSizes().length);
        node.put("clusters", m.clusterSizes().length);
        node.put("acc", m.acc());
        node.put("nmi", m.nmi());
        node.put("f1", m.f1());
        node.put("ari", m.ari());
        node.put("instance_acc", m.instanceAccuracy());
        node.put("head", m.head());
        node.put("medium", m.medium());
        node.put("tail", m.tail());
        ArrayNode classSizes = node.putArray("class_sizes");
        for (long size : m.classSizes()) {
            classSizes.add(size);
        }
        ArrayNode clusterSizes = node.putArray("cluster_sizes");
        for (long size : m.clusterSizes()) {
            clusterSizes.add(size);
        }
        node.put("clusters_used", CollapseCheck.clustersUsed(m.clusterSizes()));
        node.put("largest_share", CollapseCheck.largestShare(m.clusterSizes()));
        Optional<String> collapse = CollapseCheck.diagnose(method, m.clusterSizes());
        if (collapse.isPresent()) {
            node.put("collapse", collapse.get());
        } else {
            node.putNull("collapse");
        }
        ArrayNode perClass = node.putArray("per_class");
        for (ClassResult row : m.perClass()) {
            ObjectNode r = perClass.addObject();
            r.put("class", row.label());
            r.put("group", row.groupName());
            r.put("train_size", row.trainSize());
            r.put("size", row.size());
            if (row.matchedCluster() == Hungarian.UNMATCHED) {
                r.putNull("cluster");
            } else {
                r.put("cluster", row.matchedCluster());
            }
            r.put("matched", row.matchedCount());
            r.put("recall", row.recall());
            r.put("precision", row.precision());
            r.put("f1", row.f1());
        }
    }
}
