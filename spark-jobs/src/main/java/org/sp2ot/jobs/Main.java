package org.sp2ot.jobs;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.DidYouMean;
import org.sp2ot.jobs.cli.ExitCodes;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.jobs.bench.ExtractBenchCommand;
import org.sp2ot.jobs.bench.KnnBenchCommand;
import org.sp2ot.jobs.bench.SolverBench;
import org.sp2ot.jobs.bench.TrainBenchCommand;
import org.sp2ot.jobs.solve.SolveCommand;

/**
 * Entry point of {@code bin/sp2ot} and of the shaded jar for {@code spark-submit}: the first argument picks the
 * command (DESIGN.md, "Command line"). {@code sp2ot --help}, {@code -h} or {@code help} lists the commands;
 * {@code sp2ot <command> --help} (or {@code -h}, or {@code sp2ot help <command>}) prints the command's usage,
 * options and an example; a misspelt command gets the likely intended one. Every command's exit status comes
 * from {@link ExitCodes} (0 done, 2 usage/config/input error, 3 busy, 1 failure during work); only a failure
 * during work prints a stack trace.
 */
public final class Main {

    private Main() {
    }

    static Map<String, Command> commands() {
        List<Command> all = List.of(
                new RunCommand(),
                new ManifestCommand(),
                new StageCommand("extract"),
                new KnnCommand(),
                new StageCommand("train"),
                new StageCommand("assign"),
                new StageCommand("evaluate"),
                new ChooseKCommand(),
                new PredictCommand(),
                new SolveCommand(),
                new BenchCommand(List.of(new SolverBench(), new KnnBenchCommand(), new ExtractBenchCommand(),
                        new TrainBenchCommand(), new QualityBenchCommand(System.out))));
        Map<String, Command> byName = new LinkedHashMap<>();
        for (Command command : all) {
            byName.put(command.name(), command);
        }
        return byName;
    }

    public static void main(String[] argv) {
        if (System.getProperty("spark.master") == null) {
            // Not under spark-submit: Spark runs embedded, on the run config's spark.master (default local[*]).
            System.setProperty("spark.master", "local[*]");
            System.setProperty(SparkSessions.EMBEDDED_MASTER, "true");
        }
        int status = run(argv);
        SparkSession.getDefaultSession().foreach(session -> {
            session.stop();
            return null;
        });
        if (status != 0) {
            System.exit(status);
        }
    }

    /** Runs one command line and returns its exit status ({@link ExitCodes}). */
    public static int run(String[] argv) {
        return run(argv, System.out, System.err);
    }

    /** {@link #run(String[])} with the help text going to {@code out} and errors to {@code err}. */
    static int run(String[] argv, PrintStream out, PrintStream err) {
        Map<String, Command> commands = commands();
        if (argv.length == 0) {
            err.print(overview(commands));
            return ExitCodes.USAGE;
        }
        if (isHelp(argv[0]) || argv[0].equals("help")) {
            if (argv.length > 1 && commands.containsKey(argv[1])) {
                out.print(commands.get(argv[1]).help());
                return ExitCodes.OK;
            }
            if (argv.length > 1) {
                err.println("sp2ot: no command '" + argv[1] + "'" + DidYouMean.hint(argv[1], commands.keySet()));
                err.print(overview(commands));
                return ExitCodes.USAGE;
            }
            out.print(overview(commands));
            return ExitCodes.OK;
        }
        Command command = commands.get(argv[0]);
        if (command == null) {
            err.println("sp2ot: unknown command '" + argv[0] + "'" + DidYouMean.hint(argv[0], commands.keySet()));
            err.print(overview(commands));
            return ExitCodes.USAGE;
        }
        String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
        if (!(command instanceof BenchCommand) && Arrays.stream(rest).anyMatch(Main::isHelp)) {
            out.print(command.help());
            return ExitCodes.OK;
        }
        try {
            if (command instanceof BenchCommand bench) {
                return bench.run(rest, out);
            }
            return command.run(Args.parse(rest));
        } catch (Exception e) {
            return report(command.name(), e, err);
        }
    }

    /** Prints {@code error} as a scheduler and a user need it and returns its exit status. */
    static int report(String command, Throwable error, PrintStream err) {
        int status = ExitCodes.of(error);
        Throwable explaining = ExitCodes.explaining(error);
        if (explaining != null) {
            err.println("sp2ot " + command + ": " + explaining.getMessage());
            if (explaining instanceof UsageException && explaining.getMessage().startsWith("unknown option")) {
                err.println("(sp2ot " + command + " --help lists the options)");
            }
        } else {
            err.println("sp2ot " + command + " failed: " + error);
            error.printStackTrace(err);
        }
        return status;
    }

    static boolean isHelp(String word) {
        return word.equals("--help") || word.equals("-h");
    }

    private static String overview(Map<String, Command> commands) {
        StringBuilder text = new StringBuilder("usage: sp2ot <command> [options]   (sp2ot <command> --help for its"
                + " options and an example)\n");
        for (Command command : commands.values()) {
            text.append(String.format("  %-9s %s%n", command.name(), command.summary()));
        }
        text.append("exit status: 0 done, 2 usage/config error or input rejected, 3 busy (another run holds the run"
                + " directory: retry later), 1 failure during work\n");
        return text.toString();
    }
}
