package org.sp2ot.train;

import java.util.Locale;

import org.sp2ot.solver.Choices;

/**
 * Which pseudo-labels a batch row is trained against (ALGORITHM.md §9, "Two views": the authors take view a's logits
 * against view b's pseudo-labels).
 */
public enum SecondView {
    /** The row's own pseudo-labels (one view, ALGORITHM.md §4). */
    NONE,
    /**
     * The pseudo-labels of one of its k-NN neighbours, drawn per row and step from the seed (SCAN / NNCLR-style: the
     * neighbour is the second view of the same content). Needs the k-NN graph; a neighbour outside the bank falls
     * back to the row itself. The neighbour's pseudo-labels come from the same OT problem over the bank.
     */
    NEIGHBOR;

    /** Parses {@code none | neighbor} ({@code neighbour} accepted). */
    public static SecondView parse(String name) {
        return Choices.parse("second view", values(), SecondView::configName, name == null ? null : name.trim().toLowerCase(Locale.ROOT).replace("neighbour", "neighbor"));
    }

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
