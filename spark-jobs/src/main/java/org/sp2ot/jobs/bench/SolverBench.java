package org.sp2ot.jobs.bench;

import java.util.Arrays;

import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.solver.bench.SolverBenchmark;

/**
 * {@code sp2ot bench solver [--n 5120] [--k 100,1000] [--rho 0.1,0.5,1.0] [--eps 0.1] [--gamma 1] [--tol 1e-6]
 * [--max-iter 20000] [--repeats 3] [--long-tail] [--no-reference] [--no-aparapi] [--seed 0]}: times every OT solver
 * (P2OT: float64 reference, fast CPU path plain and accelerated, Aparapi; GSA and OT on the fast path) on generated cosine-head logits of the
 * training shape and prints a table of iterations, ms/iteration, ms/solve and relative L1 distance to a converged plan.
 * The benchmark itself is {@link SolverBenchmark} (solver-gpu, runs without Spark).
 */
public final class SolverBench implements Command {

    @Override
    public String name() {
        return "solver";
    }

    @Override
    public String summary() {
        return "time every OT solver (reference, fast, aparapi, GSA, OT) at the training shape and print a table";
    }

    @Override
    public int run(Args args) {
        SolverBenchmark.Options defaults = SolverBenchmark.Options.defaults();
        SolverBenchmark.Options options;
        try {
            options = new SolverBenchmark.Options(args.getInt("n", defaults.n()),
                    ints(args.get("k"), defaults.ks()), doubles(args.get("rho"), defaults.rhos()),
                    args.getDouble("eps", defaults.eps()), args.getDouble("gamma", defaults.gamma()),
                    args.getDouble("tol", defaults.tol()), args.getInt("max-iter", defaults.maxIter()),
                    args.getInt("repeats", defaults.repeats()), args.flag("long-tail"), !args.flag("no-reference"),
                    !args.flag("no-aparapi"), args.getInt("seed", 0));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        args.rejectUnread();
        SolverBenchmark.run(options, System.out);
        return 0;
    }

    private static int[] ints(String list, int[] fallback) {
        if (list == null) {
            return fallback;
        }
        try {
            return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new UsageException("--k must be a comma-separated list of integers, got '" + list + "'", e);
        }
    }

    private static double[] doubles(String list, double[] fallback) {
        if (list == null) {
            return fallback;
        }
        try {
            return Arrays.stream(list.split(",")).map(String::trim).mapToDouble(Double::parseDouble).toArray();
        } catch (NumberFormatException e) {
            throw new UsageException("--rho must be a comma-separated list of numbers, got '" + list + "'", e);
        }
    }
}
