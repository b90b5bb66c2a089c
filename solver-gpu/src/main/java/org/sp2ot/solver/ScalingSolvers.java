package org.sp2ot.solver;

import org.sp2ot.solver.aparapi.AparapiScaling;

/** Picks the {@link ScalingSolver} for a method and backend. */
public final class ScalingSolvers {

    private ScalingSolvers() {
    }

    /**
     * The solver of a method on a backend: GSA uses the generalized formulation, every other method the
     * virtual-column one (ALGORITHM.md §1).
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
                return new AparapiScaling(kind, settings.tol(), settings.maxIter(), true);
            default:
                throw new IllegalArgumentException("unknown backend " + settings.backend());
        }
    }
}
