package org.sp2ot.jobs.cli;

import java.util.HashSet;
import java.util.Set;

/**
 * The exit statuses of every command (README, "Exit status"), decided in one place from what a command threw, so
 * a scheduler can act on them:
 * <ul>
 *   <li>{@value #OK}: done;</li>
 *   <li>{@value #USAGE}: usage or config error, or input data rejected before work ({@link UsageException}), or
 *       settings found unusable during training (the solver diverged: {@code org.sp2ot.solver.DivergenceException});
 *       fix the command or the config, a retry alone gives the same;</li>
 *   <li>{@value #BUSY}: another run holds the run directory ({@link BusyException}); retry later;</li>
 *   <li>{@value #FAILURE}: a failure during the work (I/O, a crashed executor, a bug): the message and the stack
 *       trace say what.</li>
 * </ul>
 * The cause chain is searched, so a validation error that Spark wrapped in its own exception keeps its status.
 */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    public static final int BUSY = 3;

    /** Exceptions thrown by lower layers (which cannot see this package) that mean "unusable settings". */
    private static final Set<String> SETTINGS_ERRORS = Set.of("org.sp2ot.solver.DivergenceException");

    private ExitCodes() {
    }

    /** The exit status for a command that threw {@code error}. */
    public static int of(Throwable error) {
        Throwable cause = explaining(error);
        if (cause instanceof BusyException) {
            return BUSY;
        }
        return cause == null ? FAILURE : USAGE;
    }

    /**
     * The exception in {@code error}'s cause chain that explains it to the user without a stack trace (a usage,
     * config, data or busy error), or null when it is a failure during work.
     */
    public static Throwable explaining(Throwable error) {
        Set<Throwable> seen = new HashSet<>();
        for (Throwable t = error; t != null && seen.add(t); t = t.getCause()) {
            if (t instanceof UsageException || t instanceof BusyException
                    || SETTINGS_ERRORS.contains(t.getClass().getName())) {
                return t;
            }
        }
        return null;
    }
}
