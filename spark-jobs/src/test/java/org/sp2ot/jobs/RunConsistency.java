package org.sp2ot.jobs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.sql.SparkSession;
import org.sp2ot.jobs.io.Fingerprint;

/**
 * Checks that a finished run directory holds one run: every output the config's run consists of carries the
 * fingerprint that config expects, {@code _RUN_SUCCESS}, {@code metrics.json} and {@code config.conf} name the same
 * run, and the tables agree in size (every features row has one assignment per trained method).
 */
public final class RunConsistency {
    private static final ObjectMapper JSON = new ObjectMapper();

    private RunConsistency() {
    }

    /** The validated config of {@code run} arguments ({@code --config F --run-id ID --set ...}). */
    public static RunConfig configOf(List<String> runArgs) {
        List<String> args = new java.util.ArrayList<>(runArgs);
        args.remove("--overwrite");
        return RunCommand.loadConfig(org.sp2ot.jobs.cli.Args.parse(args.toArray(String[]::new)));
    }

    /** Asserts that {@code runDir} is one complete run of {@code config}; returns the run's fingerprint. */
    public static String assertOneRun(Path runDir, RunConfig config, SparkSession spark) throws IOException {
        Map<String, Fingerprint> expected = RunPipeline.expectedOutputs(config);
        String runPrint = RunPipeline.runFingerprint(config).hash();
        for (Map.Entry<String, Fingerprint> output : expected.entrySet()) {
            Path dir = runDir.resolve(output.getKey());
            assertTrue(Files.exists(dir.resolve("_SUCCESS")), output.getKey() + " committed");
            Fingerprint recorded = Fingerprint.parse(Files.readString(dir.resolve(Fingerprint.FILE_NAME)));
            assertEquals(output.getValue(), recorded, output.getKey() + " made by this config: "
                    + output.getValue().differences(recorded));
        }
        JsonNode marker = JSON.readTree(runDir.resolve(RunPipeline.RUN_SUCCESS).toFile());
        assertEquals(runPrint, marker.path("fingerprint").asText(), "_RUN_SUCCESS names this run");
        for (String output : expected.keySet()) {
            assertEquals(expected.get(output).hash(), marker.path("outputs").path(output).asText(), output);
        }
        RunConfig recorded = RunConfig.load(runDir.resolve(RunPipeline.CONFIG_FILE), List.of());
        assertEquals(runPrint, RunPipeline.runFingerprint(recorded).hash(), "config.conf is the config of the run");
        try (var entries = Files.list(runDir)) {
            List<String> leftovers = entries.map(p -> p.getFileName().toString())
                    .filter(name -> name.startsWith("_staging") || name.equals("_lock")).toList();
            assertEquals(List.of(), leftovers, "nothing of a killed run is left in " + runDir);
        }
        long rows = spark.read().parquet(runDir.resolve(RunPipeline.FEATURES).toString()).count();
        for (String method : config.train().methods()) {
            assertEquals(rows, spark.read().parquet(runDir.resolve(RunPipeline.assignmentsDir(method)).toString())
                    .count(), method + " assigns every features row");
        }
        Path metrics = runDir.resolve("metrics.json");
        if (Files.exists(metrics)) {
            JsonNode root = JSON.readTree(metrics.toFile());
            assertEquals(runPrint, root.path("parameters").path("fingerprint").asText(), "metrics.json of this run");
            assertEquals(String.valueOf(config.train().epochs()), root.path("parameters").path("epochs").asText());
            assertEquals(String.valueOf(config.train().seed()), root.path("parameters").path("seed").asText());
            assertEquals(String.valueOf(config.train().lam0()), root.path("parameters").path("lam0").asText());
        }
        return runPrint;
    }
}
