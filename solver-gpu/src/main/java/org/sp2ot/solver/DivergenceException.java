package org.sp2ot.solver;

/**
 * An iteration became non-finite with the given settings (e.g. a too small eps or a too large lam0 for the data):
 * the settings, not the machine, must change. The message names the settings involved. The command line reports
 * it as a config problem (exit status 2) without a stack trace.
 */
public class DivergenceException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    public DivergenceException(String message) {
        super(message);
    }

    public DivergenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
