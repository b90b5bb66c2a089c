package org.sp2ot.solver;

import java.util.Optional;

/**
 * The seam of the accelerator backend ({@link Backend#APARAPI}): found at run time with {@link java.util.ServiceLoader}
 * ({@code META-INF/services/org.sp2ot.solver.DeviceSolverProvider}), so the solver core does not import the backend.
 * The Aparapi implementation lives in {@code org.sp2ot.solver.aparapi}.
 */
public interface DeviceSolverProvider {

    /**
     * A solver whose passes run on an accelerator device, or empty when no usable device (e.g. no OpenCL driver) is
     * present; the provider says why in its log.
     */
    Optional<ScalingSolver> create(ScalingFormulation.Kind kind, double tol, int maxIter);

    /** The provider's name for messages, e.g. {@code "aparapi"}. */
    String name();
}
