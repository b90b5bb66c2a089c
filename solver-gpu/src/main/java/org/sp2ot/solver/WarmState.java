package org.sp2ot.solver;

import java.util.Arrays;

/**
 * Dual potentials of a scaling solver (ALGORITHM.md §1, log-domain stabilisation): row potentials u, column
 * potentials v, the current relative column scaling b and, for generalized scaling, the log of the total-mass
 * scaling t. Flattened for checkpoints as {@code [n, kx, logT, u..., v..., b...]}.
 */
public final class WarmState {
    public final int n;
    public final int kx;
    public final double[] u;
    public final double[] v;
    public final double[] b;
    public double logT;

    public WarmState(int n, int kx) {
        this.n = n;
        this.kx = kx;
        this.u = new double[n];
        this.v = new double[kx];
        this.b = new double[kx];
    }

    /** Overwrites these potentials with another state's of the same shape. */
    public void copyFrom(WarmState other) {
        if (!other.fits(n, kx)) {
            throw new IllegalArgumentException("state shapes differ: " + other.n + "x" + other.kx + " vs " + n + "x" + kx);
        }
        System.arraycopy(other.u, 0, u, 0, n);
        System.arraycopy(other.v, 0, v, 0, kx);
        System.arraycopy(other.b, 0, b, 0, kx);
        logT = other.logT;
    }

    /**
     * Absorption (ALGORITHM.md §1, log-domain stabilisation): {@code u += eps log a}, {@code v += eps log b},
     * {@code b = 1}. The caller re-normalises the potentials and rebuilds the kernel.
     */
    public void absorb(double eps, double[] a, double[] b) {
        for (int i = 0; i < n; i++) {
            u[i] += eps * Math.log(a[i] + Double.MIN_NORMAL);
        }
        for (int j = 0; j < kx; j++) {
            v[j] += eps * Math.log(b[j] + Double.MIN_NORMAL);
            b[j] = 1.0;
        }
    }

    public boolean fits(int otherN, int otherKx) {
        return n == otherN && kx == otherKx;
    }

    public double[] toArray() {
        double[] out = new double[3 + n + 2 * kx];
        out[0] = n;
        out[1] = kx;
        out[2] = logT;
        System.arraycopy(u, 0, out, 3, n);
        System.arraycopy(v, 0, out, 3 + n, kx);
        System.arraycopy(b, 0, out, 3 + n + kx, kx);
        return out;
    }

    /** Parses {@link #toArray()}; {@code null} for an empty array. */
    public static WarmState fromArray(double[] state) {
        if (state == null || state.length == 0) {
            return null;
        }
        if (state.length < 3 || state[0] < 1 || state[1] < 1 || state[0] != Math.rint(state[0])
                || state[1] != Math.rint(state[1])) {
            throw new IllegalArgumentException("warm state is not a saved solver state (bad header "
                    + Arrays.toString(Arrays.copyOf(state, Math.min(3, state.length))) + ")");
        }
        int n = (int) state[0];
        int kx = (int) state[1];
        if (state.length != 3L + n + 2L * kx) {
            throw new IllegalArgumentException("warm state for n=" + n + ", kx=" + kx + " must have " + (3L + n + 2L * kx)
                    + " entries, got " + state.length);
        }
        WarmState warm = new WarmState(n, kx);
        warm.logT = state[2];
        System.arraycopy(state, 3, warm.u, 0, n);
        System.arraycopy(state, 3 + n, warm.v, 0, kx);
        System.arraycopy(state, 3 + n + kx, warm.b, 0, kx);
        for (double x : state) {
            if (!Double.isFinite(x)) {
                throw new IllegalArgumentException("warm state holds a non-finite value " + x);
            }
        }
        return warm;
    }
}
