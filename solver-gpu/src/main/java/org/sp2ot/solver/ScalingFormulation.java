package org.sp2ot.solver;

/**
 * How a {@link TransportProblem} is written as a scaling iteration {@code Q̂ = t · diag(a) M diag(b)} with the
 * stabilised kernel {@code M_ij = exp((u_i - Ĉ_ij + v_j) / eps)} (ALGORITHM.md §1). Shared by every backend so that
 * all of them iterate the same map.
 * <ul>
 *   <li>{@link Kind#VIRTUAL_COLUMN} (P2OT, POT, UOT, OT): when rho &lt; 1 a zero-cost column K+1 with mass 1-rho is
 *   appended; rows are equalities {@code a = (1/N) / (M b)}, {@code t = 1}.</li>
 *   <li>{@link Kind#GENERALIZED} (GSA, Chizat et al. 2018): no virtual column; the row inequality
 *   {@code Q 1 <= 1/N} is the proximal step {@code a = min(exp(-u/eps), (1/N) / (t M b))} and the total mass is a
 *   third block {@code t = rho / (a^T M b)}: dual block-coordinate ascent on the original problem.</li>
 * </ul>
 * Real columns are KL-relaxed by the power step {@code b_j = (Pb_j / (t M^T a)_j)^fi · exp(v_j (fi-1) / eps)}.
 */
public final class ScalingFormulation {

    /** Threshold of the absorption rule: absorb when a scaling leaves [1/ABSORB, ABSORB] (ALGORITHM.md §1). */
    public static final double ABSORB = 1e8;
    /** Smallest exponent of the warm b compensation of a column shift ({@link #warmCompensation}). */
    static final double WARM_COMPENSATION_FLOOR = -18.0;

    /** The two ways of writing the problem as a scaling iteration. */
    public enum Kind { VIRTUAL_COLUMN, GENERALIZED }

    private final TransportProblem problem;
    private final Kind kind;
    private final int n;
    private final int k;
    private final int kx;
    private final double rowMass;
    private final double[] columnMass;
    private final double fi;
    private final double eps;

    private ScalingFormulation(TransportProblem problem, Kind kind) {
        this.problem = problem;
        this.kind = kind;
        this.n = problem.n();
        this.k = problem.k();
        boolean virtual = kind == Kind.VIRTUAL_COLUMN && problem.rho() < 1.0;
        this.kx = virtual ? k + 1 : k;
        this.rowMass = 1.0 / n;
        this.columnMass = virtualClusterMarginals(problem, kx);
        this.fi = problem.relaxationExponent();
        this.eps = problem.eps();
    }

    /** The virtual-cluster formulation (P2OT family). */
    public static ScalingFormulation virtualColumn(TransportProblem problem) {
        return new ScalingFormulation(problem, Kind.VIRTUAL_COLUMN);
    }

    /** The generalized-scaling formulation (GSA). */
    public static ScalingFormulation generalized(TransportProblem problem) {
        return new ScalingFormulation(problem, Kind.GENERALIZED);
    }

    /**
     * Column marginals {@code Pb = (rho/K, ..., rho/K, 1-rho)} of the extended problem (ALGORITHM.md §1, virtual
     * cluster); without a virtual column only the K entries rho/K.
     */
    static double[] virtualClusterMarginals(TransportProblem problem, int kx) {
        double[] pb = new double[kx];
        for (int j = 0; j < problem.k(); j++) {
            pb[j] = problem.clusterMass();
        }
        if (kx > problem.k()) {
            pb[problem.k()] = 1.0 - problem.rho();
        }
        return pb;
    }

    public TransportProblem problem() {
        return problem;
    }

    public Kind kind() {
        return kind;
    }

    public int n() {
        return n;
    }

    public int k() {
        return k;
    }

    /** Number of columns of the extended plan (K, or K+1 with the virtual column). */
    public int kx() {
        return kx;
    }

    public double eps() {
        return eps;
    }

    /** Whether a total-mass scaling t is iterated (generalized formulation). */
    public boolean scalesTotalMass() {
        return kind == Kind.GENERALIZED;
    }

    /** The extended cost {@code Ĉ_ij}: the problem's cost, 0 in the virtual column. */
    public double extendedCost(int i, int j) {
        return j < k ? problem.cost(i, j) : 0.0;
    }

    /** Whether column j is KL-relaxed (a real column with finite gamma). */
    public boolean relaxed(int j) {
        return j < k && fi != 1.0;
    }

    /** Target mass {@code Pb_j} of column j. */
    public double columnMass(int j) {
        return columnMass[j];
    }

    /** Target mass 1/N of a row. */
    public double rowMass() {
        return rowMass;
    }

    /** The power-step exponent {@code fi = gamma / (gamma + eps)}. */
    public double fi() {
        return fi;
    }

    /**
     * The log of the stabilisation factor {@code w_j = exp(v_j (fi - 1) / eps)} of the power step (ALGORITHM.md §1,
     * log-domain stabilisation); 0 for equality columns. Kept as a log because for large |v_j| (a surrogate cost moved
     * by thousands of eps) w_j alone over- or underflows although the column scaling it multiplies is representable.
     */
    public double powerStepLogWeight(int j, double vj) {
        return relaxed(j) ? vj * (fi - 1.0) / eps : 0.0;
    }

    /**
     * The row update {@code a_i} from {@code s_i = (M b)_i}: {@code (1/N) / (t s_i)}, capped at
     * {@code exp(-u_i/eps)} in the generalized formulation (proximal step of {@code Q 1 <= 1/N}).
     *
     * @param cap {@code exp(-u_i/eps)} (ignored by the virtual-column formulation)
     */
    public double rowScaling(double rowSum, double t, double cap) {
        double a = rowMass / (t * rowSum);
        return kind == Kind.GENERALIZED ? Math.min(a, cap) : a;
    }

    /**
     * The column update {@code b_j} from {@code c_j = (M^T a)_j}: {@code Pb_j / (t c_j)}, then the KL power step
     * {@code b^fi · w_j} on relaxed columns (ALGORITHM.md §1), evaluated as {@code exp(fi log b + log w_j)}.
     *
     * @param logWeight {@link #powerStepLogWeight}
     */
    public double columnScaling(int j, double columnSum, double t, double logWeight) {
        double b = columnMass[j] / (t * columnSum);
        return relaxed(j) ? Math.exp(fi * Math.log(b) + logWeight) : b;
    }

    /** The total-mass update {@code t = rho / (a^T M b)} of the generalized formulation. */
    public double totalMassScaling(double unscaledMass) {
        return problem.rho() / unscaledMass;
    }

    /**
     * Potentials to start a solve from: the previous ones when the shape matches (warm start), else zeros with
     * {@code b = 1/kx} (ALGORITHM.md §1). Then rows are shifted so each row's largest kernel entry is 1 (a free
     * choice: a is recomputed from b), and every column whose largest entry is below {@code e^-30} (or, cold,
     * every column) is shifted to a largest entry of 1, compensated in b when warm. This keeps
     * {@code exp((u - Ĉ + v)/eps)} representable for any cost, e.g. logits of ±1e4 with eps 0.01.
     */
    public WarmState prepare(WarmState previous) {
        WarmState s = start(previous);
        double[] columnMax = new double[kx];
        shiftRows(s, 0, n, columnMax);
        shiftColumns(s, previous, columnMax);
        return s;
    }

    /**
     * The first step of {@link #prepare}: a copy of the previous potentials when the shape matches, else zeros with
     * {@code b = 1/kx}.
     */
    public WarmState start(WarmState previous) {
        WarmState s = new WarmState(n, kx);
        if (previous != null && previous.fits(n, kx)) {
            s.copyFrom(previous);
        } else {
            java.util.Arrays.fill(s.b, 1.0 / kx);
        }
        return s;
    }

    /**
     * The second step of {@link #prepare} for rows {@code from..to-1} (independent across row ranges): shifts
     * {@code u_i} so the row's largest exponent {@code u_i - Ĉ_ij + v_j} is 0 and writes the column maxima of the
     * shifted exponents over these rows into {@code columnMax}.
     */
    public void shiftRows(WarmState s, int from, int to, double[] columnMax) {
        java.util.Arrays.fill(columnMax, Double.NEGATIVE_INFINITY);
        for (int i = from; i < to; i++) {
            double rowMax = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < kx; j++) {
                rowMax = Math.max(rowMax, s.v[j] - extendedCost(i, j));
            }
            s.u[i] = -rowMax;
            for (int j = 0; j < kx; j++) {
                columnMax[j] = Math.max(columnMax[j], s.u[i] - extendedCost(i, j) + s.v[j]);
            }
        }
    }

    /**
     * The last step of {@link #prepare}: shifts every column whose largest exponent (over all rows, {@code columnMax})
     * is below {@code -30 eps} (cold: every column) to 0, compensating b when warm.
     */
    public void shiftColumns(WarmState s, WarmState previous, double[] columnMax) {
        boolean warm = previous != null && previous.fits(n, kx);
        for (int j = 0; j < kx; j++) {
            if (!warm || columnMax[j] < -30.0 * eps) {
                s.v[j] -= columnMax[j];
                if (warm) {
                    s.b[j] *= warmCompensation(columnMax[j] / eps);
                }
            }
        }
    }

    /**
     * The factor {@code e^x} by which a warm b compensates a column shift of {@code x} (in units of eps, x &lt; 0),
     * floored at {@code e^-18} (just above the absorption threshold 1e-8). Without the floor a cost that moved by
     * thousands of eps between solves (the SP2OT surrogate with lam0 = 1000, eps = 0.01) underflows b to 0 and the
     * column can never carry mass again. The floor only moves the starting point, never the fixed point.
     */
    public static double warmCompensation(double exponent) {
        return Math.exp(Math.max(exponent, WARM_COMPENSATION_FLOOR));
    }

    /**
     * The absorption rule of ALGORITHM.md §1: when {@code max(a)} or {@code max(b)} exceeds {@link #ABSORB}; also when
     * {@code min(b)} falls below {@code 1/ABSORB}. (A small a is legitimate: GSA rows may carry almost no mass.)
     *
     * @param rowRange {@code [min a, max a]}
     */
    public static boolean needsAbsorption(double[] rowRange, double[] b) {
        double maxB = 0;
        double minB = Double.POSITIVE_INFINITY;
        for (double value : b) {
            maxB = Math.max(maxB, value);
            minB = Math.min(minB, value);
        }
        return !(rowRange[1] <= ABSORB && maxB <= ABSORB && minB >= 1.0 / ABSORB);
    }

    /** The smallest and largest entry of a. */
    public static double[] range(double[] a) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double value : a) {
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        return new double[] {min, max};
    }

    /** The stabilised kernel entry {@code exp((u_i - Ĉ_ij + v_j) / eps)} (ALGORITHM.md §1). */
    public double kernel(int i, int j, double ui, double vj) {
        return Math.exp((ui - extendedCost(i, j) + vj) / eps);
    }

    /**
     * The relative change {@code ||(b - b_prev) / b_prev||_2} of the column scaling: the stop rule of ALGORITHM.md §1
     * ({@code ||b - b_prev||_2}) evaluated relative to b, so it does not depend on when absorption last reset b to 1.
     * In the generalized formulation the relative change of t is included as one more component.
     */
    public static double relativeChange(double[] b, double[] bPrev, double t, double tPrev) {
        double sum = 0;
        for (int j = 0; j < b.length; j++) {
            double d = (b[j] - bPrev[j]) / bPrev[j];
            sum += d * d;
        }
        double dt = (t - tPrev) / tPrev;
        return Math.sqrt(sum + dt * dt);
    }

    /** Row-by-row access to the extended plan {@code Q̂} (unscaled), so no n*kx copy is needed. */
    public interface PlanRows {
        /** Writes row i of {@code Q̂} (kx entries) into {@code out}. */
        void row(int i, double[] out);
    }

    /**
     * Assembles the result from the extended plan {@code Q̂}: drops the virtual column, scales by N, and measures the
     * marginal errors.
     */
    public ScalingResult result(PlanRows rows, int iterations, boolean converged, double residual) {
        double[] plan = new double[n * k];
        double[] weights = new double[n];
        double[] columns = new double[kx];
        double[] stats = new double[2];
        assembleRows(rows, 0, n, plan, weights, columns, stats);
        return finishResult(plan, weights, columns, stats[0], stats[1], iterations, converged, residual);
    }

    /**
     * The row part of {@link #result} for rows {@code from..to-1} (independent across row ranges): writes the plan
     * rows and weights, the column sums of these rows into {@code columns}, and {@code stats = [largest row
     * violation, real mass of these rows]}.
     */
    public void assembleRows(PlanRows rows, int from, int to, double[] plan, double[] weights, double[] columns,
                             double[] stats) {
        java.util.Arrays.fill(columns, 0.0);
        double[] row = new double[kx];
        double rowError = 0;
        double total = 0;
        for (int i = from; i < to; i++) {
            rows.row(i, row);
            int base = i * k;
            double realRow = 0;
            for (int j = 0; j < k; j++) {
                double q = row[j];
                columns[j] += q;
                realRow += q;
                plan[base + j] = n * q;
            }
            // The same additions in the same order as one loop over all kx columns: the virtual column is last.
            double fullRow = realRow;
            for (int j = k; j < kx; j++) {
                columns[j] += row[j];
                fullRow += row[j];
            }
            if (!Double.isFinite(fullRow)) {
                throw nonFinite(row, i);
            }
            weights[i] = n * realRow;
            total += realRow;
            double violation = kind == Kind.VIRTUAL_COLUMN ? Math.abs(fullRow - rowMass) : fullRow - rowMass;
            rowError = Math.max(rowError, violation);
        }
        stats[0] = rowError;
        stats[1] = total;
    }

    /**
     * The error for row i of a plan whose row sum is not finite: plan entries are non-negative, so a NaN or infinite
     * entry always makes the sum non-finite, and the loop above checks the sum instead of every entry.
     */
    private IllegalStateException nonFinite(double[] row, int i) {
        for (int j = 0; j < kx; j++) {
            if (!Double.isFinite(row[j])) {
                return new IllegalStateException("scaling produced a non-finite plan entry at row " + i + ", column " + j
                        + " (eps=" + eps + "): the cost range is too large for this eps");
            }
        }
        return new IllegalStateException("scaling produced a plan row whose sum overflows at row " + i + " (eps=" + eps
                + "): the cost range is too large for this eps");
    }

    /** The final part of {@link #result}: the column errors from the column sums of all rows. */
    public ScalingResult finishResult(double[] plan, double[] weights, double[] columns, double rowError, double total,
                                      int iterations, boolean converged, double residual) {
        double columnError = 0;
        for (int j = 0; j < kx; j++) {
            if (!relaxed(j)) {
                columnError = Math.max(columnError, Math.abs(columns[j] - columnMass[j]));
            }
        }
        return new ScalingResult(plan, weights, iterations, converged, residual, Math.max(0.0, rowError), columnError,
                total);
    }
}
