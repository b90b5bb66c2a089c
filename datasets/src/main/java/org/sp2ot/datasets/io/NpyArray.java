package org.sp2ot.datasets.io;

import java.util.Arrays;

/**
 * An n-dimensional array read from a {@code .npy} file: its shape, its element type and its elements in C
 * (row-major) order. Conversions to the other element types copy; the one matching {@link #dtype()} returns the
 * array as stored (no copy) so large feature matrices are not duplicated.
 */
public final class NpyArray {
    private final int[] shape;
    private final NpyDtype dtype;
    private final Object data;

    NpyArray(int[] shape, NpyDtype dtype, Object data) {
        this.shape = shape.clone();
        this.dtype = dtype;
        this.data = data;
    }

    /** The shape, outermost dimension first; empty for a 0-d (scalar) array. */
    public int[] shape() {
        return shape.clone();
    }

    public NpyDtype dtype() {
        return dtype;
    }

    /** The number of elements (the product of the shape, 1 for a scalar). */
    public int size() {
        return elementCount(shape);
    }

    /** The number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Elements as float; float64 and int64 values are rounded to the nearest float. */
    public float[] toFloatArray() {
        switch (dtype) {
            case FLOAT32:
                return (float[]) data;
            case FLOAT64: {
                double[] d = (double[]) data;
                float[] out = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = (float) d[i];
                }
                return out;
            }
            case INT32: {
                int[] d = (int[]) data;
                float[] out = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = d[i];
                }
                return out;
            }
            default: {
                long[] d = (long[]) data;
                float[] out = new float[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = d[i];
                }
                return out;
            }
        }
    }

    /** Elements as double (exact for every supported type except int64 beyond 2^53). */
    public double[] toDoubleArray() {
        switch (dtype) {
            case FLOAT32: {
                float[] d = (float[]) data;
                double[] out = new double[d.length];
                for (int i = 0; i < d.length; i++) {
                    out[i] = d[i];
                }
                return out;
            }
            case FLOAT64:
                return (double[]) data;
            case INT32:
                return Arrays.stream((int[]) data).asDoubleStream().toArray();
            default:
                return Arrays.stream((long[]) data).asDoubleStream().toArray();
        }
    }

    /**
     * Elements as int. Integer arrays convert exactly or fail; float arrays are accepted only when every element
     * is a whole number (labels saved as floats are common).
     *
     * @throws IllegalStateException naming the first element that is not an int
     */
    public int[] toIntArray() {
        switch (dtype) {
            case INT32:
                return (int[]) data;
            case INT64: {
                long[] d = (long[]) data;
                int[] out = new int[d.length];
                for (int i = 0; i < d.length; i++) {
                    if (d[i] < Integer.MIN_VALUE || d[i] > Integer.MAX_VALUE) {
                        throw notExact(i, Long.toString(d[i]), "int");
                    }
                    out[i] = (int) d[i];
                }
                return out;
            }
            default: {
                double[] d = toDoubleArray();
                int[] out = new int[d.length];
                for (int i = 0; i < d.length; i++) {
                    if (d[i] != Math.rint(d[i]) || d[i] < Integer.MIN_VALUE || d[i] > Integer.MAX_VALUE) {
                        throw notExact(i, Double.toString(d[i]), "int");
                    }
                    out[i] = (int) d[i];
                }
                return out;
            }
        }
    }

    /**
     * Elements as long; float arrays are accepted only when every element is a whole number.
     *
     * @throws IllegalStateException naming the first element that is not a long
     */
    public long[] toLongArray() {
        switch (dtype) {
            case INT64:
                return (long[]) data;
            case INT32:
                return Arrays.stream((int[]) data).asLongStream().toArray();
            default: {
                double[] d = toDoubleArray();
                long[] out = new long[d.length];
                for (int i = 0; i < d.length; i++) {
                    if (d[i] != Math.rint(d[i]) || Math.abs(d[i]) > 0x1p63) {
                        throw notExact(i, Double.toString(d[i]), "long");
                    }
                    out[i] = (long) d[i];
                }
                return out;
            }
        }
    }

    private IllegalStateException notExact(int index, String value, String type) {
        return new IllegalStateException("element " + index + " of this " + dtype.descr() + " array is " + value
                + ", not representable as " + type);
    }

    static int elementCount(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape)
                        + " has more elements than a Java array holds; split the file into row blocks");
            }
        }
        return (int) n;
    }

    @Override
    public String toString() {
        return "NpyArray" + Arrays.toString(shape) + " " + dtype.descr();
    }
}
