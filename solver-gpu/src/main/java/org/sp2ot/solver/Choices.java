package org.sp2ot.solver;

import java.util.Arrays;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Parsing of a setting that names one constant of an enum, so that each enumeration spells its names once, in its
 * {@code configName()}: the accepted names and the message listing them both come from the constants.
 */
public final class Choices {

    private Choices() {
    }

    /**
     * The constant whose {@code name.apply(constant)} equals {@code value} (trimmed, case-insensitive).
     *
     * @param what the setting, for the message ("rho schedule")
     * @throws IllegalArgumentException "{what} must be one of a, b, c; got 'value'"
     */
    public static <E extends Enum<E>> E parse(String what, E[] constants, Function<E, String> name, String value) {
        if (value != null) {
            for (E constant : constants) {
                if (name.apply(constant).equalsIgnoreCase(value.trim())) {
                    return constant;
                }
            }
        }
        throw new IllegalArgumentException(what + " must be one of " + names(constants, name) + "; got '" + value
                + "'");
    }

    /** The names of {@code constants}, comma-separated, in declaration order. */
    public static <E extends Enum<E>> String names(E[] constants, Function<E, String> name) {
        return Arrays.stream(constants).map(name).collect(Collectors.joining(", "));
    }
}
