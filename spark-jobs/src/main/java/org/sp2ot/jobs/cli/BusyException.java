package org.sp2ot.jobs.cli;

/**
 * The work cannot start now because something else holds what it needs (another run holds the run directory's
 * lock); a scheduler should retry later. Exit status {@link ExitCodes#BUSY}.
 */
public class BusyException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public BusyException(String message) {
        super(message);
    }
}
