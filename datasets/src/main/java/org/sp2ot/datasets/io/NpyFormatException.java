package org.sp2ot.datasets.io;

import java.io.IOException;

/** A {@code .npy} file that is not one {@link Npy} can read; the message names the file and what is wrong. */
public class NpyFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public NpyFormatException(String message) {
        super(message);
    }
}
