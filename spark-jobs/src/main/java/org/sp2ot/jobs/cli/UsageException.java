package org.sp2ot.jobs.cli;

/** A command line or configuration the user must fix; the message says what and how. */
public class UsageException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UsageException(String message) {
        super(message);
    }

    public UsageException(String message, Throwable cause) {
        super(message, cause);
    }
}
