package org.sp2ot.solver.aparapi;

import java.util.Optional;

import com.aparapi.device.Device;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sp2ot.solver.DeviceSolverProvider;
import org.sp2ot.solver.ScalingFormulation;
import org.sp2ot.solver.ScalingSolver;

/**
 * The Aparapi backend behind {@link DeviceSolverProvider} (registered in {@code META-INF/services}): an
 * {@link AparapiScaling} on the first OpenCL GPU, else the first OpenCL CPU device (e.g. pocl); empty (logged) when
 * there is no OpenCL device, so the caller falls back to the fast CPU path instead of Aparapi's Java thread pool.
 */
public final class AparapiProvider implements DeviceSolverProvider {
    private static final Logger LOG = LoggerFactory.getLogger(AparapiProvider.class);

    @Override
    public Optional<ScalingSolver> create(ScalingFormulation.Kind kind, double tol, int maxIter) {
        Device device = AparapiScaling.firstOpenCl(Device.TYPE.GPU);
        if (device == null) {
            device = AparapiScaling.firstOpenCl(Device.TYPE.CPU);
        }
        if (device == null) {
            LOG.warn("Aparapi found no OpenCL device (is libOpenCL.so and a driver such as pocl installed?)");
            return Optional.empty();
        }
        return Optional.of(new AparapiScaling(kind, tol, maxIter, true, device));
    }

    @Override
    public String name() {
        return "aparapi";
    }
}
