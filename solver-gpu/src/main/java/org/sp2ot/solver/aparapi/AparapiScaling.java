package org.sp2ot.solver.aparapi;

import java.util.LinkedHashSet;
import java.util.List;

import com.aparapi.Range;
import com.aparapi.device.Device;
import com.aparapi.device.JavaDevice;
import com.aparapi.device.OpenCLDevice;
import com.aparapi.internal.kernel.KernelManager;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sp2ot.solver.FastScaling;
import org.sp2ot.solver.KernelEngine;
import org.sp2ot.solver.ScalingFormulation;
import org.sp2ot.solver.ScalingResult;
import org.sp2ot.solver.ScalingSolver;
import org.sp2ot.solver.TransportProblem;

/**
 * The scaling iteration of {@link FastScaling} with its fused pass as Aparapi kernels ({@link ScalingKernel}: a row
 * launch, a blocked column-partial launch and a short column-sum launch), GPU-resident: the float32 kernel matrix goes
 * to the device once per (re)build (explicit put), each iteration moves only the K-vector b in and the K-vector of
 * column sums (plus the 2-vector range of a) out; the row scalings a stay on the device (fetched for absorption and the
 * final plan). The partial sums stay on the device too. The device is chosen by {@link AparapiProvider} (an OpenCL
 * GPU, else an OpenCL CPU such as pocl; without either the caller falls back to the fast CPU path); where the kernels really ran (Aparapi may fall back at run time, e.g. on a
 * device without fp64) is read back from the kernel after the first pass and logged at INFO, a fallback at WARN.
 * This class is the device edge: it logs.
 */
public final class AparapiScaling implements ScalingSolver {
    private static final Logger LOG = LoggerFactory.getLogger(AparapiScaling.class);
    /** Work-group size; global sizes are padded to a multiple of it. */
    static final int LOCAL_SIZE = 64;
    /** Rows per block of the column reduction (at most {@link #MAX_BLOCKS} blocks). */
    static final int MIN_ROWS_PER_BLOCK = 64;
    /** Largest number of row blocks of the column reduction. */
    static final int MAX_BLOCKS = 64;

    private final FastScaling solver;
    private final AparapiEngine engine;

    /** A solver on a given Aparapi device (tests use this to pin the OpenCL CPU device). */
    public AparapiScaling(ScalingFormulation.Kind kind, double tol, int maxIter, boolean accelerate, Device device) {
        this.engine = new AparapiEngine(device);
        this.solver = new FastScaling(kind, tol, maxIter, FastScaling.defaultThreads(), accelerate, engine);
    }

    /** The first OpenCL device of a type, or null when there is none (or OpenCL cannot be loaded). */
    public static OpenCLDevice firstOpenCl(Device.TYPE type) {
        try {
            List<OpenCLDevice> devices = OpenCLDevice.listDevices(type);
            return devices == null || devices.isEmpty() ? null : devices.get(0);
        } catch (RuntimeException | LinkageError e) {
            LOG.warn("Aparapi could not list OpenCL {} devices: {}", type, e.toString());
            return null;
        }
    }

    @Override
    public ScalingResult solve(TransportProblem problem) {
        return solver.solve(problem);
    }

    @Override
    public double[] warmState() {
        return solver.warmState();
    }

    @Override
    public void restoreWarmState(double[] state) {
        solver.restoreWarmState(state);
    }

    /** Where the kernels actually ran in the last pass, e.g. {@code "aparapi:OpenCL CPU pthread-..."}. */
    @Override
    public String device() {
        return solver.device();
    }

    /** Whether the last pass executed through OpenCL (false: Java fallback, or no pass yet). */
    public boolean runsOnOpenCl() {
        return engine.openCl;
    }

    @Override
    public void close() {
        solver.close();
    }

    /** The fused pass as two kernel launches over device-resident data. */
    private static final class AparapiEngine implements KernelEngine {
        private final Device requested;
        private final ScalingKernel kernel = new ScalingKernel();
        private Range rowLaunch;
        private Range blockLaunch;
        private Range columnLaunch;
        private String ranOn;
        private boolean openCl;
        private boolean reported;

        AparapiEngine(Device requested) {
            this.requested = requested;
            kernel.setExplicit(true);
            LinkedHashSet<Device> preferred = new LinkedHashSet<>();
            preferred.add(requested);
            if (requested != JavaDevice.THREAD_POOL) {
                preferred.add(JavaDevice.THREAD_POOL);
            }
            KernelManager.instance().setPreferredDevices(kernel, preferred);
            this.ranOn = describe(requested);
        }

        @Override
        public void load(double[] m, int n, int kx, double[] caps) {
            ScalingKernel k = kernel;
            if (k.m.length != m.length) {
                k.m = new float[m.length];
            }
            for (int idx = 0; idx < m.length; idx++) {
                k.m[idx] = (float) m[idx];
            }
            if (k.a.length != n) {
                k.a = new double[n];
            }
            if (k.b.length != kx) {
                k.b = new double[kx];
                k.columns = new double[kx];
            }
            int blocks = Math.max(1, Math.min(MAX_BLOCKS, n / MIN_ROWS_PER_BLOCK));
            int rowsPerBlock = (n + blocks - 1) / blocks;
            blocks = (n + rowsPerBlock - 1) / rowsPerBlock;
            if (k.partial.length != blocks * kx) {
                k.partial = new double[blocks * kx];
                k.blockRange = new double[2 * blocks];
            }
            k.cap = caps;
            k.n = n;
            k.kx = kx;
            k.blocks = blocks;
            k.rowsPerBlock = rowsPerBlock;
            k.put(k.m).put(k.cap);
            rowLaunch = requested.createRange(padded(n), LOCAL_SIZE);
            blockLaunch = requested.createRange(padded(blocks * kx), LOCAL_SIZE);
            columnLaunch = requested.createRange(padded(kx), LOCAL_SIZE);
        }

        private static int padded(int size) {
            return (size + LOCAL_SIZE - 1) / LOCAL_SIZE * LOCAL_SIZE;
        }

        @Override
        public void fusedPass(double[] b, double t, double rowMass, boolean capped, double[] columns,
                              double[] rowRange) {
            ScalingKernel k = kernel;
            System.arraycopy(b, 0, k.b, 0, k.kx);
            k.t = t;
            k.rowMass = rowMass;
            k.capped = capped ? 1 : 0;
            k.put(k.b);
            k.stage = ScalingKernel.ROWS;
            k.execute(rowLaunch);
            k.stage = ScalingKernel.COLUMN_BLOCKS;
            k.execute(blockLaunch);
            k.stage = ScalingKernel.COLUMN_SUMS;
            k.execute(columnLaunch);
            k.get(k.columns);
            k.get(k.rowRange);
            System.arraycopy(k.columns, 0, columns, 0, k.kx);
            rowRange[0] = k.rowRange[0];
            rowRange[1] = k.rowRange[1];
            if (!reported) {
                report();
            }
        }

        /** Logs once where the kernels really ran; a fallback away from the requested device is a warning. */
        private void report() {
            reported = true;
            openCl = kernel.isRunningCL();
            Device target = kernel.getTargetDevice();
            ranOn = openCl ? describe(target) : "aparapi:Java thread pool";
            if (requested instanceof OpenCLDevice && !openCl) {
                LOG.warn("Aparapi fell back from {} to {} for the scaling kernels (no fp64 or no OpenCL driver?)",
                        describe(requested), ranOn);
            } else {
                LOG.info("OT scaling kernels run on {}", ranOn);
            }
        }

        private static String describe(Device device) {
            if (device instanceof OpenCLDevice) {
                OpenCLDevice cl = (OpenCLDevice) device;
                return "aparapi:OpenCL " + cl.getType() + " " + cl.getName();
            }
            return "aparapi:Java thread pool";
        }

        @Override
        public void rowScalings(double[] out) {
            kernel.get(kernel.a);
            System.arraycopy(kernel.a, 0, out, 0, kernel.n);
        }

        @Override
        public String device() {
            return ranOn;
        }

        @Override
        public void close() {
            kernel.dispose();
        }
    }
}
