package org.sp2ot.solver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Locale;

import org.junit.jupiter.api.Test;

class ChoicesTest {
    private enum Colour {
        DARK_RED, BLUE;

        String configName() {
            return name().toLowerCase(Locale.ROOT).replace('_', '-');
        }
    }

    @Test
    void aConstantIsFoundByItsConfigNameTrimmedAndIgnoringCase() {
        assertEquals(Colour.DARK_RED, Choices.parse("colour", Colour.values(), Colour::configName, " Dark-Red "));
    }

    @Test
    void anUnknownNameIsRejectedListingTheNamesTheConstantsGive() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> Choices.parse("colour", Colour.values(), Colour::configName, "dark_red"));
        assertEquals("colour must be one of dark-red, blue; got 'dark_red'", error.getMessage());
    }

    @Test
    void aMissingNameIsRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> Choices.parse("colour", Colour.values(), Colour::configName, null));
    }
}
