package org.sp2ot.jobs.solve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

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
        assertTrue(json.startsWith("{\"solver\":\"p2ot\",\"backend\":\"fast\""), json);
        assertTrue(json.contains("\"n\":120,\"k\":6"), json);
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
        assertTrue(json.contains("\"lam\":800.0"), json);
        assertTrue(!json.contains("\"mm_steps\":1,"), json);
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
        assertTrue(json.contains("\"total_mass\":1.0") || json.contains("\"total_mass\":0.99999"), json);
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

    private static String usage(String... argv) {
        return assertThrows(UsageException.class, () -> new SolveCommand().run(Args.parse(argv))).getMessage();
    }
}
