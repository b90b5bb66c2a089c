package org.sp2ot.solver;

/**
 * Test oracle: minimises the P2OT objective of ALGORITHM.md §1 on a tiny problem with a generic convex method,
 * Newton's method with the one equality constraint {@code Σ Q = rho} (KKT system solved by Gaussian elimination)
 * and a feasibility-keeping backtracking line search. Independent of the scaling algorithm.
 */
final class BruteForce {
    private final double[] cost;
    private final int n;
    private final int k;
    private final double rho;
    private final double eps;
    private final double gamma;
    private final boolean slackEntropy;

    /**
     * @param slackEntropy include {@code eps Σ s_i log s_i} of the slack {@code s_i = 1/N - Σ_j Q_ij}: the entropy of the
     *                     virtual column of the extended problem (true) or the original objective (false)
     */
    BruteForce(double[] cost, int n, int k, double rho, double eps, double gamma, boolean slackEntropy) {
        this.cost = cost;
        this.n = n;
        this.k = k;
        this.rho = rho;
        this.eps = eps;
        this.gamma = gamma;
        this.slackEntropy = slackEntropy;
    }

    /** The objective {@code <Q,C> + eps Σ Q log Q [+ eps Σ s log s] + gamma KL(Q^T 1 || rho/K)}, +Inf if infeasible. */
    double objective(double[] q) {
        double f = 0;
        double[] col = new double[k];
        for (int i = 0; i < n; i++) {
            double row = 0;
            for (int j = 0; j < k; j++) {
                double x = q[i * k + j];
                if (!(x > 0)) {
                    return Double.POSITIVE_INFINITY;
                }
                f += x * cost[i * k + j] + eps * x * Math.log(x);
                row += x;
                col[j] += x;
            }
            double s = 1.0 / n - row;
            if (s < 0 || (slackEntropy && !(s > 0))) {
                return Double.POSITIVE_INFINITY;
            }
            if (slackEntropy) {
                f += eps * s * Math.log(s);
            }
        }
        double target = rho / k;
        for (int j = 0; j < k; j++) {
            f += gamma * (col[j] * Math.log(col[j] / target) - col[j] + target);
        }
        return f;
    }

    /** The minimiser (row-major n*k, unscaled), to Newton precision. */
    double[] solve() {
        int d = n * k;
        double[] x = new double[d];
        java.util.Arrays.fill(x, rho / d);
        for (int iter = 0; iter < 200; iter++) {
            double[] col = new double[k];
            double[] slack = new double[n];
            for (int i = 0; i < n; i++) {
                double row = 0;
                for (int j = 0; j < k; j++) {
                    row += x[i * k + j];
                    col[j] += x[i * k + j];
                }
                slack[i] = 1.0 / n - row;
            }
            double[][] kkt = new double[d + 1][d + 2];
            for (int p = 0; p < d; p++) {
                int i = p / k;
                int j = p % k;
                double grad = cost[p] + eps * (Math.log(x[p]) + 1) + gamma * Math.log(col[j] / (rho / k));
                if (slackEntropy) {
                    grad -= eps * (Math.log(slack[i]) + 1);
                }
                for (int r = 0; r < d; r++) {
                    int i2 = r / k;
                    int j2 = r % k;
                    double h = 0;
                    if (p == r) {
                        h += eps / x[p];
                    }
                    if (slackEntropy && i == i2) {
                        h += eps / slack[i];
                    }
                    if (j == j2) {
                        h += gamma / col[j];
                    }
                    kkt[p][r] = h;
                }
                kkt[p][d] = 1;
                kkt[d][p] = 1;
                kkt[p][d + 1] = -grad;
            }
            double[] step = gauss(kkt, d + 1);
            double f0 = objective(x);
            double decrement = 0;
            for (int p = 0; p < d; p++) {
                decrement += step[p] * kkt[p][d + 1];
            }
            if (decrement < 1e-30) {
                break;
            }
            double t = 1;
            double[] trial = new double[d];
            while (true) {
                for (int p = 0; p < d; p++) {
                    trial[p] = x[p] + t * step[p];
                }
                if (objective(trial) <= f0 - 0.25 * t * decrement || t < 1e-20) {
                    break;
                }
                t *= 0.5;
            }
            System.arraycopy(trial, 0, x, 0, d);
        }
        return x;
    }

    /** Gaussian elimination with partial pivoting on an m×(m+1) augmented matrix (the matrix is overwritten). */
    private static double[] gauss(double[][] a, int m) {
        double[][] w = new double[m][];
        for (int r = 0; r < m; r++) {
            w[r] = a[r].clone();
        }
        for (int c = 0; c < m; c++) {
            int pivot = c;
            for (int r = c + 1; r < m; r++) {
                if (Math.abs(w[r][c]) > Math.abs(w[pivot][c])) {
                    pivot = r;
                }
            }
            double[] tmp = w[c];
            w[c] = w[pivot];
            w[pivot] = tmp;
            for (int r = c + 1; r < m; r++) {
                double factor = w[r][c] / w[c][c];
                for (int cc = c; cc <= m; cc++) {
                    w[r][cc] -= factor * w[c][cc];
                }
            }
        }
        double[] x = new double[m];
        for (int r = m - 1; r >= 0; r--) {
            double sum = w[r][m];
            for (int c = r + 1; c < m; c++) {
                sum -= w[r][c] * x[c];
            }
            x[r] = sum / w[r][r];
        }
        return x;
    }
}
