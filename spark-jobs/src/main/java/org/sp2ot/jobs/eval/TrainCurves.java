package org.sp2ot.jobs.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * A method's training story from {@code train-log/<method>.jsonl}: per epoch, the quantities the report charts
 * ({@link #FIELDS}, in that order). A field no line has is left out; a line without it (or with null) has NaN
 * there, which breaks the chart's line.
 *
 * @param epochs the epoch numbers, 1-based
 * @param series field name to one value per epoch, only fields present in the log
 */
public record TrainCurves(double[] epochs, Map<String, double[]> series) {

    /** The charted train-log fields and their titles. */
    public static final Map<String, String> FIELDS;

    static {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("loss", "loss");
        fields.put("rho", "rho (transported mass)");
        fields.put("lam", "lam (graph weight)");
        fields.put("mean_weight", "mean sample weight");
        fields.put("clusters_used", "clusters in use");
        fields.put("largest_share", "largest-cluster share");
        FIELDS = Collections.unmodifiableMap(fields);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Parses JSONL text; a line that is not a JSON object is an error naming its number. */
    public static TrainCurves parse(String jsonl, String source) {
        List<JsonNode> lines = new ArrayList<>();
        String[] raw = jsonl.split("\n");
        for (int i = 0; i < raw.length; i++) {
            String line = raw[i].trim();
            if (line.isEmpty()) {
                continue;
            }
            try {
                JsonNode node = MAPPER.readTree(line);
                if (node == null || !node.isObject()) {
                    throw new IOException("not a JSON object");
                }
                lines.add(node);
            } catch (IOException e) {
                throw new IllegalArgumentException(source + " line " + (i + 1) + " is not a JSON object ("
                        + e.getMessage() + "); the train log has one JSON object per epoch", e);
            }
        }
        double[] epochs = new double[lines.size()];
        for (int i = 0; i < epochs.length; i++) {
            JsonNode epoch = lines.get(i).get("epoch");
            epochs[i] = epoch != null && epoch.isNumber() ? epoch.asDouble() : i + 1;
        }
        Map<String, double[]> series = new LinkedHashMap<>();
        for (String field : FIELDS.keySet()) {
            double[] values = new double[lines.size()];
            boolean present = false;
            for (int i = 0; i < values.length; i++) {
                JsonNode value = lines.get(i).get(field);
                if (value != null && value.isNumber()) {
                    values[i] = value.asDouble();
                    present = true;
                } else {
                    values[i] = Double.NaN;
                }
            }
            if (present) {
                series.put(field, values);
            }
        }
        return new TrainCurves(epochs, series);
    }

    /** Reads the log at {@code path}; empty curves when there is no such file (e.g. k-means). */
    public static TrainCurves read(FileSystem fs, Path path) throws IOException {
        if (!fs.exists(path)) {
            return new TrainCurves(new double[0], Map.of());
        }
        StringBuilder text = new StringBuilder();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(fs.open(path), StandardCharsets.UTF_8))) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                text.append(line).append('\n');
            }
        }
        return parse(text.toString(), path.toString());
    }

    public boolean isEmpty() {
        return epochs.length == 0;
    }
}
