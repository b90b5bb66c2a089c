package org.sp2ot.solver.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.sp2ot.solver.Backend;
import org.sp2ot.solver.FastScaling;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.P2otScaling;
import org.sp2ot.solver.PlanDistance;
import org.sp2ot.solver.ScalingFormulation;
import org.sp2ot.solver.ScalingResult;
import org.sp2ot.solver.ScalingSolver;
import org.sp2ot.solver.TransportProblem;
import org.sp2ot.solver.ScalingSolvers;
import org.sp2ot.solver.SparseAffinity;
import org.sp2ot.solver.Sp2otMm;

/**
 * Times every solver on generated cosine-head logits of the training shape (ALGORITHM.md §8): for each K and rho,
 * iterations, ms per solve (the fastest of the repeats, each a cold start after one untimed warm-up solve that
 * compiles the code; the kernel build is included, the log-softmax of the logits is not), ms per iteration
 * (= ms per solve / iterations, so the build is spread over the iterations), the solve as a multiple of
 * {@code passes × floor} (the floor being one fused float32 pass at memory or cache speed: 0.2 ms per 5120 × 101
 * kernel in cache, 3 ms per 5120 × 1001 from memory, scaled by size; issue 10) and the relative L1 distance of the
 * plan to a converged plan of the same problem. SP2OT rows time the whole MM loop ({@link Sp2otMm}, lam =
 * (1 - rho) · 1000, on a class-consistent 20-neighbour graph of the same rows, {@link BenchInputs#classGraph}) and
 * give its MM steps, total passes, objective and its time as a multiple of the P2OT fast solve of the cell. P2OT's converged plan is the float64 reference continued (warm) to tol 1e-13; GSA and OT, which solve other
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
        out.printf(Locale.ROOT, "%5s %4s  %-13s %-46s %7s %9s %10s %9s %10s%n", "K", "rho", "solver", "device",
                "iters", "ms/iter", "ms/solve", "x floor", "rel-L1");
        for (int k : options.ks()) {
            int[] classes = new int[options.n()];
            float[] logits = BenchInputs.cosineLogits(options.n(), k, options.longTailed(), options.seed() + k,
                    classes);
            double[] cost = TransportProblem.costFromLogits(logits, options.n(), k);
            int[] ids = new int[options.n()];
            Arrays.setAll(ids, i -> i);
            SparseAffinity affinity = SparseAffinity.slice(BenchInputs.classGraph(classes,
                    Math.min(20, options.n() - 1), options.seed() + k + 1), ids);
            for (double rho : options.rhos()) {
                for (Row row : runOne(options, cost, affinity, k, rho, out)) {
                    rows.add(row);
                    out.printf(Locale.ROOT, "%5d %4.2f  %-13s %-46s %7d %9.3f %10.1f %9.1f %10.2e%s%n", row.k(),
                            row.rho(), row.solver(), abbreviate(row.device()), row.iterations(), row.msPerIteration(),
                            row.msPerSolve(), row.msPerSolve() / (row.iterations() * floorMs(options.n(), k + 1)),
                            row.relativeL1(), row.converged() ? "" : "  (iteration cap)");
                }
            }
        }
        return rows;
    }

    /**
     * One fused float32 pass over an n × kx kernel at memory or cache speed (issue 10's floor): 0.2 ms for
     * 5120 × 101 (2 MB, in cache) and 3 ms for 5120 × 1001 (20 MB, from memory), proportional to size within each.
     */
    public static double floorMs(int n, int kx) {
        double entries = (double) n * kx;
        return entries * 4 <= 8 << 20 ? 0.2 * entries / (5120.0 * 101) : 3.0 * entries / (5120.0 * 1001);
    }

    private static String abbreviate(String device) {
        return device.length() <= 46 ? device : device.substring(0, 43) + "...";
    }

    private static List<Row> runOne(Options o, double[] cost, SparseAffinity affinity, int k, double rho,
                                    PrintStream out) {
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
            rows.add(timed(k, rho, "p2ot-plain", plain, p2ot, 1, converged, false));
        }
        Row fastRow;
        try (FastScaling fast = FastScaling.create(ScalingFormulation.Kind.VIRTUAL_COLUMN, o.tol(), o.maxIter())) {
            fastRow = timed(k, rho, "p2ot-fast", fast, p2ot, o.repeats(), converged);
            rows.add(fastRow);
        }
        if (o.aparapi()) {
            java.util.Optional<ScalingSolver> device = ScalingSolvers.device(ScalingFormulation.Kind.VIRTUAL_COLUMN,
                    o.tol(), o.maxIter());
            if (device.isEmpty()) {
                out.printf(Locale.ROOT, "%5d %4.2f  %-13s no OpenCL device: not timed%n", k, rho, "p2ot-aparapi");
            }
            try (ScalingSolver aparapi = device.orElse(null)) {
                if (aparapi != null) {
                    rows.add(timed(k, rho, "p2ot-aparapi", aparapi, p2ot, o.repeats(), converged));
                }
            }
        }
        double lam = (1.0 - rho) * 1000.0;
        if (lam > 0) {
            rows.add(mm(o, k, rho, p2ot, affinity, lam, fastRow.msPerSolve(), out));
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

    /** The SP2OT MM loop on the fast path, fastest of the repeats (each a cold solver), after one warm-up loop. */
    private static Row mm(Options o, int k, double rho, TransportProblem problem, SparseAffinity affinity, double lam,
                          double p2otMs, PrintStream out) {
        double best = Double.POSITIVE_INFINITY;
        Sp2otMm.Result result = null;
        String device = "";
        for (int r = 0; r <= o.repeats(); r++) {
            try (FastScaling fast = FastScaling.create(ScalingFormulation.Kind.VIRTUAL_COLUMN, o.tol(), o.maxIter())) {
                long start = System.nanoTime();
                result = Sp2otMm.forBackend(fast, 1e-6, 100, Backend.FAST).solve(problem, affinity, lam);
                double ms = (System.nanoTime() - start) / 1e6;
                if (r > 0) {
                    best = Math.min(best, ms);
                }
                device = fast.device();
            }
        }
        double[] objectives = result.objectives();
        out.printf(Locale.ROOT, "%5d %4.2f  %-13s MM steps %d, lam %.0f, objective %.8f, %.1f x the p2ot-fast solve%n",
                k, rho, "sp2ot-fast", result.mmSteps(), lam, objectives[objectives.length - 1], best / p2otMs);
        return new Row(k, rho, "sp2ot-fast", device, result.iterations(), best / result.iterations(), best, Double.NaN,
                result.last().converged());
    }

    /** Fastest over cold-start repeats, after one untimed warm-up solve (JIT compilation). */
    private static Row timed(int k, double rho, String name, ScalingSolver solver, TransportProblem problem,
                             int repeats, double[] converged) {
        return timed(k, rho, name, solver, problem, repeats, converged, true);
    }

    private static Row timed(int k, double rho, String name, ScalingSolver solver, TransportProblem problem,
                             int repeats, double[] converged, boolean warmUp) {
        double[] ms = new double[repeats];
        ScalingResult last = null;
        if (warmUp) {
            solver.restoreWarmState(new double[0]);
            solver.solve(problem);
        }
        for (int r = 0; r < repeats; r++) {
            solver.restoreWarmState(new double[0]);
            long start = System.nanoTime();
            last = solver.solve(problem);
            ms[r] = (System.nanoTime() - start) / 1e6;
        }
        Arrays.sort(ms);
        return row(k, rho, name, solver.device(), last, ms[0], converged);
    }

    private static Row row(int k, double rho, String name, String device, ScalingResult r, double ms,
                           double[] converged) {
        return new Row(k, rho, name, device, r.iterations(), ms / r.iterations(), ms,
                PlanDistance.relativeL1(r.plan(), converged), r.converged());
    }
}
