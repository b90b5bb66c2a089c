package org.sp2ot.train;

import java.util.Locale;

import org.sp2ot.solver.Choices;

/**
 * How SP2OT's graph weight relates to the OT problem's size (ALGORITHM.md §9, "Scale of the graph term").
 *
 * <p>The per-row pull of the graph term is {@code lam * sum_j S_ij Q_j}; the plan's entries are {@code O(1/N)} for
 * an N-row problem (row masses {@code 1/N}), so with k neighbours per row the pull is of order {@code lam * k / N}.
 * lam0 = 1000 was tuned on a bank of {@value #REFERENCE_ROWS} rows. {@link #BANK} keeps its meaning for any bank:
 * {@code lam0_eff = lam0 * N / 5120}, so the pull {@code lam0_eff * k / N = lam0 * k / 5120} does not depend on N.
 * On a problem whose every row is repeated c times (N' = cN, each copy keeping the same k neighbours among copies),
 * the plan is the original one divided by c, the pull is unchanged and so are the pseudo-labels.
 */
public enum LamScaling {
    /** lam0 as given, whatever the bank (the authors' code). */
    NONE,
    /** lam0 scaled by {@code N / 5120}, N = rows of the OT problem (bank, or batch without a bank). */
    BANK;

    /** The bank size lam0 = 1000 was tuned with (the paper: batch 512, bank 10x). */
    public static final int REFERENCE_ROWS = 5120;

    /** The lam0 to use on an OT problem of {@code problemRows} rows. */
    public double lam0For(double lam0, int problemRows) {
        return this == BANK ? lam0 * problemRows / REFERENCE_ROWS : lam0;
    }

    /** Parses {@code none | bank}. */
    public static LamScaling parse(String name) {
        return Choices.parse("lam scaling", values(), LamScaling::configName, name);
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
