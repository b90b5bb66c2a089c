package org.sp2ot.jobs.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import org.sp2ot.datasets.SyntheticLongTail;
import org.sp2ot.datasets.SyntheticMixture;
import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.train.EpochStats;
import org.sp2ot.train.FeatureMatrix;
import org.sp2ot.train.StepTimes;
import org.sp2ot.train.TrainResult;
import org.sp2ot.train.TrainSettings;
import org.sp2ot.train.Trainer;
import org.sp2ot.solver.Backend;
import org.sp2ot.solver.KnnGraph;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.SolverSettings;
import org.sp2ot.solver.bench.BenchInputs;

/**
 * {@code sp2ot bench train [--preset small|large|random] [--n 10240] [--k 100,1000] [--batch 512] [--bank 5120]
 * [--methods p2ot,sp2ot] [--backend fast] [--knn-k 20] [--dim 768] [--seed 0] [--warmup 1] [--epochs 1]}: milliseconds
 * per training step of the {@link Trainer} (head forward, bank write, OT pseudo-labels over the bank, loss,
 * backward, Adam), split into head (forward, backward, Adam), OT (inside the scaling solver), MM (the rest of the
 * pseudo-labelling: cost from the logits, SP2OT's sparse products, surrogates and objectives) and other, for every
 * method and K.
 *
 * <p>Data: {@code --n} training rows drawn at random from the synthetic preset ({@link SyntheticLongTail}: the
 * long-tailed 100-class mixture on the sphere, 384 dims for small, 768 for large), with a k-NN-like graph whose
 * neighbours share the latent class ({@link BenchInputs#classGraph}; an exact k-NN graph of 108,909 rows is the knn
 * stage's job, not the benchmark's). {@code random}: uniform features of {@code --dim} dims and a random graph. A
 * step's cost depends on the batch, bank, K and d, not on N, so one epoch over the n rows (the rho schedule running
 * its full course) gives the step time, and the per-epoch figure is that times the steps of one epoch of the full
 * preset (213 for large: 108,909 rows / 512). {@code --epochs E} times E epochs instead, so rho moves E times slower
 * per step, as in a longer run (large, K = 1000, P2OT: 32.7 scaling passes per step over 1 epoch, 33.7 over 5: the
 * warm start does not depend on the schedule's pace). Nothing is written.
 */
public final class TrainBenchCommand implements Command {

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "time training steps (head / OT / MM / other) per OT method and K on a synthetic preset";
    }

    @Override
    public int run(Args args) {
        String presetName = args.get("preset", "small");
        int n = args.getInt("n", 10_240);
        int[] ks = ints(args.get("k", "100"));
        int batch = args.getInt("batch", 512);
        int bank = args.getInt("bank", 5120);
        int knnK = args.getInt("knn-k", 20);
        long seed = args.getInt("seed", 0);
        int warmup = args.getInt("warmup", 1);
        int epochs = args.getInt("epochs", 1);
        boolean random = presetName.trim().equalsIgnoreCase("random");
        int randomDim = args.getInt("dim", 768);
        List<Method> methods = new ArrayList<>();
        Backend backend;
        SyntheticLongTail preset;
        try {
            for (String name : args.get("methods", "p2ot,sp2ot").split(",")) {
                methods.add(Method.parse(name));
            }
            backend = Backend.parse(args.get("backend", "fast"));
            preset = random ? null : SyntheticLongTail.of(SyntheticLongTail.Preset.parse(presetName),
                    SyntheticLongTail.DEFAULT_SEED);
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage() + " (--preset is small, large or random)", e);
        }
        args.rejectUnread();
        long presetRows = random ? n : preset.mixture().numTrain();
        if (n < 2 || n > presetRows || knnK < 1 || knnK >= n) {
            throw new UsageException("need 2 <= --n <= " + presetRows + " (the preset's training rows) and "
                    + "1 <= --knn-k < --n");
        }
        int dim = random ? randomDim : preset.mixture().spec().dim();
        if (dim < 1) {
            throw new UsageException("--dim must be at least 1");
        }
        if (epochs < 1) {
            throw new UsageException("--epochs must be at least 1, got " + epochs);
        }
        if (warmup < 0) {
            throw new UsageException("--warmup must be 0 or more untimed runs, got " + warmup);
        }
        List<TrainSettings> runs = new ArrayList<>();
        List<TrainSettings> warmups = new ArrayList<>();
        for (int k : ks) {
            for (Method method : methods) {
                try {
                    TrainSettings.Builder builder = TrainSettings.builder(k).method(method).batchSize(batch)
                            .bankSize(bank).seed(seed).solver(SolverSettings.defaults().withBackend(backend));
                    TrainSettings settings = builder.epochs(epochs).build();
                    settings.validateFor(n, dim);
                    runs.add(settings);
                    warmups.add(builder.epochs(1).build());
                } catch (IllegalArgumentException e) {
                    throw new UsageException(e.getMessage(), e);
                }
            }
        }

        long started = System.nanoTime();
        FeatureMatrix features;
        KnnGraph graph;
        if (random) {
            features = randomFeatures(n, dim, seed);
            graph = randomGraph(n, knnK, seed + 1);
        } else {
            int[] rows = sampleRows(preset.mixture().numTrain(), n, seed);
            features = presetFeatures(preset.mixture(), rows);
            int[] classes = new int[n];
            for (int i = 0; i < n; i++) {
                classes[i] = preset.mixture().labelOf(rows[i]);
            }
            graph = BenchInputs.classGraph(classes, knnK, seed + 1);
        }
        long stepsPerPresetEpoch = runs.get(0).stepsPerEpoch((int) presetRows);
        System.out.printf(Locale.ROOT, "bench train: preset %s (%d of %d training rows, d = %d), batch %d, bank %d, "
                + "%d epoch(s) of %d steps timed (the rho schedule runs its course over them), backend %s, %d "
                + "processors, BLAS %s; data in %.1f s; %s%n", presetName.toLowerCase(Locale.ROOT), n, presetRows, dim,
                batch, bank, epochs, runs.get(0).stepsPerEpoch(n), backend, Runtime.getRuntime().availableProcessors(),
                dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getSimpleName(),
                (System.nanoTime() - started) / 1e9, warmup == 0 ? "no warm-up run (JIT compilation included)"
                        : "each row timed after " + warmup + " untimed run(s) of its configuration in this JVM");
        System.out.printf(Locale.ROOT, "%5s %-7s %9s %8s %8s %8s %8s %9s %7s %12s  %s%n", "K", "method", "ms/step",
                "head", "OT", "MM", "other", "OT iters", "MM/st", "s/epoch(" + stepsPerPresetEpoch + ")",
                "solver device");
        for (int row = 0; row < runs.size(); row++) {
            TrainSettings settings = runs.get(row);
            // The JIT compiles the solver's vector loops during the first steps of a JVM (the first exp build of a
            // K = 1000 kernel took 1.5 s, the later ones 15-35 ms): that is a one-off cost of a process, not of a
            // step, and over the 20 steps of this epoch it added about 75 ms to every step.
            for (int run = 0; run < warmup; run++) {
                new Trainer(warmups.get(row), features, graph, null, null).train();
            }
            StepTimes times = new StepTimes();
            TrainResult result = new Trainer(settings, features, graph, null, null).timed(times).train();
            double iterations = result.history().stream().mapToDouble(EpochStats::meanIterations).average().orElse(0);
            double mm = result.history().stream().mapToDouble(EpochStats::meanMmSteps).average().orElse(0);
            System.out.printf(Locale.ROOT, "%5d %-7s %9.1f %8.1f %8.1f %8.1f %8.1f %9.1f %7.1f %12.1f  %s%n",
                    settings.k(), settings.method().name().toLowerCase(Locale.ROOT), times.totalMs(), times.headMs(),
                    times.otMs(), times.mmMs(), times.otherMs(), iterations, mm,
                    times.totalMs() * stepsPerPresetEpoch / 1000, result.solverDevice());
        }
        return 0;
    }

    private static int[] ints(String list) {
        try {
            return Arrays.stream(list.split(",")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new UsageException("--k must be a comma-separated list of integers, got '" + list + "'", e);
        }
    }

    /** n distinct training rows of the preset in ascending order, chosen by a seeded shuffle (the long tail is kept in expectation). */
    private static int[] sampleRows(long total, int n, long seed) {
        int[] all = new int[(int) total];
        Arrays.setAll(all, i -> i);
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int j = i + random.nextInt(all.length - i);
            int swap = all[i];
            all[i] = all[j];
            all[j] = swap;
        }
        int[] rows = Arrays.copyOf(all, n);
        Arrays.sort(rows);
        return rows;
    }

    private static FeatureMatrix presetFeatures(SyntheticMixture mixture, int[] rows) {
        int dim = mixture.spec().dim();
        long[] ids = new long[rows.length];
        float[] values = new float[rows.length * dim];
        java.util.stream.IntStream.range(0, rows.length).parallel().forEach(i -> {
            ids[i] = rows[i];
            System.arraycopy(mixture.sample(rows[i]), 0, values, i * dim, dim);
        });
        return new FeatureMatrix(ids, values, dim);
    }

    private static FeatureMatrix randomFeatures(int n, int dim, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        long[] ids = new long[n];
        Arrays.setAll(ids, i -> i);
        float[] values = new float[n * dim];
        for (int i = 0; i < values.length; i++) {
            values[i] = (float) (random.nextDouble() * 2 - 1);
        }
        return new FeatureMatrix(ids, values, dim);
    }

    /** Each node gets {@code k} distinct random neighbours (not itself) with affinities uniform in (0, 1]. */
    private static KnnGraph randomGraph(int n, int k, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[] neighbors = new int[n * k];
        float[] weights = new float[n * k];
        for (int i = 0; i < n; i++) {
            Set<Integer> chosen = new HashSet<>();
            for (int r = 0; r < k; r++) {
                int j;
                do {
                    j = random.nextInt(n);
                } while (j == i || !chosen.add(j));
                neighbors[i * k + r] = j;
                weights[i * k + r] = (float) (1 - random.nextDouble());
            }
        }
        return new KnnGraph(n, k, neighbors, weights);
    }
}
