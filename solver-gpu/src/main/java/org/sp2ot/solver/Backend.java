package org.sp2ot.solver;

import java.util.Locale;

/** Where the scaling iterations run. */
public enum Backend {
    /** Float64 reference: plain scaling iterations, log-stabilised ({@link P2otScaling}, {@link GeneralizedScaling}). */
    REFERENCE,
    /** Float32 kernel storage, one fused multi-threaded pass per iteration, Anderson-accelerated ({@link FastScaling}). */
    FAST,
    /** Aparapi kernels, kernel matrix resident on the device (GPU &gt; OpenCL CPU &gt; Java thread pool). */
    APARAPI;

    /** Parses {@code "cpu"}/{@code "reference"}, {@code "fast"} or {@code "aparapi"} (case-insensitive). */
    public static Backend parse(String name) {
        if (name == null) {
            throw new IllegalArgumentException("solver backend is missing: use one of cpu, fast, aparapi");
        }
        switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "cpu":
            case "reference":
                return REFERENCE;
            case "fast":
                return FAST;
            case "aparapi":
            case "gpu":
                return APARAPI;
            default:
                throw new IllegalArgumentException("unknown solver backend '" + name
                        + "': use one of cpu (float64 reference), fast, aparapi");
        }
    }
}
