package org.sp2ot.solver.aparapi;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.aparapi.device.Device;
import com.aparapi.device.JavaDevice;
import com.aparapi.device.OpenCLDevice;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.sp2ot.solver.FastScaling;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.PlanDistance;
import org.sp2ot.solver.ScalingFormulation;
import org.sp2ot.solver.ScalingResult;
import org.sp2ot.solver.TransportProblem;
import org.sp2ot.solver.bench.BenchInputs;

/**
 * The Aparapi kernels iterate the same map as the CPU fast path. Tolerance: relative L1 distance of the plans at most
 * 1e-6 with both at tol 1e-9 (float64 sums in a different order; both store the kernel in float32). The OpenCL tests
 * need an OpenCL device (pocl on CI) and are skipped, with the reason, where there is none, unless
 * {@code -Dsp2ot.requireOpenCL=true} or {@code SP2OT_REQUIRE_OPENCL=1} is set (GPU CI): then they fail.
 */
class AparapiScalingTest {
    private static final int N = 243;
    private static final int K = 11;
    private static final double AGREEMENT = 1e-6;

    private static TransportProblem problem(Method method) {
        double[] cost = TransportProblem.costFromLogits(BenchInputs.cosineLogits(N, K, true, 41), N, K);
        return method.problem(cost, N, K, 0.3, 0.1, 1.0);
    }

    private static ScalingFormulation.Kind kind(Method method) {
        return method == Method.GSA ? ScalingFormulation.Kind.GENERALIZED : ScalingFormulation.Kind.VIRTUAL_COLUMN;
    }

    /** Whether the OpenCL tests must fail instead of skip ({@code -Dsp2ot.requireOpenCL=true}, SP2OT_REQUIRE_OPENCL=1). */
    static boolean openClRequired() {
        String env = System.getenv("SP2OT_REQUIRE_OPENCL");
        return Boolean.parseBoolean(System.getProperty("sp2ot.requireOpenCL", "false"))
                || "1".equals(env) || "true".equalsIgnoreCase(env);
    }

    private static void requireOrSkip(boolean present, String reason) {
        if (openClRequired()) {
            assertTrue(present, reason + " (required by sp2ot.requireOpenCL / SP2OT_REQUIRE_OPENCL)");
        }
        assumeTrue(present, reason);
    }

    private static void assertAgreesWithFastPath(Method method, Device device, boolean expectOpenCl) {
        TransportProblem p = problem(method);
        double[] expected;
        try (FastScaling fast = new FastScaling(kind(method), 1e-9, 100_000, 1, true)) {
            expected = fast.solve(p).plan();
        }
        try (AparapiScaling aparapi = new AparapiScaling(kind(method), 1e-9, 100_000, true, device)) {
            ScalingResult result = aparapi.solve(p);
            assertTrue(aparapi.runsOnOpenCl() == expectOpenCl, "ran on " + aparapi.device());
            double distance = PlanDistance.relativeL1(result.plan(), expected);
            assertTrue(distance < AGREEMENT, method + " on " + aparapi.device() + ": relative L1 " + distance);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"P2OT", "GSA", "POT"})
    void openClKernelsAgreeWithTheCpuFastPath(Method method) {
        OpenCLDevice device = AparapiScaling.firstOpenCl(Device.TYPE.CPU);
        if (device == null) {
            device = AparapiScaling.firstOpenCl(Device.TYPE.GPU);
        }
        requireOrSkip(device != null, "no OpenCL device: install an OpenCL driver (e.g. pocl-opencl-icd) to run this test");
        assertAgreesWithFastPath(method, device, true);
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"P2OT", "GSA"})
    void openClKernelsStayFiniteForLogitsOfTenThousandAndEpsOfOneHundredth(Method method) {
        OpenCLDevice device = AparapiScaling.firstOpenCl(Device.TYPE.CPU);
        requireOrSkip(device != null, "no OpenCL CPU device: install pocl-opencl-icd to run this test");
        int n = 64;
        int k = 8;
        float[] logits = new float[n * k];
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        for (int idx = 0; idx < logits.length; idx++) {
            logits[idx] = random.nextBoolean() ? 1e4f : -1e4f;
        }
        TransportProblem p = method.problem(TransportProblem.costFromLogits(logits, n, k), n, k, 0.4, 0.01, 1.0);
        try (AparapiScaling aparapi = new AparapiScaling(kind(method), 1e-6, 20_000, true, device)) {
            ScalingResult result = aparapi.solve(p);
            for (double q : result.plan()) {
                assertTrue(Double.isFinite(q) && q >= 0, "plan entry " + q);
            }
            assertTrue(Math.abs(result.totalMass() - 0.4) < 1e-3, "total mass " + result.totalMass());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Method.class, names = {"P2OT", "GSA"})
    void javaThreadPoolKernelsWithPaddedOddRangesAgreeWithTheCpuFastPath(Method method) {
        assertAgreesWithFastPath(method, JavaDevice.THREAD_POOL, false);
    }
}
