package org.sp2ot.jobs.cli;

/** One sub-command of {@code bin/sp2ot} (DESIGN.md, "Command line"). */
public interface Command {

    /** The word that selects this command, e.g. {@code "knn"}. */
    String name();

    /** One line for the launcher's help listing. */
    String summary();

    /**
     * The text of {@code sp2ot <name> --help}: a usage line, the options with their defaults, and at least one
     * example (README, "Commands").
     */
    default String help() {
        return "usage: sp2ot " + name() + " [options]\n\n" + summary() + "\n";
    }

    /**
     * Runs the command.
     *
     * @return the process exit status (0 on success)
     * @throws UsageException when the arguments are wrong; the launcher prints the message and exits 2
     */
    int run(Args args) throws Exception;
}
