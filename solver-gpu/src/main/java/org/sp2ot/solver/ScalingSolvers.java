package org.sp2ot.solver;

import java.util.Optional;
import java.util.ServiceLoader;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the {@link ScalingSolver} for a method and backend. */
public final class ScalingSolvers {
    private static final Logger LOG = LoggerFactory.getLogger(ScalingSolvers.class);

    private ScalingSolvers() {
    }

    /**
     * The solver of a method on a backend: GSA uses the generalized formulation, every other method the
     * virtual-column one (ALGORITHM.md §1). {@link Backend#APARAPI} is found through {@link DeviceSolverProvider};
     * without a provider or without a usable device it falls back to the {@link Backend#FAST} CPU path (the same
     * iteration, faster than Aparapi's Java thread pool), logged at WARN.
     */
    public static ScalingSolver create(Method method, SolverSettings settings) {
        ScalingFormulation.Kind kind = method == Method.GSA
                ? ScalingFormulation.Kind.GENERALIZED : ScalingFormulation.Kind.VIRTUAL_COLUMN;
        switch (settings.backend()) {
            case REFERENCE:
                return kind == ScalingFormulation.Kind.GENERALIZED
                        ? new GeneralizedScaling(settings.tol(), settings.maxIter())
                        : new P2otScaling(settings.tol(), settings.maxIter());
            case FAST:
                return FastScaling.create(kind, settings.tol(), settings.maxIter());
            case APARAPI:
                return device(kind, settings.tol(), settings.maxIter()).orElseGet(() -> {
                    LOG.warn("solver backend aparapi: no OpenCL device (or no device backend on the class path); "
                            + "falling back to the fast CPU path");
                    return FastScaling.create(kind, settings.tol(), settings.maxIter());
                });
            default:
                throw new IllegalArgumentException("unknown backend " + settings.backend());
        }
    }

    /** The first device solver a {@link DeviceSolverProvider} on the class path can create, if any. */
    public static Optional<ScalingSolver> device(ScalingFormulation.Kind kind, double tol, int maxIter) {
        for (DeviceSolverProvider provider : ServiceLoader.load(DeviceSolverProvider.class,
                ScalingSolvers.class.getClassLoader())) {
            Optional<ScalingSolver> solver = provider.create(kind, tol, maxIter);
            if (solver.isPresent()) {
                return solver;
            }
        }
        return Optional.empty();
    }
}
