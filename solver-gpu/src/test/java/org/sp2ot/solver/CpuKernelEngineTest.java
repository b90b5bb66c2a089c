package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.sp2ot.solver.bench.BenchInputs;

/**
 * The Vector API pass ({@link SimdPass}) computes what the scalar float64 loops compute: the same row scalings and
 * column sums up to float64 rounding (relative 1e-12), for row counts that leave a remainder of the 4-row blocks and
 * widths that leave a remainder of the vector lanes, capped or not; and a whole solve on it lands on the scalar
 * engine's plan. The same for the compressed rows of a sparse kernel ({@link SparseKernel}) against the dense pass.
 */
class CpuKernelEngineTest {
    private static final double ROUNDING = 1e-12;

    @Test
    void theBuildRunsTheVectorPath() {
        assertTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "the build's test JVM options (solver.jvm.modules in the parent pom) add jdk.incubator.vector");
        assertEquals(SimdPass.lanes() >= 4, Simd.enabled(), Simd.describe());
        try (CpuKernelEngine engine = new CpuKernelEngine(new ChunkRunner(1))) {
            assertTrue(engine.device().contains(Simd.describe()), engine.device());
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 1, false", "3, 7, true", "5, 8, false", "17, 13, true", "37, 101, false", "64, 1001, true",
            "7, 9, true"})
    void vectorPassEqualsTheScalarPass(int n, int kx, boolean capped) {
        SplittableRandom random = new SplittableRandom(31L * n + kx);
        double[] kernel = new double[n * kx];
        for (int e = 0; e < kernel.length; e++) {
            kernel[e] = e % 5 == 0 ? 0.0 : (float) Math.exp(-20 * random.nextDouble());
        }
        double[] caps = randomCaps(random, n);
        double[] b = randomScalings(random, kx);
        kernel[0] = 1.0;
        double[] scalarColumns = new double[kx];
        double[] vectorColumns = new double[kx];
        double[] scalarRange = new double[2];
        double[] vectorRange = new double[2];
        double[] scalarRows = new double[n];
        double[] vectorRows = new double[n];
        try (CpuKernelEngine scalar = new CpuKernelEngine(new ChunkRunner(2), false, false);
             CpuKernelEngine vector = new CpuKernelEngine(new ChunkRunner(2), true, false)) {
            scalar.load(kernel, n, kx, caps);
            vector.load(kernel, n, kx, caps);
            scalar.fusedPass(b, 0.7, 1.0 / n, capped, scalarColumns, scalarRange);
            vector.fusedPass(b, 0.7, 1.0 / n, capped, vectorColumns, vectorRange);
            scalar.rowScalings(scalarRows);
            vector.rowScalings(vectorRows);
        }
        assertClose(scalarRows, vectorRows, "row scalings");
        assertClose(scalarColumns, vectorColumns, "column sums");
        assertClose(scalarRange, vectorRange, "range of a");
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"P2OT", "OT"})
    void aSolveOnTheVectorPathLandsOnTheScalarPlan(Method method) {
        int n = 500;
        int k = 20;
        double[] cost = TransportProblem.costFromLogits(BenchInputs.cosineLogits(n, k, true, 5), n, k);
        TransportProblem problem = method.problem(cost, n, k, 0.4, 0.1, 1.0);
        ScalingFormulation.Kind kind = ScalingFormulation.Kind.VIRTUAL_COLUMN;
        try (FastScaling scalar = new FastScaling(kind, 1e-9, 100_000, 2, true,
                new CpuKernelEngine(new ChunkRunner(2), false, false));
             FastScaling vector = new FastScaling(kind, 1e-9, 100_000, 2, true,
                     new CpuKernelEngine(new ChunkRunner(2), true, false))) {
            double distance = PlanDistance.relativeL1(vector.solve(problem).plan(), scalar.solve(problem).plan());
            assertTrue(distance < 1e-8, method + ": relative L1 " + distance);
        }
    }

    @ParameterizedTest
    @CsvSource({"1, 1, false", "16, 70, true", "37, 101, false", "100, 1001, true", "9, 40, true"})
    void compressedRowsPassEqualsTheDensePass(int n, int kx, boolean capped) {
        SplittableRandom random = new SplittableRandom(7L * n + kx);
        double[] kernel = new double[n * kx];
        for (int i = 0; i < n; i++) {
            kernel[i * kx + random.nextInt(kx)] = 1.0; // every row keeps its largest entry
            for (int j = 0; j < kx; j++) {
                if (random.nextDouble() < 0.1) {
                    kernel[i * kx + j] = (float) Math.exp(-60 * random.nextDouble());
                }
            }
        }
        double[] caps = randomCaps(random, n);
        double[] b = randomScalings(random, kx);
        double[][] columns = new double[2][kx];
        double[][] range = new double[2][2];
        double[][] rows = new double[2][n];
        for (int threads = 1; threads <= 3; threads++) {
            try (CpuKernelEngine dense = new CpuKernelEngine(new ChunkRunner(threads), false, false);
                 CpuKernelEngine sparse = new CpuKernelEngine(new ChunkRunner(threads), false, true)) {
                dense.load(kernel, n, kx, caps);
                sparse.load(kernel, n, kx, caps);
                assertTrue(sparse.sparse() && !dense.sparse(), "the pass runs on the compressed rows");
                dense.fusedPass(b, 0.7, 1.0 / n, capped, columns[0], range[0]);
                sparse.fusedPass(b, 0.7, 1.0 / n, capped, columns[1], range[1]);
                dense.rowScalings(rows[0]);
                sparse.rowScalings(rows[1]);
            }
            assertClose(rows[0], rows[1], "row scalings, " + threads + " threads");
            assertClose(columns[0], columns[1], "column sums, " + threads + " threads");
            assertClose(range[0], range[1], "range of a, " + threads + " threads");
        }
    }

    @Test
    void aKernelWithOneDenseChunkRunsTheDensePass() {
        int n = 64;
        int kx = 50;
        double[] kernel = new double[n * kx];
        for (int i = 0; i < n; i++) {
            kernel[i * kx + i % kx] = 1.0;
        }
        double[] caps = new double[n];
        java.util.Arrays.fill(caps, 1.0);
        try (CpuKernelEngine engine = new CpuKernelEngine(new ChunkRunner(2), true, true)) {
            engine.load(kernel, n, kx, caps);
            assertTrue(engine.sparse(), "2% non-zero: compressed");
            // rows 0..3 are chunk 0 (64 rows in 16 chunks): make it 26% non-zero, above SparseKernel.MAX_DENSITY
            for (int e = 0; e < 4 * kx; e += 4) {
                kernel[e] = 0.5;
            }
            engine.load(kernel, n, kx, caps);
            assertTrue(!engine.sparse(), "one chunk above the density limit: dense");
            double[] columns = new double[kx];
            double[] b = new double[kx];
            java.util.Arrays.fill(b, 1.0);
            engine.fusedPass(b, 1.0, 1.0, false, columns, new double[2]);
            double total = 0;
            for (double c : columns) {
                total += c;
            }
            assertEquals(n, total, 1e-9, "every row's mass (a_i (M b)_i = 1) reaches the column sums");
        }
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"P2OT", "OT"})
    void aSolveOnTheCompressedRowsLandsOnTheDensePlan(Method method) {
        int n = 500;
        int k = 60;
        float[] logits = BenchInputs.cosineLogits(n, k, true, 5);
        for (int e = 0; e < logits.length; e++) {
            logits[e] *= 4; // peaked rows, as a trained cosine head gives: most kernel entries flush to 0
        }
        double[] cost = TransportProblem.costFromLogits(logits, n, k);
        TransportProblem problem = method.problem(cost, n, k, 0.4, 0.1, 1.0);
        ScalingFormulation.Kind kind = ScalingFormulation.Kind.VIRTUAL_COLUMN;
        CpuKernelEngine compressed = new CpuKernelEngine(new ChunkRunner(2), true, true);
        try (FastScaling dense = new FastScaling(kind, 1e-9, 100_000, 2, true,
                new CpuKernelEngine(new ChunkRunner(2), true, false));
             FastScaling sparse = new FastScaling(kind, 1e-9, 100_000, 2, true, compressed)) {
            double[] sparsePlan = sparse.solve(problem).plan();
            assertTrue(compressed.sparse(), "the kernel was not sparse enough to test the compressed rows");
            double distance = PlanDistance.relativeL1(sparsePlan, dense.solve(problem).plan());
            assertTrue(distance < 1e-8, method + ": relative L1 " + distance);
        }
    }

    /** Row caps in [0.5, 1.5). */
    private static double[] randomCaps(SplittableRandom random, int n) {
        double[] caps = new double[n];
        for (int i = 0; i < n; i++) {
            caps[i] = 0.5 + random.nextDouble();
        }
        return caps;
    }

    /** Column scalings b spread over several orders of magnitude. */
    private static double[] randomScalings(SplittableRandom random, int kx) {
        double[] b = new double[kx];
        for (int j = 0; j < kx; j++) {
            b[j] = Math.exp(3 * random.nextGaussian());
        }
        return b;
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(Math.abs(expected[i]), Double.MIN_NORMAL);
            assertTrue(Math.abs(actual[i] - expected[i]) <= ROUNDING * scale,
                    what + "[" + i + "]: " + actual[i] + " vs " + expected[i]);
        }
    }
}
