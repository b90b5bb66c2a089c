package org.sp2ot.solver;

/**
 * One OT pseudo-labelling problem of the P2OT family (ALGORITHM.md §1): minimise
 * {@code <Q,C> + eps Σ Q log Q + gamma KL(Q^T 1 || (rho/K) 1)} subject to {@code Q 1 <= 1/N} and
 * {@code 1^T Q 1 = rho}. {@code gamma = +Infinity} turns the KL relaxation into the equality
 * {@code Q^T 1 = rho/K} (POT, and with rho = 1 balanced OT); rho = 1 forces every row to carry exactly 1/N
 * (UOT, OT). The cost is a row-major N×K view and is not copied: do not modify it while a solver uses it.
 */
public final class TransportProblem {
    private final double[] cost;
    private final int n;
    private final int k;
    private final double rho;
    private final double eps;
    private final double gamma;

    /**
     * @param cost  row-major n*k cost matrix, finite
     * @param rho   transported mass fraction in (0, 1]
     * @param eps   entropic regularisation, positive
     * @param gamma KL weight of the cluster sizes, positive; {@code +Infinity} for equality
     * @throws IllegalArgumentException on any inconsistent argument, naming it
     */
    public TransportProblem(double[] cost, int n, int k, double rho, double eps, double gamma) {
        if (n < 1 || k < 1) {
            throw new IllegalArgumentException("an OT problem needs n >= 1 samples and k >= 1 clusters, got n=" + n
                    + ", k=" + k);
        }
        if (k > n) {
            throw new IllegalArgumentException("k=" + k + " clusters exceed the n=" + n
                    + " samples of the OT problem: use fewer clusters or a larger memory bank");
        }
        if (cost == null || cost.length != (long) n * k) {
            throw new IllegalArgumentException("cost matrix must have n*k = " + ((long) n * k) + " entries, got "
                    + (cost == null ? "null" : String.valueOf(cost.length)));
        }
        if (!(rho > 0 && rho <= 1)) {
            throw new IllegalArgumentException("rho (transported mass fraction) must lie in (0, 1], got " + rho);
        }
        if (!(eps > 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException("eps must be a positive finite number, got " + eps);
        }
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("gamma must be positive (+Infinity for equality), got " + gamma);
        }
        if (!allFinite(cost)) {
            for (int idx = 0; idx < cost.length; idx++) {
                if (!Double.isFinite(cost[idx])) {
                    throw new IllegalArgumentException("cost matrix has a non-finite entry " + cost[idx] + " at row "
                            + (idx / k) + ", column " + (idx % k) + ": check the logits for NaN/Inf");
                }
            }
        }
        this.cost = cost;
        this.n = n;
        this.k = k;
        this.rho = rho;
        this.eps = eps;
        this.gamma = gamma;
    }

    /**
     * Whether every entry is finite: {@code x * 0} is 0 for a finite x and NaN for an infinite or NaN one, and NaN
     * survives any sum. Four independent sums and no branch, so the check of a 5120 x 1000 cost is a few ms, not the
     * solve's largest fixed cost (it runs again for every MM surrogate).
     */
    static boolean allFinite(double[] values) {
        return allFinite(values, 0, values.length);
    }

    /** {@link #allFinite(double[])} of {@code values[from .. to)}. */
    static boolean allFinite(double[] values, int from, int to) {
        double s0 = 0;
        double s1 = 0;
        double s2 = 0;
        double s3 = 0;
        int idx = from;
        for (; idx + 3 < to; idx += 4) {
            s0 += values[idx] * 0.0;
            s1 += values[idx + 1] * 0.0;
            s2 += values[idx + 2] * 0.0;
            s3 += values[idx + 3] * 0.0;
        }
        for (; idx < to; idx++) {
            s0 += values[idx] * 0.0;
        }
        return !Double.isNaN((s0 + s1) + (s2 + s3));
    }

    /**
     * The cost {@code C = -log softmax(logits)} of a row-major n*k logits matrix, computed stably as
     * {@code logsumexp(l_i) - l_ij} (ALGORITHM.md notation: {@code P = softmax(logits)}, {@code C = -log P}).
     *
     * @throws IllegalArgumentException when the shape does not match or a logit is NaN/Inf
     */
    public static double[] costFromLogits(float[] logits, int n, int k) {
        if (n < 1 || k < 1 || logits == null || logits.length != (long) n * k) {
            throw new IllegalArgumentException("logits must be an n*k = " + ((long) n * k) + " array (n=" + n + ", k="
                    + k + "), got " + (logits == null ? "null" : logits.length + " entries"));
        }
        double[] cost = new double[n * k];
        boolean[] finite = new boolean[ChunkRunner.CHUNKS];
        boolean simd = Simd.enabled();
        // A NaN or +Inf logit makes its row's log-sum-exp NaN, a -Inf one its cost +Inf: checking the cost finds both.
        ChunkRunner.shared().run(chunk -> {
            int from = ChunkRunner.chunkStart(n, chunk);
            int to = ChunkRunner.chunkStart(n, chunk + 1);
            for (int i = from; i < to; i++) {
                int row = i * k;
                double logSumExp = Softmax.logSumExp(logits, row, k, simd);
                for (int j = 0; j < k; j++) {
                    cost[row + j] = logSumExp - logits[row + j];
                }
            }
            finite[chunk] = allFinite(cost, from * k, to * k);
        });
        for (boolean chunkFinite : finite) {
            if (!chunkFinite) {
                for (int idx = 0; idx < logits.length; idx++) {
                    if (!Float.isFinite(logits[idx])) {
                        throw new IllegalArgumentException("logit at row " + (idx / k) + ", column " + (idx % k)
                                + " is " + logits[idx] + ": logits must be finite");
                    }
                }
                throw new IllegalArgumentException("logits are finite but their log-sum-exp is not");
            }
        }
        return cost;
    }

    /** The cost entry of row i, column j. */
    public double cost(int i, int j) {
        return cost[i * k + j];
    }

    /** The row-major cost view (not a copy). */
    public double[] costView() {
        return cost;
    }

    public int n() {
        return n;
    }

    public int k() {
        return k;
    }

    public double rho() {
        return rho;
    }

    public double eps() {
        return eps;
    }

    public double gamma() {
        return gamma;
    }

    /** Whether the cluster sizes are equality constraints ({@code gamma = +Infinity}). */
    public boolean equalityColumns() {
        return Double.isInfinite(gamma);
    }

    /** A problem with the same marginals and another cost (the MM surrogate cost, §2). */
    public TransportProblem withCost(double[] otherCost) {
        return new TransportProblem(otherCost, n, k, rho, eps, gamma);
    }

    /**
     * The exponent {@code fi = gamma / (gamma + eps)} of the KL power step (ALGORITHM.md §1); 1 for equality columns.
     */
    public double relaxationExponent() {
        return equalityColumns() ? 1.0 : gamma / (gamma + eps);
    }

    /** Target size of every real cluster, {@code rho / K} (ALGORITHM.md §1). */
    public double clusterMass() {
        return rho / k;
    }
}
