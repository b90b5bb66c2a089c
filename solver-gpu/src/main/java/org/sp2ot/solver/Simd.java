package org.sp2ot.solver;

/**
 * Whether {@link SimdPass} (the JDK's incubating Vector API) can run here. It needs the module in the boot layer
 * ({@code --add-modules jdk.incubator.vector}, which {@code bin/sp2ot}, the build's tests and README's spark-submit
 * lines pass), a preferred vector shape of at least 4 float64 lanes (AVX2 or wider), and the system property
 * {@value #PROPERTY} not set to {@code false} (the switch to the scalar loops). Otherwise the scalar float64 loops run;
 * they give the same answer up to float64 rounding.
 */
final class Simd {
    /** System property that turns the Vector API path off ({@code -Dsp2ot.simd=false}). */
    static final String PROPERTY = "sp2ot.simd";
    private static final String MODULE = "jdk.incubator.vector";
    private static final int LANES = probe();

    private Simd() {
    }

    /** Whether the Vector API path runs in this JVM. */
    static boolean enabled() {
        return LANES >= 4;
    }

    /** Why it does not run, or its shape when it does: for the device string. */
    static String describe() {
        if (enabled()) {
            return "simd " + LANES * 64 + "-bit";
        }
        if (LANES == -1) {
            return "scalar";
        }
        return LANES == 0 ? "scalar (no " + MODULE + ")" : "scalar (" + LANES * 64 + "-bit vectors)";
    }

    private static int probe() {
        if ("false".equalsIgnoreCase(System.getProperty(PROPERTY, "true"))) {
            return -1;
        }
        if (ModuleLayer.boot().findModule(MODULE).isEmpty()) {
            return 0;
        }
        try {
            return SimdPass.lanes();
        } catch (LinkageError e) {
            return 0;
        }
    }
}
