package org.spikeloop.snn.nir;

import java.util.Arrays;

/**
 * One numeric field of a NIR node: a row-major array of any rank (rank 0 is a scalar), held as
 * float64 whatever the file's type (float32 and integer values convert exactly).
 *
 * @param shape the dimensions, outermost first (empty for a scalar)
 * @param values the values, row-major; length the product of {@code shape}
 */
public record NirArray(int[] shape, double[] values) {
    public NirArray {
        shape = shape.clone();
        values = values.clone();
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in " + Arrays.toString(shape));
            }
            n *= d;
        }
        if (n != values.length) {
            throw new IllegalArgumentException(
                    "shape "
                            + Arrays.toString(shape)
                            + " holds "
                            + n
                            + " values, got "
                            + values.length);
        }
    }

    /** A rank-1 array. */
    public static NirArray vector(double... values) {
        return new NirArray(new int[] {values.length}, values);
    }

    /** A rank-2 array from row-major values. */
    public static NirArray matrix(int rows, int cols, double[] values) {
        return new NirArray(new int[] {rows, cols}, values);
    }

    /** A scalar (rank 0). */
    public static NirArray scalar(double value) {
        return new NirArray(new int[0], new double[] {value});
    }

    /** The number of values. */
    public int size() {
        return values.length;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public double[] values() {
        return values.clone();
    }

    /** Value {@code i} in row-major order. */
    public double get(int i) {
        return values[i];
    }

    /** The dimensions as text, e.g. {@code [4, 3]}. */
    public String shapeText() {
        return Arrays.toString(shape);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof NirArray a
                && Arrays.equals(shape, a.shape)
                && Arrays.equals(values, a.values);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(shape) + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "NirArray" + Arrays.toString(shape);
    }
}
