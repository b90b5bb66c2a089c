package org.sp2ot.jobs;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;

/**
 * {@code sp2ot bench solver | knn | extract | train [options]}: runs one benchmark target (a {@link Command} in
 * {@code org.sp2ot.jobs.bench} whose name is the target) and prints its table. Benchmarks are not tests: they
 * time, they do not assert (DESIGN.md, "Tests").
 */
public final class BenchCommand implements Command {
    private final Map<String, Command> targets = new LinkedHashMap<>();

    /** The command over {@code targets} (each a {@link Command} whose name is its target word). */
    public BenchCommand(List<Command> targets) {
        for (Command target : targets) {
            this.targets.put(target.name(), target);
        }
    }

    @Override
    public String name() {
        return "bench";
    }

    @Override
    public String summary() {
        return "benchmarks, prints a table: " + String.join(" | ", targets.keySet()) + " [options]";
    }

    @Override
    public int run(Args args) throws Exception {
        throw new UsageException("bench needs a target: sp2ot bench " + String.join(" | ", targets.keySet()));
    }

    /** Dispatches {@code bench TARGET options...}; the target word comes before the options. */
    public int run(String[] argv) throws Exception {
        if (argv.length == 0 || !targets.containsKey(argv[0])) {
            throw new UsageException((argv.length == 0 ? "bench needs a target" : "unknown bench target '" + argv[0]
                    + "'") + ": sp2ot bench " + String.join(" | ", targets.keySet()));
        }
        return targets.get(argv[0]).run(Args.parse(Arrays.copyOfRange(argv, 1, argv.length)));
    }
}
