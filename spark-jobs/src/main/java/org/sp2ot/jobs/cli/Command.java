package org.sp2ot.jobs.cli;

/** One sub-command of {@code bin/sp2ot} (DESIGN.md, "Command line"). */
public interface Command {

    /** The word that selects this command, e.g. {@code "knn"}. */
    String name();

    /** One line for the launcher's help listing. */
    String summary();

    /**
     * Runs the command.
     *
     * @return the process exit status (0 on success)
     * @throws UsageException when the arguments are wrong; the launcher prints the message and exits 2
     */
    int run(Args args) throws Exception;
}
