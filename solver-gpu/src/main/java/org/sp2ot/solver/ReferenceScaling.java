package org.sp2ot.solver;

/**
 * The float64 reference scaling loop shared by {@link P2otScaling} and {@link GeneralizedScaling}: plain
 * iterations {@code a <- row update(M b)}, {@code b <- column update(M^T a)} with log-domain stabilisation by
 * absorption (ALGORITHM.md §1), warm start across calls. The returned plan uses a final row update from the last b,
 * so the row constraint {@code Q 1 <= 1/N} holds to rounding; the equality columns and total mass are then exact to
 * the convergence error.
 */
abstract class ReferenceScaling implements ScalingSolver {
    private final double tol;
    private final int maxIter;
    private WarmState warm;

    ReferenceScaling(double tol, int maxIter) {
        if (!(tol > 0)) {
            throw new IllegalArgumentException("tol must be positive, got " + tol);
        }
        if (maxIter < 1) {
            throw new IllegalArgumentException("maxIter must be at least 1, got " + maxIter);
        }
        this.tol = tol;
        this.maxIter = maxIter;
    }

    abstract ScalingFormulation formulate(TransportProblem problem);

    @Override
    public ScalingResult solve(TransportProblem problem) {
        ScalingFormulation f = formulate(problem);
        int n = f.n();
        int kx = f.kx();
        WarmState s = f.prepare(warm);
        double[] m = new double[n * kx];
        double[] w = new double[kx];
        double[] cap = new double[n];
        buildKernel(f, s, m, w, cap);
        double[] a = new double[n];
        double[] c = new double[kx];
        double[] b = s.b;
        double[] bPrev = new double[kx];
        double t = Math.exp(s.logT);
        double residual = Double.POSITIVE_INFINITY;
        boolean converged = false;
        int iterations = 0;
        while (iterations < maxIter) {
            iterations++;
            rowUpdate(f, m, b, t, cap, a);
            java.util.Arrays.fill(c, 0.0);
            for (int i = 0; i < n; i++) {
                double ai = a[i];
                int row = i * kx;
                for (int j = 0; j < kx; j++) {
                    c[j] += ai * m[row + j];
                }
            }
            System.arraycopy(b, 0, bPrev, 0, kx);
            double tPrev = t;
            double mass = 0;
            for (int j = 0; j < kx; j++) {
                b[j] = f.columnScaling(j, c[j], t, w[j]);
                mass += b[j] * c[j];
            }
            if (f.scalesTotalMass()) {
                t = f.totalMassScaling(mass);
            }
            residual = ScalingFormulation.relativeChange(b, bPrev, t, tPrev);
            if (!Double.isFinite(residual)) {
                throw new DivergenceException("scaling diverged (non-finite update) at iteration " + iterations
                        + " with eps=" + problem.eps() + ": the cost range is too large for this eps");
            }
            if (residual < tol) {
                converged = true;
                break;
            }
            if (ScalingFormulation.needsAbsorption(ScalingFormulation.range(a), b)) {
                s.absorb(f.eps(), a, b);
                s.copyFrom(f.prepare(s));
                buildKernel(f, s, m, w, cap);
            }
        }
        rowUpdate(f, m, b, t, cap, a);
        double scale = t;
        ScalingResult result = f.result((i, out) -> {
            for (int j = 0; j < kx; j++) {
                out[j] = scale * a[i] * m[i * kx + j] * b[j];
            }
        }, iterations, converged, residual);
        s.absorb(f.eps(), a, b);
        s.logT = Math.log(t);
        warm = s;
        return result;
    }

    private static void rowUpdate(ScalingFormulation f, double[] m, double[] b, double t, double[] cap, double[] a) {
        int kx = f.kx();
        for (int i = 0; i < f.n(); i++) {
            int row = i * kx;
            double sum = 0;
            for (int j = 0; j < kx; j++) {
                sum += m[row + j] * b[j];
            }
            a[i] = f.rowScaling(sum, t, cap[i]);
        }
    }

    /** Rebuilds {@code M}, the power-step weights w and the row caps from the potentials. */
    private static void buildKernel(ScalingFormulation f, WarmState s, double[] m, double[] w, double[] cap) {
        int kx = f.kx();
        for (int i = 0; i < f.n(); i++) {
            double ui = s.u[i];
            for (int j = 0; j < kx; j++) {
                double e = f.kernel(i, j, ui, s.v[j]);
                m[i * kx + j] = e < Double.MIN_NORMAL ? 0.0 : e;
            }
            cap[i] = Math.exp(-ui / f.eps());
        }
        for (int j = 0; j < kx; j++) {
            w[j] = f.powerStepLogWeight(j, s.v[j]);
        }
    }

    @Override
    public double[] warmState() {
        return warm == null ? new double[0] : warm.toArray();
    }

    @Override
    public void restoreWarmState(double[] state) {
        warm = WarmState.fromArray(state);
    }
}
