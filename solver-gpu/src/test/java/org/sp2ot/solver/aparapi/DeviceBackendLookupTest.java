package org.sp2ot.solver.aparapi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.aparapi.device.Device;

import org.junit.jupiter.api.Test;
import org.sp2ot.solver.Backend;
import org.sp2ot.solver.FastScaling;
import org.sp2ot.solver.Method;
import org.sp2ot.solver.ScalingSolver;
import org.sp2ot.solver.ScalingSolvers;
import org.sp2ot.solver.SolverSettings;

/**
 * The Aparapi backend is found at run time behind the {@code ScalingSolver} seam (ServiceLoader), the solver core
 * does not import it, and without an OpenCL device the {@code aparapi} choice falls back to the fast CPU path.
 */
class DeviceBackendLookupTest {

    @Test
    void aparapiChoiceRunsOnOpenClOrFallsBackToTheFastCpuPath() {
        boolean openCl = AparapiScaling.firstOpenCl(Device.TYPE.GPU) != null
                || AparapiScaling.firstOpenCl(Device.TYPE.CPU) != null;
        try (ScalingSolver solver = ScalingSolvers.create(Method.P2OT,
                SolverSettings.defaults().withBackend(Backend.APARAPI));
             FastScaling fast = FastScaling.create(org.sp2ot.solver.ScalingFormulation.Kind.VIRTUAL_COLUMN, 1e-6, 10)) {
            if (openCl) {
                assertTrue(solver instanceof AparapiScaling, "found " + solver.device());
            } else {
                assertTrue(solver instanceof FastScaling, "fell back to " + solver.device());
                assertEquals(fast.device(), solver.device());
            }
        }
    }

    @Test
    void theServiceEntryNamesTheAparapiProvider() throws IOException {
        try (var in = DeviceBackendLookupTest.class.getResourceAsStream(
                "/META-INF/services/org.sp2ot.solver.DeviceSolverProvider")) {
            assertTrue(in != null, "no META-INF/services entry for DeviceSolverProvider");
            assertEquals(AparapiProvider.class.getName(), new String(in.readAllBytes()).trim());
        }
    }

    @Test
    void theSolverCoreDoesNotImportItsDeviceBackend() throws IOException {
        Path core = Path.of("src/main/java/org/sp2ot/solver");
        List<Path> offenders;
        try (Stream<Path> files = Files.list(core)) {
            offenders = files.filter(p -> p.toString().endsWith(".java")).filter(p -> {
                try {
                    String source = Files.readString(p);
                    return source.contains("import org.sp2ot.solver.aparapi") || source.contains("import com.aparapi");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
        assertTrue(Files.isDirectory(core), "run from the solver-gpu module directory");
        assertFalse(offenders.iterator().hasNext(), "the core imports its device backend: " + offenders);
    }
}
