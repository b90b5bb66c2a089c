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
 * engine's plan.
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
        double[] caps = new double[n];
        for (int i = 0; i < n; i++) {
            caps[i] = 0.5 + random.nextDouble();
        }
        double[] b = new double[kx];
        for (int j = 0; j < kx; j++) {
            b[j] = Math.exp(3 * random.nextGaussian());
        }
        kernel[0] = 1.0;
        double[] scalarColumns = new double[kx];
        double[] vectorColumns = new double[kx];
        double[] scalarRange = new double[2];
        double[] vectorRange = new double[2];
        double[] scalarRows = new double[n];
        double[] vectorRows = new double[n];
        try (CpuKernelEngine scalar = new CpuKernelEngine(new ChunkRunner(2), false);
             CpuKernelEngine vector = new CpuKernelEngine(new ChunkRunner(2), true)) {
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
                new CpuKernelEngine(new ChunkRunner(2), false));
             FastScaling vector = new FastScaling(kind, 1e-9, 100_000, 2, true,
                     new CpuKernelEngine(new ChunkRunner(2), true))) {
            double distance = PlanDistance.relativeL1(vector.solve(problem).plan(), scalar.solve(problem).plan());
            assertTrue(distance < 1e-8, method + ": relative L1 " + distance);
        }
    }

    private static void assertClose(double[] expected, double[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            double scale = Math.max(Math.abs(expected[i]), Double.MIN_NORMAL);
            assertTrue(Math.abs(actual[i] - expected[i]) <= ROUNDING * scale,
                    what + "[" + i + "]: " + actual[i] + " vs " + expected[i]);
        }
    }
}
