package org.sp2ot.solver;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * The fast path of the scaling iteration (ALGORITHM.md §1, §8): the same map as {@link ReferenceScaling}, with
 * <ul>
 *   <li>the stabilised kernel M stored in float32 (entries below {@code 1e-30} flushed to 0, far below what can
 *   influence a row or column sum of the stabilised kernel, and never denormal, which would be slow); all vectors and
 *   all sums in float64;</li>
 *   <li>ONE fused pass over M per iteration: each row computes {@code (M b)_i}, its row scaling {@code a_i}, and adds
 *   {@code a_i M_i·} to a per-chunk column sum, so M is read once per iteration;</li>
 *   <li>rows split into {@link #CHUNKS} fixed chunks run by a small thread pool, column partial sums reduced in chunk
 *   order: results are bit-identical for any number of threads;</li>
 *   <li>optionally Anderson acceleration of the fixed-point map on {@code log b} (and {@code log t}), safeguarded
 *   so that the plain iteration takes over when extrapolation does not reduce the residual ({@link Anderson}).</li>
 * </ul>
 * The stop rule and the returned plan are those of the reference: the relative change of b (the plain step at the
 * current point) below tol, then a final row update.
 */
public final class FastScaling implements ScalingSolver {
    /** Fixed number of row chunks (independent of the thread count, so the reduction order never changes). */
    static final int CHUNKS = 16;
    /** Anderson memory (number of stored differences). */
    static final int MEMORY = 8;
    private static final float FLUSH = 1e-30f;

    private final ScalingFormulation.Kind kind;
    private final double tol;
    private final int maxIter;
    private final int threads;
    private final boolean accelerate;
    private final ExecutorService pool;
    private WarmState warm;
    private float[] kernel = new float[0];

    /**
     * @param kind       virtual-column (P2OT family) or generalized (GSA) formulation
     * @param tol        stop when {@code ||(b - b_prev)/b_prev||_2 < tol}
     * @param maxIter    cap on passes over the kernel matrix
     * @param threads    worker threads (1 = run in the caller)
     * @param accelerate whether to use safeguarded Anderson acceleration
     */
    public FastScaling(ScalingFormulation.Kind kind, double tol, int maxIter, int threads, boolean accelerate) {
        if (!(tol > 0)) {
            throw new IllegalArgumentException("tol must be positive, got " + tol);
        }
        if (maxIter < 1) {
            throw new IllegalArgumentException("maxIter must be at least 1, got " + maxIter);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be at least 1, got " + threads);
        }
        this.kind = kind;
        this.tol = tol;
        this.maxIter = maxIter;
        this.threads = threads;
        this.accelerate = accelerate;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, runnable -> {
            Thread thread = new Thread(runnable, "sp2ot-fast-scaling");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** An accelerated solver using up to the available processors (at most 8 threads). */
    public static FastScaling create(ScalingFormulation.Kind kind, double tol, int maxIter) {
        return new FastScaling(kind, tol, maxIter, Math.max(1, Math.min(8, Runtime.getRuntime().availableProcessors())),
                true);
    }

    @Override
    public ScalingResult solve(TransportProblem problem) {
        ScalingFormulation f = kind == ScalingFormulation.Kind.GENERALIZED
                ? ScalingFormulation.generalized(problem) : ScalingFormulation.virtualColumn(problem);
        Iteration it = new Iteration(f, f.prepare(warm));
        ScalingResult result = it.run();
        warm = it.state;
        return result;
    }

    /** The state of one solve. */
    private final class Iteration {
        final ScalingFormulation f;
        final WarmState state;
        final int n;
        final int kx;
        final int dim;
        final double[] w;
        final double[] cap;
        final double[] a;
        final double[] columns;
        final double[][] partial;

        Iteration(ScalingFormulation f, WarmState state) {
            this.f = f;
            this.state = state;
            this.n = f.n();
            this.kx = f.kx();
            this.dim = f.scalesTotalMass() ? kx + 1 : kx;
            this.w = new double[kx];
            this.cap = new double[n];
            this.a = new double[n];
            this.columns = new double[kx];
            this.partial = new double[CHUNKS][kx];
            if (kernel.length != n * kx) {
                kernel = new float[n * kx];
            }
            buildKernel();
        }

        ScalingResult run() {
            double[] b = state.b;
            double t = Math.exp(state.logT);
            double[] x = new double[dim];
            double[] g = new double[dim];
            double[] nextX = new double[dim];
            double[] bNew = new double[kx];
            toLog(b, t, x);
            Anderson anderson = accelerate ? new Anderson(dim, MEMORY) : null;
            double residual = Double.POSITIVE_INFINITY;
            boolean converged = false;
            int iterations = 0;
            while (iterations < maxIter) {
                iterations++;
                double tNew = plainStep(b, t, bNew);
                residual = ScalingFormulation.relativeChange(bNew, b, tNew, t);
                if (!Double.isFinite(residual)) {
                    throw new IllegalStateException("scaling diverged (non-finite update) at iteration " + iterations
                            + " with eps=" + f.eps() + ": the cost range is too large for this eps");
                }
                if (residual < tol) {
                    System.arraycopy(bNew, 0, b, 0, kx);
                    t = tNew;
                    converged = true;
                    break;
                }
                toLog(bNew, tNew, g);
                if (anderson == null) {
                    System.arraycopy(g, 0, nextX, 0, dim);
                } else {
                    anderson.next(x, g, nextX);
                }
                System.arraycopy(nextX, 0, x, 0, dim);
                t = fromLog(x, b);
                if (outside(a) || outside(b)) {
                    absorb(b);
                    buildKernel();
                    toLog(b, t, x);
                    if (anderson != null) {
                        anderson.reset();
                    }
                }
            }
            fusedPass(b, t);
            double[] plan = new double[n * kx];
            for (int i = 0; i < n; i++) {
                int row = i * kx;
                for (int j = 0; j < kx; j++) {
                    plan[row + j] = t * a[i] * kernel[row + j] * b[j];
                }
            }
            absorb(b);
            state.logT = Math.log(t);
            return f.result(plan, iterations, converged, residual);
        }

        /** One plain step of the map: fused pass, column update, total-mass update; returns the new t. */
        private double plainStep(double[] b, double t, double[] bNew) {
            fusedPass(b, t);
            double mass = 0;
            for (int j = 0; j < kx; j++) {
                bNew[j] = f.columnScaling(j, columns[j], t, w[j]);
                mass += bNew[j] * columns[j];
            }
            return f.scalesTotalMass() ? f.totalMassScaling(mass) : t;
        }

        private void toLog(double[] b, double t, double[] x) {
            for (int j = 0; j < kx; j++) {
                x[j] = Math.log(b[j]);
            }
            if (dim > kx) {
                x[kx] = Math.log(t);
            }
        }

        private double fromLog(double[] x, double[] b) {
            for (int j = 0; j < kx; j++) {
                b[j] = Math.exp(x[j]);
            }
            return dim > kx ? Math.exp(x[kx]) : 1.0;
        }

        /** Row scalings a from b, and the column sums {@code M^T a} into {@link #columns}: one read of M. */
        private void fusedPass(double[] b, double t) {
            runChunks(chunk -> fusedRows(kernel, kx, chunkStart(chunk), chunkStart(chunk + 1), b, t, partial[chunk]));
            double[] c = columns;
            System.arraycopy(partial[0], 0, c, 0, kx);
            for (int chunk = 1; chunk < CHUNKS; chunk++) {
                double[] p = partial[chunk];
                for (int j = 0; j < kx; j++) {
                    c[j] += p[j];
                }
            }
        }

        private void fusedRows(float[] m, int width, int from, int to, double[] b, double t, double[] colPart) {
            java.util.Arrays.fill(colPart, 0.0);
            for (int i = from; i < to; i++) {
                int row = i * width;
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                double s3 = 0;
                int j = 0;
                for (; j + 3 < width; j += 4) {
                    s0 += m[row + j] * b[j];
                    s1 += m[row + j + 1] * b[j + 1];
                    s2 += m[row + j + 2] * b[j + 2];
                    s3 += m[row + j + 3] * b[j + 3];
                }
                for (; j < width; j++) {
                    s0 += m[row + j] * b[j];
                }
                double ai = f.rowScaling((s0 + s1) + (s2 + s3), t, cap[i]);
                a[i] = ai;
                for (j = 0; j < width; j++) {
                    colPart[j] += ai * m[row + j];
                }
            }
        }

        private int chunkStart(int chunk) {
            return (int) ((long) n * chunk / CHUNKS);
        }

        /** Rebuilds the float32 kernel, the power-step weights and the row caps from the potentials (in parallel). */
        private void buildKernel() {
            double eps = f.eps();
            double[] u = state.u;
            double[] v = state.v;
            runChunks(chunk -> {
                for (int i = chunkStart(chunk); i < chunkStart(chunk + 1); i++) {
                    int row = i * kx;
                    for (int j = 0; j < kx; j++) {
                        float e = (float) f.kernel(i, j, u[i], v[j]);
                        kernel[row + j] = e < FLUSH ? 0f : e;
                    }
                    cap[i] = Math.exp(-u[i] / eps);
                }
            });
            for (int j = 0; j < kx; j++) {
                w[j] = f.powerStepWeight(j, v[j]);
            }
        }

        private void absorb(double[] b) {
            double eps = f.eps();
            for (int i = 0; i < n; i++) {
                state.u[i] += eps * Math.log(a[i]);
            }
            for (int j = 0; j < kx; j++) {
                state.v[j] += eps * Math.log(b[j] + Double.MIN_NORMAL);
                b[j] = 1.0;
            }
        }
    }

    private interface ChunkTask {
        void run(int chunk);
    }

    /** Runs the CHUNKS tasks on the pool (the caller takes its share); chunk c always covers the same rows. */
    private void runChunks(ChunkTask task) {
        if (pool == null) {
            for (int chunk = 0; chunk < CHUNKS; chunk++) {
                task.run(chunk);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(threads - 1);
        for (int worker = 1; worker < threads; worker++) {
            final int first = worker;
            futures.add(pool.submit(() -> {
                for (int chunk = first; chunk < CHUNKS; chunk += threads) {
                    task.run(chunk);
                }
            }));
        }
        for (int chunk = 0; chunk < CHUNKS; chunk += threads) {
            task.run(chunk);
        }
        try {
            for (Future<?> future : futures) {
                future.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while scaling", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("a scaling worker failed: " + e.getCause(), e.getCause());
        }
    }

    private static boolean outside(double[] x) {
        for (double value : x) {
            if (value > ScalingFormulation.ABSORB || value < 1.0 / ScalingFormulation.ABSORB) {
                return true;
            }
        }
        return false;
    }

    @Override
    public double[] warmState() {
        return warm == null ? new double[0] : warm.toArray();
    }

    @Override
    public void restoreWarmState(double[] state) {
        warm = WarmState.fromArray(state);
    }

    @Override
    public String device() {
        return "cpu-fast(float32, " + threads + " threads" + (accelerate ? ", anderson" : "") + ")";
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
