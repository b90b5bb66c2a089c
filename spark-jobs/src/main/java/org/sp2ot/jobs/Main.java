package org.sp2ot.jobs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.apache.spark.sql.SparkSession;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.jobs.bench.ExtractBenchCommand;
import org.sp2ot.jobs.bench.KnnBenchCommand;
import org.sp2ot.jobs.bench.SolverBench;
import org.sp2ot.jobs.bench.TrainBenchCommand;
import org.sp2ot.jobs.knn.KnnCommand;
import org.sp2ot.jobs.solve.SolveCommand;

/**
 * Entry point of {@code bin/sp2ot} and of the shaded jar for {@code spark-submit}: the first argument picks the
 * command (DESIGN.md, "Command line").
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
                new SolveCommand(),
                new BenchCommand(List.of(new SolverBench(), new KnnBenchCommand(), new ExtractBenchCommand(),
                        new TrainBenchCommand())));
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

    /** Runs one command line and returns its exit status; usage errors print a message and give 2. */
    public static int run(String[] argv) {
        Map<String, Command> commands = commands();
        if (argv.length == 0 || argv[0].equals("--help") || argv[0].equals("help")) {
            printHelp(commands);
            return argv.length == 0 ? 2 : 0;
        }
        Command command = commands.get(argv[0]);
        if (command == null) {
            System.err.println("sp2ot: unknown command '" + argv[0] + "'");
            printHelp(commands);
            return 2;
        }
        try {
            String[] rest = Arrays.copyOfRange(argv, 1, argv.length);
            if (command instanceof BenchCommand bench) {
                return bench.run(rest);
            }
            return command.run(Args.parse(rest));
        } catch (UsageException e) {
            System.err.println("sp2ot " + command.name() + ": " + e.getMessage());
            return 2;
        } catch (Exception e) {
            System.err.println("sp2ot " + command.name() + " failed: " + e);
            e.printStackTrace(System.err);
            return 1;
        }
    }

    private static void printHelp(Map<String, Command> commands) {
        System.err.println("usage: sp2ot <command> [options]");
        for (Command command : commands.values()) {
            System.err.printf("  %-9s %s%n", command.name(), command.summary());
        }
    }
}
