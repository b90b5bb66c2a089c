package org.sp2ot.jobs.eval;

import java.util.Locale;

/** The head / medium / tail thirds of a long-tailed label set (ALGORITHM.md §6, "Head / Medium / Tail"). */
public enum ClassGroup {
    HEAD, MEDIUM, TAIL;

    /** The lower-case name used in metrics.json and the report ({@code "head"}, {@code "medium"}, {@code "tail"}). */
    public String key() {
        return name().toLowerCase(Locale.ROOT);
    }
}
