package org.sp2ot.solver;

/**
 * The entry point of the trainer: turns a bank of logits into OT pseudo-labels with one {@link Method} and keeps the
 * solver's potentials between calls (warm start, ALGORITHM.md §1). Not thread-safe; close it to release the solver's
 * threads or device.
 */
public final class PseudoLabeler implements AutoCloseable {
    private final Method method;
    private final SolverSettings settings;
    private final ScalingSolver solver;

    /** Nanoseconds spent inside the scaling solver, and inside {@link #label} in all, since creation. */
    private long solverNanos;
    private long labelNanos;

    private PseudoLabeler(Method method, SolverSettings settings, ScalingSolver solver) {
        this.method = method;
        this.settings = settings;
        this.solver = new Timed(solver);
    }

    /** A pass-through solver that adds the time of each solve to {@link #solverNanos}. */
    private final class Timed implements ScalingSolver {
        private final ScalingSolver inner;

        Timed(ScalingSolver inner) {
            this.inner = inner;
        }

        @Override
        public ScalingResult solve(TransportProblem problem) {
            long start = System.nanoTime();
            try {
                return inner.solve(problem);
            } finally {
                solverNanos += System.nanoTime() - start;
            }
        }

        @Override
        public double[] warmState() {
            return inner.warmState();
        }

        @Override
        public void restoreWarmState(double[] state) {
            inner.restoreWarmState(state);
        }

        @Override
        public String device() {
            return inner.device();
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    /** Nanoseconds spent in the scaling solver (every inner solve of every call), for the training benchmark. */
    public long solverNanos() {
        return solverNanos;
    }

    /**
     * Nanoseconds spent in {@link #label} in all: the solver plus the cost from the logits, the MM loop's sparse
     * products, surrogates and objectives, and the conversion of the plan to float targets.
     */
    public long labelNanos() {
        return labelNanos;
    }

    /** A labeler for the method, on the settings' backend. */
    public static PseudoLabeler create(Method method, SolverSettings settings) {
        if (method == null || settings == null) {
            throw new IllegalArgumentException("PseudoLabeler needs a method and settings");
        }
        return new PseudoLabeler(method, settings, ScalingSolvers.create(method, settings));
    }

    /**
     * Pseudo-labels of one OT problem.
     *
     * @param logits   row-major n*k logits (float); {@code P = softmax}, {@code C = -log P}
     * @param rho      transported mass fraction in (0, 1] (ignored by UOT and OT, which transport all mass)
     * @param affinity the problem's k-NN slice; used by SP2OT only (null: SP2OT reduces to P2OT)
     * @return N * Q with the virtual column dropped; row sums are the sample weights
     */
    public PseudoLabels label(float[] logits, int n, int k, double rho, SparseAffinity affinity) {
        long start = System.nanoTime();
        try {
            return labelUntimed(logits, n, k, rho, affinity);
        } finally {
            labelNanos += System.nanoTime() - start;
        }
    }

    private PseudoLabels labelUntimed(float[] logits, int n, int k, double rho, SparseAffinity affinity) {
        double[] cost = TransportProblem.costFromLogits(logits, n, k);
        TransportProblem problem = method.problem(cost, n, k, rho, settings.eps(), settings.gamma());
        if (method == Method.SP2OT && affinity != null) {
            double lam = settings.lam(problem.rho());
            Sp2otMm.Result mm = Sp2otMm.forBackend(solver, settings.mmTol(), settings.mmMaxIter(),
                    settings.backend()).solve(problem, affinity, lam);
            return labels(mm.last(), mm.iterations(), mm.mmSteps(), lam);
        }
        return labels(solver.solve(problem), -1, 1, 0.0);
    }

    private static PseudoLabels labels(ScalingResult result, int iterations, int mmSteps, double lam) {
        double[] plan = result.plan();
        double[] weights = result.weights();
        float[] targets = new float[plan.length];
        int n = weights.length;
        int k = plan.length / Math.max(1, n);
        ChunkRunner.shared().run(chunk -> {
            for (int idx = ChunkRunner.chunkStart(n, chunk) * k; idx < ChunkRunner.chunkStart(n, chunk + 1) * k; idx++) {
                targets[idx] = (float) plan[idx];
            }
        });
        float[] w = new float[weights.length];
        for (int i = 0; i < weights.length; i++) {
            w[i] = (float) weights[i];
        }
        return new PseudoLabels(targets, w, iterations < 0 ? result.iterations() : iterations, mmSteps, lam);
    }

    /** The solver's potentials for a training checkpoint. */
    public double[] warmState() {
        return solver.warmState();
    }

    /** Restores potentials from {@link #warmState()}; an empty array means cold start. */
    public void restoreWarmState(double[] state) {
        solver.restoreWarmState(state);
    }

    /** Where the solver runs, e.g. {@code "cpu-fast(float32, 2 threads, anderson)"}. */
    public String device() {
        return solver.device();
    }

    public Method method() {
        return method;
    }

    @Override
    public void close() {
        solver.close();
    }
}
