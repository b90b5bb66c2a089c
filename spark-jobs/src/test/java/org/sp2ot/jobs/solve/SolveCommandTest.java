package org.sp2ot.jobs.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sp2ot.datasets.io.Npy;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.solver.bench.BenchInputs;

class SolveCommandTest {
    private static final int N = 120;
    private static final int K = 6;

    @TempDir
    Path dir;

    private Path logits() throws Exception {
        Path path = dir.resolve("logits.npy");
        Npy.write(path, BenchInputs.cosineLogits(N, K, true, 51), N, K);
        return path;
    }

    private static String run(String... argv) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            assertEquals(0, new SolveCommand().run(Args.parse(argv)));
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8).trim();
    }

    @Test
    void writesAPlanWithRhoTimesNMassAndPrintsOneJsonLine() throws Exception {
        Path out = dir.resolve("plan.npy");
        String json = run("--logits", logits().toString(), "--out", out.toString(), "--solver", "p2ot", "--rho", "0.4",
                "--tol", "1e-9", "--max-iter", "100000");
        assertEquals(1, json.lines().count());
        JsonNode line = parse(json);
        assertEquals("p2ot", line.path("solver").asText(), json);
        assertEquals("fast", line.path("backend").asText(), json);
        assertEquals(N, line.path("n").asInt(), json);
        assertEquals(K, line.path("k").asInt(), json);
        assertEquals(0.4, line.path("rho").asDouble(), 0, json);
        assertTrue(line.path("converged").asBoolean(), json);
        assertEquals(0.4, line.path("total_mass").asDouble(), 1e-6, json);
        double[] plan = Npy.read(out).toDoubleArray();
        double total = 0;
        for (int i = 0; i < N; i++) {
            double row = 0;
            for (int j = 0; j < K; j++) {
                row += plan[i * K + j];
            }
            assertTrue(row <= 1 + 1e-9, "row " + i + " carries " + row);
            total += row;
        }
        assertEquals(0.4 * N, total, 1e-6);
    }

    @Test
    void sp2otWithAKnnGraphRunsTheMmLoop() throws Exception {
        int[] neighbours = new int[N * 2];
        float[] weights = new float[N * 2];
        for (int i = 0; i < N; i++) {
            neighbours[2 * i] = (i + 1) % N;
            neighbours[2 * i + 1] = (i + N - 1) % N;
            weights[2 * i] = 1f;
            weights[2 * i + 1] = 1f;
        }
        Path knn = dir.resolve("knn.npy");
        Path w = dir.resolve("w.npy");
        Npy.write(knn, neighbours, N, 2);
        Npy.write(w, weights, N, 2);
        String json = run("--logits", logits().toString(), "--out", dir.resolve("p.npy").toString(), "--solver",
                "sp2ot", "--rho", "0.2", "--backend", "cpu", "--knn", knn.toString(), "--knn-weights", w.toString());
        JsonNode line = parse(json);
        assertEquals(800.0, line.path("lam").asDouble(), 0, json);
        assertTrue(line.path("mm_steps").asInt() > 1, "the MM loop ran more than one step: " + json);
    }

    @Test
    void costInputIsSolvedAsGiven() throws Exception {
        double[] cost = new double[N * K];
        for (int idx = 0; idx < cost.length; idx++) {
            cost[idx] = (idx * 7 % 11) / 10.0;
        }
        Path path = dir.resolve("cost.npy");
        Npy.write(path, cost, N, K);
        String json = run("--cost", path.toString(), "--out", dir.resolve("p.npy").toString(), "--solver", "ot");
        assertEquals(1.0, parse(json).path("total_mass").asDouble(), 1e-5, json);
    }

    @Test
    void badArgumentsAreUsageErrorsNamingTheProblem() throws Exception {
        String in = logits().toString();
        String out = dir.resolve("p.npy").toString();
        assertTrue(usage("--logits", in, "--cost", in, "--out", out).contains("exactly one"));
        assertTrue(usage("--logits", in, "--out", out, "--solver", "p2ot").contains("--rho is required"));
        assertTrue(usage("--logits", in, "--out", out, "--solver", "p2ot", "--rho", "1.5").contains("rho"));
        assertTrue(usage("--logits", in, "--out", out, "--solver", "magic", "--rho", "0.5").contains("unknown solver"));
        assertTrue(usage("--logits", dir.resolve("missing.npy").toString(), "--out", out, "--rho", "0.5")
                .contains("no such file"));
    }

    @Test
    void moreClustersThanSamplesIsAUsageError() throws Exception {
        Path wide = dir.resolve("wide.npy");
        Npy.write(wide, new float[3 * 5], 3, 5);
        assertTrue(usage("--logits", wide.toString(), "--out", dir.resolve("p.npy").toString(), "--rho", "0.5")
                .contains("exceed"));
    }

    /** The printed line as JSON; a line that is not one object fails the test. */
    private static JsonNode parse(String json) throws Exception {
        JsonNode node = new ObjectMapper().readTree(json);
        assertTrue(node.isObject(), json);
        return node;
    }

    private static String usage(String... argv) {
        return assertThrows(UsageException.class, () -> new SolveCommand().run(Args.parse(argv))).getMessage();
    }
}
