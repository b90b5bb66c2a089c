package org.sp2ot.solver.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.sp2ot.solver.FastScaling;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.P2otScaling;
import org.sp2ot.solver.ScalingFormulation;
import org.sp2ot.solver.ScalingResult;
import org.sp2ot.solver.ScalingSolver;
import org.sp2ot.solver.TransportProblem;
import org.sp2ot.solver.aparapi.AparapiScaling;

/**
 * Times every solver on generated cosine-head logits of the training shape (ALGORITHM.md §8): for each K and rho,
 * iterations, ms per solve (median of the repeats, each a cold start; the kernel build is included, the log-softmax
 * of the logits is not), ms per iteration (= ms per solve / iterations, so the build is spread over the iterations) and the relative L1 distance of the plan to a converged plan of the same
 * problem. P2OT's converged plan is the float64 reference continued (warm) to tol 1e-13; GSA and OT, which solve other
 * problems, are compared with their own fast-path plans at tol 1e-11 (float32 kernel: about 1e-8 from float64), capped
 * at 4 × max-iter passes; a solver name ending in {@code ~} marks a comparison plan that hit that cap. GSA is not run
 * at rho = 1, where every row saturates its cap and the total-mass block is redundant (the problem is UOT): its
 * coordinate ascent then needs over 40000 passes at N = 5120, K = 100 (measured), which is the paper's point.
 */
public final class SolverBenchmark {

    /** What to run. */
    public record Options(int n, int[] ks, double[] rhos, double eps, double gamma, double tol, int maxIter,
                          int repeats, boolean longTailed, boolean reference, boolean aparapi, long seed) {

        /** The training shape: N = 5120, K = 100 and 1000, rho 0.1 / 0.5 / 1.0, eps 0.1, gamma 1, tol 1e-6. */
        public static Options defaults() {
            return new Options(5120, new int[] {100, 1000}, new double[] {0.1, 0.5, 1.0}, 0.1, 1.0, 1e-6, 20_000, 3,
                    false, true, true, 0L);
        }

        /** Validates the options; the message names the bad one. */
        public Options {
            if (n < 1 || ks.length == 0 || rhos.length == 0 || repeats < 1 || maxIter < 1) {
                throw new IllegalArgumentException("bench needs n >= 1, at least one k and one rho, repeats >= 1, "
                        + "max-iter >= 1");
            }
            for (int k : ks) {
                if (k < 1 || k > n) {
                    throw new IllegalArgumentException("every k must lie in 1..n=" + n + ", got " + k);
                }
            }
        }
    }

    /** One row of the table. */
    public record Row(int k, double rho, String solver, String device, int iterations, double msPerIteration,
                      double msPerSolve, double relativeL1, boolean converged) {
    }

    private SolverBenchmark() {
    }

    /** Runs the benchmark, printing the table to {@code out} as rows complete; returns the rows. */
    public static List<Row> run(Options options, PrintStream out) {
        List<Row> rows = new ArrayList<>();
        out.printf(Locale.ROOT, "solver bench: N = %d, eps = %s, gamma = %s, tol = %s, %s cosine-head logits, "
                        + "%d repeat(s), %d CPU threads%n", options.n(), options.eps(), options.gamma(), options.tol(),
                options.longTailed() ? "long-tailed" : "uniform-class", options.repeats(),
                FastScaling.defaultThreads());
        out.printf(Locale.ROOT, "%5s %4s  %-12s %-72s %7s %9s %10s %10s%n", "K", "rho", "solver", "device",
                "iters", "ms/iter", "ms/solve", "rel-L1");
        for (int k : options.ks()) {
            float[] logits = BenchInputs.cosineLogits(options.n(), k, options.longTailed(), options.seed() + k);
            double[] cost = TransportProblem.costFromLogits(logits, options.n(), k);
            for (double rho : options.rhos()) {
                for (Row row : runOne(options, cost, k, rho)) {
                    rows.add(row);
                    out.printf(Locale.ROOT, "%5d %4.2f  %-12s %-72s %7d %9.3f %10.1f %10.2e%s%n", row.k(), row.rho(),
                            row.solver(), row.device(), row.iterations(), row.msPerIteration(), row.msPerSolve(),
                            row.relativeL1(), row.converged() ? "" : "  (iteration cap)");
                }
            }
        }
        return rows;
    }

    private static List<Row> runOne(Options o, double[] cost, int k, double rho) {
        int n = o.n();
        List<Row> rows = new ArrayList<>();
        TransportProblem p2ot = Method.P2OT.problem(cost, n, k, rho, o.eps(), o.gamma());
        double[] converged;
        if (o.reference()) {
            P2otScaling reference = new P2otScaling(o.tol(), o.maxIter());
            long start = System.nanoTime();
            ScalingResult r = reference.solve(p2ot);
            double ms = (System.nanoTime() - start) / 1e6;
            P2otScaling continued = new P2otScaling(1e-13, 1_000_000);
            continued.restoreWarmState(reference.warmState());
            converged = continued.solve(p2ot).plan();
            rows.add(row(k, rho, "p2ot-ref", reference.device(), r, ms, converged));
        } else {
            try (FastScaling tight = new FastScaling(ScalingFormulation.Kind.VIRTUAL_COLUMN, 1e-11, 4 * o.maxIter(),
                    FastScaling.defaultThreads(), true)) {
                converged = tight.solve(p2ot).plan();
            }
        }
        try (FastScaling plain = new FastScaling(ScalingFormulation.Kind.VIRTUAL_COLUMN, o.tol(), o.maxIter(),
                FastScaling.defaultThreads(), false)) {
            rows.add(timed(k, rho, "p2ot-plain", plain, p2ot, 1, converged));
        }
        try (FastScaling fast = FastScaling.create(ScalingFormulation.Kind.VIRTUAL_COLUMN, o.tol(), o.maxIter())) {
            rows.add(timed(k, rho, "p2ot-fast", fast, p2ot, o.repeats(), converged));
        }
        if (o.aparapi()) {
            try (AparapiScaling aparapi = new AparapiScaling(ScalingFormulation.Kind.VIRTUAL_COLUMN, o.tol(),
                    o.maxIter(), true)) {
                aparapi.solve(p2ot);
                aparapi.restoreWarmState(new double[0]);
                rows.add(timed(k, rho, "p2ot-aparapi", aparapi, p2ot, o.repeats(), converged));
            }
        }
        if (rho < 1.0) {
            TransportProblem gsaProblem = Method.GSA.problem(cost, n, k, rho, o.eps(), o.gamma());
            rows.add(baseline(o, k, rho, "gsa-fast", ScalingFormulation.Kind.GENERALIZED, gsaProblem));
        }
        if (rho == o.rhos()[0]) {
            TransportProblem ot = Method.OT.problem(cost, n, k, rho, o.eps(), o.gamma());
            rows.add(baseline(o, k, 1.0, "ot-fast", ScalingFormulation.Kind.VIRTUAL_COLUMN, ot));
        }
        return rows;
    }

    private static Row baseline(Options o, int k, double rho, String name, ScalingFormulation.Kind kind,
                                TransportProblem problem) {
        ScalingResult tight;
        try (FastScaling solver = new FastScaling(kind, 1e-11, 4 * o.maxIter(), FastScaling.defaultThreads(), true)) {
            tight = solver.solve(problem);
        }
        try (FastScaling fast = FastScaling.create(kind, o.tol(), o.maxIter())) {
            Row row = timed(k, rho, name, fast, problem, o.repeats(), tight.plan());
            return tight.converged() ? row : new Row(row.k(), row.rho(), row.solver() + "~", row.device(),
                    row.iterations(), row.msPerIteration(), row.msPerSolve(), row.relativeL1(), row.converged());
        }
    }

    /** Median over cold-start repeats. */
    private static Row timed(int k, double rho, String name, ScalingSolver solver, TransportProblem problem,
                             int repeats, double[] converged) {
        double[] ms = new double[repeats];
        ScalingResult last = null;
        for (int r = 0; r < repeats; r++) {
            solver.restoreWarmState(new double[0]);
            long start = System.nanoTime();
            last = solver.solve(problem);
            ms[r] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return row(k, rho, name, solver.device(), last, ms[repeats / 2], converged);
    }

    private static Row row(int k, double rho, String name, String device, ScalingResult r, double ms,
                           double[] converged) {
        return new Row(k, rho, name, device, r.iterations(), ms / r.iterations(), ms,
                relativeL1(r.plan(), converged), r.converged());
    }

    /** {@code ||x - y||_1 / ||y||_1}. */
    public static double relativeL1(double[] x, double[] y) {
        double diff = 0;
        double norm = 0;
        for (int idx = 0; idx < x.length; idx++) {
            diff += Math.abs(x[idx] - y[idx]);
            norm += Math.abs(y[idx]);
        }
        return diff / norm;
    }
}
