package org.sp2ot.jobs.solve;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.sp2ot.datasets.io.Npy;
import org.sp2ot.datasets.io.NpyArray;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.solver.Backend;
import org.sp2ot.solver.KnnGraph;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.ScalingResult;
import org.sp2ot.solver.ScalingSolver;
import org.sp2ot.solver.ScalingSolvers;
import org.sp2ot.solver.SolverSettings;
import org.sp2ot.solver.SparseAffinity;
import org.sp2ot.solver.Sp2otMm;
import org.sp2ot.solver.TransportProblem;

/**
 * {@code sp2ot solve --logits L.npy | --cost C.npy --out PLAN.npy --solver sp2ot|p2ot|uot|pot|ot|gsa --rho R
 * [--eps E] [--gamma G] [--tol T] [--max-iter M] [--backend cpu|fast|aparapi]
 * [--knn NEIGHBOURS.npy --knn-weights W.npy] [--lam0 L | --lam L] [--mm-max-iter S]}: solves one OT pseudo-label
 * problem (DESIGN.md, "Command line"). Inputs are float32/float64 C-order N×K .npy files (logits: {@code C = -log
 * softmax}); the k-NN arrays are N×k (ids of rows of the same problem, -1 for an empty slot). Writes N·Q (virtual
 * column dropped) as float64 N×K .npy and prints one JSON line. Defaults are ALGORITHM.md's (eps 0.1, gamma 1,
 * tol 1e-6, 1000 iterations, lam0 1000) on the fast backend.
 */
public final class SolveCommand implements Command {

    @Override
    public String name() {
        return "solve";
    }

    @Override
    public String summary() {
        return "solve one OT pseudo-label problem from logits or cost .npy, write the plan, print one JSON line";
    }

    @Override
    public String help() {
        return """
                usage: sp2ot solve --logits L.npy | --cost C.npy --out PLAN.npy [--solver p2ot] [--rho R] [options]

                Solves one OT pseudo-label problem (docs/algorithm.md sections 1 and 2) and writes N*Q (float64 N x K
                .npy); prints one JSON line (iterations, time, mass).

                Options:
                  --logits L.npy | --cost C.npy   N x K float32/float64 C-order; logits mean C = -log softmax
                  --out PLAN.npy                  the plan
                  --solver NAME                   sp2ot | p2ot | uot | pot | ot | gsa (default p2ot)
                  --rho R                         transported mass in (0, 1]; required by p2ot, sp2ot, pot
                  --eps E (0.1) --gamma G (1) --tol T (1e-6) --max-iter M (1000)
                  --backend cpu|fast|aparapi      (default fast)
                  --knn IDS.npy --knn-weights W.npy   N x k neighbour ids (-1 = empty) and affinities, for sp2ot
                  --lam0 L (1000) | --lam L       graph weight: lam = (1 - rho) lam0, or lam directly
                  --mm-max-iter S                 SP2OT majorization-minimization steps

                Example:
                  sp2ot solve --logits logits.npy --out plan.npy --solver p2ot --rho 0.3
                """;
    }

    @Override
    public int run(Args args) throws IOException {
        String logitsPath = args.get("logits");
        String costPath = args.get("cost");
        if ((logitsPath == null) == (costPath == null)) {
            throw new UsageException("give exactly one of --logits L.npy or --cost C.npy");
        }
        Path out = Path.of(args.require("out"));
        Method method = parse(() -> Method.parse(args.get("solver", "p2ot")));
        String rhoText = args.get("rho");
        if (rhoText == null && method.usesRho()) {
            throw new UsageException("--rho is required for --solver " + method.name().toLowerCase(Locale.ROOT)
                    + " (the transported mass fraction in (0, 1])");
        }
        double rho = rhoText == null ? 1.0 : args.getDouble("rho", 1.0);
        SolverSettings defaults = SolverSettings.defaults();
        SolverSettings settings = parse(() -> new SolverSettings(args.getDouble("eps", defaults.eps()),
                args.getDouble("gamma", defaults.gamma()), args.getDouble("tol", defaults.tol()),
                args.getInt("max-iter", defaults.maxIter()), args.getDouble("lam0", defaults.lam0()),
                args.getDouble("lam", Double.NaN), args.getInt("mm-max-iter", defaults.mmMaxIter()),
                defaults.mmTol(), Backend.parse(args.get("backend", "fast"))));
        String knnPath = args.get("knn");
        String knnWeightsPath = args.get("knn-weights");
        args.rejectUnread();
        if ((knnPath == null) != (knnWeightsPath == null)) {
            throw new UsageException("--knn and --knn-weights go together (neighbour ids and their affinities)");
        }
        if (knnPath != null && method != Method.SP2OT) {
            throw new UsageException("--knn is used only by --solver sp2ot, not " + method.name().toLowerCase(Locale.ROOT));
        }

        NpyArray input = readMatrix(logitsPath != null ? logitsPath : costPath, logitsPath != null ? "--logits" : "--cost");
        int n = input.shape()[0];
        int k = input.shape()[1];
        double[] cost = parse(() -> logitsPath != null
                ? TransportProblem.costFromLogits(input.toFloatArray(), n, k) : input.toDoubleArray());
        TransportProblem problem = parse(() -> method.problem(cost, n, k, rho, settings.eps(), settings.gamma()));
        SparseAffinity affinity = knnPath == null ? null : affinity(knnPath, knnWeightsPath, n);

        long start = System.nanoTime();
        ScalingResult result;
        int iterations;
        int mmSteps = 1;
        double lam = 0.0;
        String device;
        try (ScalingSolver solver = ScalingSolvers.create(method, settings)) {
            if (affinity != null) {
                lam = settings.lam(problem.rho());
                Sp2otMm.Result mm = Sp2otMm.forBackend(solver, settings.mmTol(), settings.mmMaxIter(), settings.backend())
                        .solve(problem, affinity, lam);
                result = mm.last();
                iterations = mm.iterations();
                mmSteps = mm.mmSteps();
            } else {
                result = solver.solve(problem);
                iterations = result.iterations();
            }
            device = solver.device();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Npy.write(out, result.plan(), n, k);

        Map<String, Object> json = new LinkedHashMap<>();
        json.put("solver", method.name().toLowerCase(Locale.ROOT));
        json.put("backend", settings.backend().name().toLowerCase(Locale.ROOT));
        json.put("device", device);
        json.put("n", n);
        json.put("k", k);
        json.put("rho", problem.rho());
        json.put("iterations", iterations);
        json.put("converged", result.converged());
        json.put("mm_steps", mmSteps);
        json.put("lam", lam);
        json.put("seconds", seconds);
        json.put("row_marginal_error", result.rowError());
        json.put("column_marginal_error", result.columnError());
        json.put("total_mass", result.totalMass());
        json.put("out", out.toString());
        System.out.println(toJson(json));
        return 0;
    }

    private static NpyArray readMatrix(String path, String option) throws IOException {
        NpyArray array = readNpy(path, option);
        if (array.rank() != 2 || array.shape()[0] < 1 || array.shape()[1] < 1) {
            throw new UsageException(option + " " + path + " must be a 2-D N x K array, got shape "
                    + java.util.Arrays.toString(array.shape()));
        }
        return array;
    }

    private static NpyArray readNpy(String path, String option) throws IOException {
        try {
            return Npy.read(Path.of(path));
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UsageException(option + ": no such file " + path, e);
        } catch (org.sp2ot.datasets.io.NpyFormatException e) {
            throw new UsageException(option + " " + path + " is not a readable .npy: " + e.getMessage(), e);
        }
    }

    /** The k-NN slice over the problem's rows (row p has global id p). */
    private static SparseAffinity affinity(String knnPath, String weightsPath, int n) throws IOException {
        NpyArray neighbours = readNpy(knnPath, "--knn");
        NpyArray weights = readNpy(weightsPath, "--knn-weights");
        if (neighbours.rank() != 2 || neighbours.shape()[0] != n) {
            throw new UsageException("--knn must be an N x k array with N = " + n + " rows (one per problem row), got "
                    + java.util.Arrays.toString(neighbours.shape()));
        }
        if (!java.util.Arrays.equals(neighbours.shape(), weights.shape())) {
            throw new UsageException("--knn-weights must have the shape of --knn " + java.util.Arrays.toString(
                    neighbours.shape()) + ", got " + java.util.Arrays.toString(weights.shape()));
        }
        int kk = neighbours.shape()[1];
        int[] ids = new int[n];
        for (int p = 0; p < n; p++) {
            ids[p] = p;
        }
        return parse(() -> SparseAffinity.slice(new KnnGraph(n, kk, neighbours.toIntArray(), weights.toFloatArray()),
                ids));
    }

    private interface Parse<T> {
        T get();
    }

    /** Turns the solver's argument errors into usage errors (exit 2) with the same message. */
    private static <T> T parse(Parse<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new UsageException(e.getMessage(), e);
        }
    }

    /** A flat JSON object: strings quoted and escaped, numbers as Java prints them (non-finite as null). */
    static String toJson(Map<String, Object> fields) {
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, Object> field : fields.entrySet()) {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(quote(field.getKey())).append(':');
            Object value = field.getValue();
            if (value instanceof String) {
                json.append(quote((String) value));
            } else if (value instanceof Double && !Double.isFinite((Double) value)) {
                json.append("null");
            } else {
                json.append(value);
            }
        }
        return json.append('}').toString();
    }

    private static String quote(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                quoted.append('\\').append(c);
            } else if (c < 0x20) {
                quoted.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                quoted.append(c);
            }
        }
        return quoted.append('"').toString();
    }
}
