package org.sp2ot.jobs;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.DidYouMean;
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
    public String help() {
        StringBuilder text = new StringBuilder("usage: sp2ot bench <target> [options]\n\n"
                + "Runs one benchmark and prints its table (benchmarks time, they do not assert). Targets:\n");
        for (Command target : targets.values()) {
            text.append(String.format("  %-8s %s%n", target.name(), target.summary()));
        }
        text.append("\nOptions per target (defaults in brackets):\n"
                + "  solver   --n [5120] --k K1,K2 --rho R1,R2 --eps --gamma --tol --max-iter --repeats --seed\n"
                + "           --long-tail --no-reference --no-aparapi\n"
                + "  knn      --n [100000] --k [20] --block-size [0: chosen from N, d and cores] --seed\n"
                + "  extract  --images [512] --size [224] --batch [32]\n"
                + "  train    --preset [small]|large|random --n [10240] --k [100] (a list: 100,1000) --batch [512]\n"
                + "           --bank [5120] --knn-k [20] --methods [p2ot,sp2ot] --backend [fast] --seed [0]\n"
                + "           --dim [768] (random preset only) --warmup [1] (untimed runs of each row first)\n"
                + "           --epochs [1] (timed epochs over the --n rows; the rho schedule runs over all of them)\n"
                + "\nExamples:\n  sp2ot bench solver --n 5120 --k 100\n  sp2ot bench knn --n 20000\n"
                + "  sp2ot bench train --preset large --k 100,1000 --methods p2ot,sp2ot,ot,pot,uot\n");
        return text.toString();
    }

    @Override
    public int run(Args args) throws Exception {
        throw new UsageException("bench needs a target: sp2ot bench " + String.join(" | ", targets.keySet()));
    }

    /** Dispatches {@code bench TARGET options...}; the target word comes before the options. */
    public int run(String[] argv) throws Exception {
        return run(argv, System.out);
    }

    /** {@link #run(String[])}, with {@code --help} / {@code -h} printing {@link #help()} to {@code out}. */
    public int run(String[] argv, PrintStream out) throws Exception {
        if (Arrays.stream(argv).anyMatch(a -> a.equals("--help") || a.equals("-h"))) {
            out.print(help());
            return 0;
        }
        if (argv.length == 0 || !targets.containsKey(argv[0])) {
            throw new UsageException((argv.length == 0 ? "bench needs a target" : "unknown bench target '" + argv[0]
                    + "'" + DidYouMean.hint(argv[0], targets.keySet())) + ": sp2ot bench "
                    + String.join(" | ", targets.keySet()));
        }
        return targets.get(argv[0]).run(Args.parse(Arrays.copyOfRange(argv, 1, argv.length)));
    }
}
