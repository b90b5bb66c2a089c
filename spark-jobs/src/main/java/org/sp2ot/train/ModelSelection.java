package org.sp2ot.train;

import java.util.Locale;

import org.sp2ot.solver.Choices;

/** Which head a training run returns (ALGORITHM.md §4: "Model selection by lowest training loss (or last)"). */
public enum ModelSelection {
    /**
     * The head after the epoch with the lowest mean training loss. The loss weighs each sample by its OT mass, whose
     * mean is rho, so under a rising rho schedule early epochs have an advantage; {@link #LAST} avoids that bias.
     */
    LOWEST_LOSS,
    /**
     * The head after the epoch with the lowest mean training loss divided by the epoch's mean rho: the authors' rule
     * (ALGORITHM.md §9, {@code model_select = "loss"}), which removes the rho bias of {@link #LOWEST_LOSS}.
     */
    LOSS_PER_RHO,
    /** The head after the last epoch. */
    LAST;

    /** Parses {@code lowest-loss | last} (case-insensitive, '-' or '_'). */
    public static ModelSelection parse(String name) {
        return Choices.parse("model selection", values(), ModelSelection::configName, name == null ? null : name.trim().replace('_', '-'));
    }

    /** The name used in configuration, e.g. {@code lowest-loss}. */
    public String configName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
