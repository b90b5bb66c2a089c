package org.sp2ot.datasets.io;

/**
 * The element types {@link Npy} reads and writes: little-endian 32/64-bit floats and integers, the only ones a
 * feature matrix, a label vector or a transport plan needs.
 */
public enum NpyDtype {
    FLOAT32("<f4", 4),
    FLOAT64("<f8", 8),
    INT32("<i4", 4),
    INT64("<i8", 8);

    private final String descr;
    private final int bytes;

    NpyDtype(String descr, int bytes) {
        this.descr = descr;
        this.bytes = bytes;
    }

    /** The numpy {@code descr} string written in the header, e.g. {@code "<f4"}. */
    public String descr() {
        return descr;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /**
     * The dtype of a header's {@code descr}; {@code "|"} (byte order not applicable) is not accepted because none
     * of the supported types is one byte wide.
     *
     * @throws NpyFormatException naming the descr and the supported ones when it is anything else, big-endian
     *     included
     */
    static NpyDtype fromDescr(String descr, String source) throws NpyFormatException {
        for (NpyDtype dtype : values()) {
            if (dtype.descr.equals(descr)) {
                return dtype;
            }
        }
        String hint = descr.startsWith(">")
                ? " (big-endian: convert with arr.astype(arr.dtype.newbyteorder('<')) before saving)"
                : " (convert with arr.astype(np.float32) or another supported type before saving)";
        throw new NpyFormatException(source + ": unsupported dtype '" + descr
                + "'; supported are <f4 (float32), <f8 (float64), <i4 (int32), <i8 (int64)" + hint);
    }
}
