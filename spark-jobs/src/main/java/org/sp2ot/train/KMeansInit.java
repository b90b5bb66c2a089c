package org.sp2ot.train;

import dev.ludovic.netlib.blas.BLAS;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * k-means on the driver's feature matrix, to start a head from the clusters a well-run k-means finds (issue 9's
 * "good start" lever; ALGORITHM.md §4 starts the head at random). k-means++ seeding (D² sampling), Lloyd iterations
 * until no assignment changes or {@code maxIter}, several restarts keeping the lowest cost, all determined by the
 * seed. {@code spherical}: rows and centroids are L2-normalised and the similarity is the cosine (the geometry of the
 * cosine head); otherwise squared Euclidean distance (the geometry of the linear head).
 *
 * <p>An empty cluster is re-seeded with the row farthest from its centroid, so K centroids always come back.
 * Distances to the centroids are ranked with single-precision GEMMs through native BLAS (as {@link ClusterHead}'s
 * forward pass), so the result is deterministic for a given BLAS library and thread count; the centroid sums are
 * taken in row order.
 */
public final class KMeansInit {

    /**
     * @param centroids K rows of dim (unit norm when spherical)
     * @param assignment the cluster of every row
     * @param cost sum of squared distances (spherical: sum of {@code 1 - cos})
     * @param restart which restart (0-based) was kept
     * @param iterations Lloyd iterations the kept restart ran
     * @param restartCosts the cost of every restart, in order (the kept one is the lowest)
     */
    public record Result(float[] centroids, int[] assignment, double cost, int restart, int iterations,
            double[] restartCosts) {
        Result copy() {
            return new Result(centroids.clone(), assignment.clone(), cost, restart, iterations, restartCosts.clone());
        }
    }

    /** The last few results, so the heads of one run (one per method, same features and seed) share one fit. */
    private static final java.util.Map<String, Result> RECENT = new java.util.LinkedHashMap<>(4, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(java.util.Map.Entry<String, Result> eldest) {
            return size() > 2;
        }
    };

    /**
     * Lloyd iterations at most of the k-means baseline ({@code evaluate.kmeans-max-iter}'s default, scikit-learn's
     * {@code max_iter}) and of {@link HeadInit#KMEANS_EUCLIDEAN}.
     */
    public static final int DEFAULT_MAX_ITER = 300;

    private KMeansInit() {
    }

    /**
     * {@link #fit}, reusing the result of an identical earlier call (same values, shape, k, restarts, iterations,
     * seed and geometry) in this JVM: the fit is deterministic, so the result is the same, computed once.
     */
    public static Result fitShared(float[] x, int n, int dim, int k, int restarts, int maxIter, long seed,
            boolean spherical) {
        return fitShared(x, n, dim, k, restarts, maxIter, seed, spherical, 1);
    }

    /** {@link #fitShared(float[], int, int, int, int, int, long, boolean)} with {@code localTrials} seeding candidates. */
    public static Result fitShared(float[] x, int n, int dim, int k, int restarts, int maxIter, long seed,
            boolean spherical, int localTrials) {
        String key = n + "/" + dim + "/" + k + "/" + restarts + "/" + maxIter + "/" + seed + "/" + spherical + "/"
                + localTrials + "/" + java.util.Arrays.hashCode(x) + "/" + x.length;
        synchronized (RECENT) {
            Result cached = RECENT.get(key);
            if (cached != null) {
                return cached.copy();
            }
        }
        Result result = fit(x, n, dim, k, restarts, maxIter, seed, spherical, localTrials);
        synchronized (RECENT) {
            RECENT.put(key, result);
        }
        return result.copy();
    }

    /**
     * @param x rows (row-major, {@code n * dim})
     * @throws IllegalArgumentException when k > n or restarts / maxIter are below 1
     */
    public static Result fit(float[] x, int n, int dim, int k, int restarts, int maxIter, long seed,
            boolean spherical) {
        return fit(x, n, dim, k, restarts, maxIter, seed, spherical, 1);
    }

    /** scikit-learn's number of greedy k-means++ candidates per centroid: {@code 2 + floor(ln k)}. */
    public static int greedyTrials(int k) {
        return 2 + (int) Math.floor(Math.log(k));
    }

    /**
     * {@link #fit(float[], int, int, int, int, int, long, boolean)} with {@code localTrials} candidates per seeded
     * centroid: 1 is plain k-means++, {@link #greedyTrials} scikit-learn's greedy k-means++.
     */
    public static Result fit(float[] x, int n, int dim, int k, int restarts, int maxIter, long seed,
            boolean spherical, int localTrials) {
        if (localTrials < 1) {
            throw new IllegalArgumentException("k-means++ needs at least 1 candidate per centroid, got " + localTrials);
        }
        if (k < 1 || k > n) {
            throw new IllegalArgumentException("k-means init needs 1 <= k <= n, got k=" + k + ", n=" + n);
        }
        if (restarts < 1 || maxIter < 1) {
            throw new IllegalArgumentException("k-means init needs restarts >= 1 and maxIter >= 1, got " + restarts
                    + ", " + maxIter);
        }
        return fit(x, n, dim, k, restarts, maxIter, seed, spherical, localTrials, true);
    }

    /**
     * The fit with the restarts run one after another ({@code parallel = false}) or side by side on the common
     * fork-join pool. Each restart depends only on its own seed, and the lowest cost is kept with ties going to the
     * earlier restart, so both give the same result bit for bit.
     */
    static Result fit(float[] x, int n, int dim, int k, int restarts, int maxIter, long seed, boolean spherical,
            int localTrials, boolean parallel) {
        float[] data = spherical ? normalizedRows(x, n, dim) : x;
        IntStream ids = IntStream.range(0, restarts);
        Result[] results = (parallel ? ids.parallel() : ids).mapToObj(r -> lloyd(data, n, dim, k, maxIter, r,
                spherical, seed + 0x9E3779B97F4A7C15L * (r + 1), localTrials)).toArray(Result[]::new);
        Result best = null;
        double[] costs = new double[restarts];
        for (int r = 0; r < restarts; r++) {
            costs[r] = results[r].cost();
            if (best == null || results[r].cost() < best.cost()) {
                best = results[r];
            }
        }
        return new Result(best.centroids(), best.assignment(), best.cost(), best.restart(), best.iterations(), costs);
    }

    private static Result lloyd(float[] x, int n, int dim, int k, int maxIter, int restart, boolean spherical,
            long seed, int localTrials) {
        float[] centroids = seedPlusPlus(x, n, dim, k, new SplittableRandom(seed), spherical, localTrials);
        int[] assignment = new int[n];
        Arrays.fill(assignment, -1);
        double[] distance = new double[n];
        int iterations = 0;
        for (int iteration = 0; iteration < maxIter; iteration++) {
            boolean changed = assign(x, n, dim, centroids, k, spherical, assignment, distance);
            if (!changed && iteration > 0) {
                break;
            }
            centroids = update(x, n, dim, k, assignment, distance, spherical);
            iterations++;
        }
        assign(x, n, dim, centroids, k, spherical, assignment, distance);
        double cost = 0;
        for (int i = 0; i < n; i++) {
            cost += distance[i];
        }
        return new Result(centroids, assignment, cost, restart, iterations, new double[] {cost});
    }

    /**
     * k-means++: the first centroid uniform, each next one drawn with probability proportional to D². With
     * {@code localTrials > 1} it is greedy k-means++ (scikit-learn's seeding): that many candidates are drawn and the
     * one that lowers the potential (the sum of D²) most is kept.
     */
    static float[] seedPlusPlus(float[] x, int n, int dim, int k, SplittableRandom random, boolean spherical,
            int localTrials) {
        float[] centroids = new float[k * dim];
        int first = random.nextInt(n);
        System.arraycopy(x, first * dim, centroids, 0, dim);
        double[] nearest = new double[n];
        Arrays.fill(nearest, Double.POSITIVE_INFINITY);
        double[] rowNorms = new double[n];
        if (!spherical) {
            IntStream.range(0, n).parallel().forEach(i -> rowNorms[i] = ClusterHead.dot(x, i * dim, x, i * dim, dim));
        }
        float[] dots = new float[n];
        boolean dotsKnown = false;
        for (int c = 1; c < k; c++) {
            int previous = c - 1;
            // x . c_previous for every row: one GEMV (native BLAS), turned into D^2 by distanceFromDot. Greedy
            // seeding has them already: the chosen candidate's column of its trials GEMM.
            if (!dotsKnown) {
                BLAS.getInstance().sgemv("T", dim, n, 1.0f, x, 0, dim, centroids, previous * dim, 1, 0.0f, dots, 0,
                        1);
            }
            double centroidNorm = spherical ? 0 : ClusterHead.dot(centroids, previous * dim, centroids, previous * dim,
                    dim);
            IntStream.range(0, n).parallel().forEach(i -> nearest[i] = Math.min(nearest[i],
                    distanceFromDot(rowNorms[i], dots[i], centroidNorm, spherical)));
            double total = 0;
            for (int i = 0; i < n; i++) {
                total += nearest[i];
            }
            int chosen;
            if (!(total > 0)) {
                chosen = random.nextInt(n);
            } else if (localTrials == 1) {
                chosen = drawProportional(nearest, total, random.nextDouble() * total);
            } else {
                chosen = bestOfTrials(x, n, dim, spherical, rowNorms, nearest, total, localTrials, random, dots);
            }
            dotsKnown = localTrials > 1 && total > 0;
            System.arraycopy(x, chosen * dim, centroids, c * dim, dim);
        }
        return centroids;
    }

    /**
     * A row's distance to a centroid from their dot product (a GEMM/GEMV entry): {@code 1 - x.c} for unit rows,
     * {@code |x|^2 - 2 x.c + |c|^2} otherwise, floored at 0 against the float rounding of the dot product.
     */
    private static double distanceFromDot(double rowNorm, float dot, double centroidNorm, boolean spherical) {
        return Math.max(0, spherical ? 1 - dot : rowNorm - 2 * dot + centroidNorm);
    }

    /** The first row whose running sum of {@code weights} reaches {@code target} (the last row at worst). */
    private static int drawProportional(double[] weights, double total, double target) {
        double running = 0;
        for (int i = 0; i < weights.length; i++) {
            running += weights[i];
            if (running >= target) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /**
     * Greedy k-means++ step: of {@code trials} D²-drawn candidates, the one with the lowest resulting potential.
     * {@code chosenDots} receives every row's dot product with the chosen candidate.
     */
    private static int bestOfTrials(float[] x, int n, int dim, boolean spherical, double[] rowNorms,
            double[] nearest, double total, int trials, SplittableRandom random, float[] chosenDots) {
        double[] cumulative = new double[n];
        double running = 0;
        for (int i = 0; i < n; i++) {
            running += nearest[i];
            cumulative[i] = running;
        }
        int[] candidates = new int[trials];
        float[] rows = new float[trials * dim];
        for (int t = 0; t < trials; t++) {
            int at = Arrays.binarySearch(cumulative, random.nextDouble() * total);
            candidates[t] = Math.min(n - 1, at >= 0 ? at : -at - 1);
            System.arraycopy(x, candidates[t] * dim, rows, t * dim, dim);
        }
        // x . candidate for every row and candidate: one GEMM (row i's trials dot products are contiguous)
        float[] dots = new float[n * trials];
        BLAS.getInstance().sgemm("T", "N", trials, n, dim, 1.0f, rows, 0, dim, x, 0, dim, 0.0f, dots, 0, trials);
        double[] norms = new double[trials];
        for (int t = 0; t < trials; t++) {
            norms[t] = spherical ? 0 : ClusterHead.dot(rows, t * dim, rows, t * dim, dim);
        }
        int best = 0;
        double bestPotential = Double.POSITIVE_INFINITY;
        for (int t = 0; t < trials; t++) {
            int trial = t;
            double potential = IntStream.range(0, n).parallel().mapToDouble(i -> Math.min(nearest[i],
                    distanceFromDot(rowNorms[i], dots[i * trials + trial], norms[trial], spherical))).sum();
            if (potential < bestPotential) {
                bestPotential = potential;
                best = t;
            }
        }
        for (int i = 0; i < n; i++) {
            chosenDots[i] = dots[i * trials + best];
        }
        return candidates[best];
    }

    /** Rows per GEMM block of the assignment step: a block's scores are {@code ASSIGN_BLOCK * k} floats. */
    static final int ASSIGN_BLOCK = 2048;

    /**
     * Assigns every row to its nearest centroid. The similarities of a block of rows to all centroids are one
     * single-precision GEMM (native BLAS, as {@link ClusterHead}'s forward pass), which ranks the centroids; the
     * distance to the chosen one is then taken exactly (double, {@link #distance}), so the cost does not carry the
     * GEMM's rounding. Squared Euclidean distances are ranked by {@code |c|^2 - 2 x.c}; cosine ones by {@code -x.c}.
     */
    private static boolean assign(float[] x, int n, int dim, float[] centroids, int k, boolean spherical,
            int[] assignment, double[] distance) {
        float[] centroidNorms = new float[k];
        if (!spherical) {
            for (int c = 0; c < k; c++) {
                centroidNorms[c] = (float) ClusterHead.dot(centroids, c * dim, centroids, c * dim, dim);
            }
        }
        boolean changed = false;
        float[] scores = new float[Math.min(ASSIGN_BLOCK, n) * k];
        for (int start = 0; start < n; start += ASSIGN_BLOCK) {
            int rows = Math.min(ASSIGN_BLOCK, n - start);
            int first = start;
            BLAS.getInstance().sgemm("T", "N", k, rows, dim, 1.0f, centroids, 0, dim, x, first * dim, dim, 0.0f,
                    scores, 0, k);
            int[] moved = IntStream.range(0, rows).parallel().map(r -> {
                int i = first + r;
                int best = 0;
                float bestScore = Float.POSITIVE_INFINITY;
                for (int c = 0; c < k; c++) {
                    float score = centroidNorms[c] - 2 * scores[r * k + c];
                    if (score < bestScore) {
                        bestScore = score;
                        best = c;
                    }
                }
                distance[i] = distance(x, i * dim, centroids, best * dim, dim, spherical);
                int was = assignment[i];
                assignment[i] = best;
                return was == best ? 0 : 1;
            }).toArray();
            for (int m : moved) {
                changed |= m != 0;
            }
        }
        return changed;
    }

    private static float[] update(float[] x, int n, int dim, int k, int[] assignment, double[] distance,
            boolean spherical) {
        double[] sums = new double[k * dim];
        long[] counts = new long[k];
        for (int i = 0; i < n; i++) {
            int c = assignment[i];
            counts[c]++;
            for (int d = 0; d < dim; d++) {
                sums[c * dim + d] += x[i * dim + d];
            }
        }
        boolean[] taken = new boolean[n];
        float[] centroids = new float[k * dim];
        for (int c = 0; c < k; c++) {
            if (counts[c] == 0) {
                int farthest = -1;
                for (int i = 0; i < n; i++) {
                    if (!taken[i] && (farthest < 0 || distance[i] > distance[farthest])) {
                        farthest = i;
                    }
                }
                taken[farthest] = true;
                System.arraycopy(x, farthest * dim, centroids, c * dim, dim);
                continue;
            }
            for (int d = 0; d < dim; d++) {
                centroids[c * dim + d] = (float) (sums[c * dim + d] / counts[c]);
            }
        }
        return spherical ? normalizedRows(centroids, k, dim) : centroids;
    }

    /** Squared Euclidean distance, or {@code 1 - cos} of unit rows when spherical. */
    static double distance(float[] a, int aOffset, float[] b, int bOffset, int dim, boolean spherical) {
        if (spherical) {
            return 1 - ClusterHead.dot(a, aOffset, b, bOffset, dim);
        }
        double sum = 0;
        for (int d = 0; d < dim; d++) {
            double diff = a[aOffset + d] - b[bOffset + d];
            sum += diff * diff;
        }
        return sum;
    }

    /** A copy with every row scaled to unit norm (rows of norm below {@link ClusterHead#NORM_FLOOR} kept as they are). */
    static float[] normalizedRows(float[] x, int n, int dim) {
        float[] out = new float[n * dim];
        for (int i = 0; i < n; i++) {
            double norm = Math.sqrt(ClusterHead.dot(x, i * dim, x, i * dim, dim));
            double scale = norm > ClusterHead.NORM_FLOOR ? 1 / norm : 1;
            for (int d = 0; d < dim; d++) {
                out[i * dim + d] = (float) (x[i * dim + d] * scale);
            }
        }
        return out;
    }
}
