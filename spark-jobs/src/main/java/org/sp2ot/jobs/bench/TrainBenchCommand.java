package org.sp2ot.jobs.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;

import org.sp2ot.jobs.cli.Args;
import org.sp2ot.jobs.cli.Command;
import org.sp2ot.jobs.cli.UsageException;
import org.sp2ot.jobs.train.ClusterHead;
import org.sp2ot.jobs.train.EpochStats;
import org.sp2ot.jobs.train.FeatureMatrix;
import org.sp2ot.jobs.train.HeadKind;
import org.sp2ot.jobs.train.SoftTargetCrossEntropy;
import org.sp2ot.jobs.train.TrainResult;
import org.sp2ot.jobs.train.TrainSettings;
import org.sp2ot.jobs.train.Trainer;
import org.sp2ot.solver.Backend;
import org.sp2ot.solver.KnnGraph;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.SolverSettings;

/**
 * {@code sp2ot bench train [--n 10240] [--dim 768] [--k 100] [--batch 512] [--bank 5120] [--epochs 1]
 * [--methods p2ot,sp2ot] [--backend fast] [--knn-k 20] [--seed 0]}: milliseconds per training step of the
 * {@link Trainer} (head forward, bank write, OT pseudo-labels over the bank, loss, backward, Adam) on random uniform
 * features with a random k-NN graph, and, separately, the head's forward + loss + backward alone on one batch, so
 * the remainder is mostly the OT solve. Nothing is written; the rho schedule runs its full course over the steps
 * timed.
 */
public final class TrainBenchCommand implements Command {

    @Override
    public String name() {
        return "train";
    }

    @Override
    public String summary() {
        return "time one training step (batch 512, bank 5120, K=100 by default) per OT method";
    }

    @Override
    public int run(Args args) {
        int n = args.getInt("n", 10_240);
        int dim = args.getInt("dim", 768);
        int k = args.getInt("k", 100);
        int batch = args.getInt("batch", 512);
        int bank = args.getInt("bank", 5120);
        int epochs = args.getInt("epochs", 1);
        int knnK = args.getInt("knn-k", 20);
        long seed = args.getInt("seed", 0);
        List<Method> methods = new ArrayList<>();
        Backend backend;
        try {
            for (String name : args.get("methods", "p2ot,sp2ot").split(",")) {
                methods.add(Method.parse(name));
            }
            backend = Backend.parse(args.get("backend", "fast"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage(), e);
        }
        args.rejectUnread();
        if (n < 2 || dim < 1 || k < 2 || knnK < 1 || knnK >= n) {
            throw new UsageException("need --n >= 2, --dim >= 1, --k >= 2 and 1 <= --knn-k < --n");
        }
        List<TrainSettings> runs = new ArrayList<>();
        for (Method method : methods) {
            try {
                TrainSettings settings = TrainSettings.builder(k).method(method).epochs(epochs).batchSize(batch)
                        .bankSize(bank).seed(seed).solver(SolverSettings.defaults().withBackend(backend)).build();
                settings.validateFor(n, dim);
                runs.add(settings);
            } catch (IllegalArgumentException e) {
                throw new UsageException(e.getMessage(), e);
            }
        }

        FeatureMatrix features = randomFeatures(n, dim, seed);
        KnnGraph graph = randomGraph(n, knnK, seed + 1);
        System.out.printf(Locale.ROOT, "bench train: N = %d, d = %d, K = %d, batch %d, bank %d, %d epoch(s), "
                + "backend %s, %d processors%n", n, dim, k, batch, bank, epochs, backend,
                Runtime.getRuntime().availableProcessors());
        System.out.printf(Locale.ROOT, "%-40s %10.2f ms%n", "head forward + loss + backward, 1 batch",
                headMillis(features, k, batch, seed));
        System.out.printf(Locale.ROOT, "%-8s %10s %14s %10s  %s%n", "method", "ms/step", "OT iter/step", "MM/step",
                "solver device");
        for (TrainSettings settings : runs) {
            long start = System.nanoTime();
            TrainResult result = new Trainer(settings, features, graph, null, null).train();
            double seconds = (System.nanoTime() - start) / 1e9;
            int steps = settings.stepsPerEpoch(n) * epochs;
            double iterations = result.history().stream().mapToDouble(EpochStats::meanIterations).average().orElse(0);
            double mm = result.history().stream().mapToDouble(EpochStats::meanMmSteps).average().orElse(0);
            System.out.printf(Locale.ROOT, "%-8s %10.1f %14.1f %10.1f  %s%n",
                    settings.method().name().toLowerCase(Locale.ROOT), seconds * 1000 / steps, iterations, mm,
                    result.solverDevice());
        }
        return 0;
    }

    /** Best of 5 (after 2 warm-ups) head forward + loss + backward on one batch, in ms. */
    private static double headMillis(FeatureMatrix features, int k, int batch, long seed) {
        int dim = features.dim();
        ClusterHead head = ClusterHead.initial(HeadKind.COSINE, dim, k, 10, seed);
        int rows = Math.min(batch, features.n());
        float[] x = Arrays.copyOf(features.values(), rows * dim);
        float[] targets = new float[rows * k];
        for (int i = 0; i < rows; i++) {
            targets[i * k + i % k] = 1f;
        }
        double best = Double.MAX_VALUE;
        for (int rep = 0; rep < 7; rep++) {
            long start = System.nanoTime();
            float[] logits = head.forward(x, rows);
            float[] dLogits = new float[rows * k];
            SoftTargetCrossEntropy.lossAndGradient(logits, targets, rows, k, dLogits);
            head.backward(x, rows, dLogits);
            double millis = (System.nanoTime() - start) / 1e6;
            if (rep >= 2) {
                best = Math.min(best, millis);
            }
        }
        return best;
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
