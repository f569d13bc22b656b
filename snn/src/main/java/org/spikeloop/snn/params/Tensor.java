package org.spikeloop.snn.params;

import java.util.Arrays;

/**
 * A named parameter's values: a shape and a flat row-major {@code double[]} (the master copy;
 * kernels keep their own float32 copies). Mutable data, fixed shape.
 */
public final class Tensor {
    private final int[] shape;
    private final double[] data;

    /**
     * @param shape dimensions, each &ge; 1 (copied)
     * @param data row-major values; its length must equal the product of the shape (not copied)
     */
    public Tensor(int[] shape, double[] data) {
        this.shape = shape.clone();
        if (data.length != sizeOf(shape)) {
            throw new IllegalArgumentException(
                    "data has "
                            + data.length
                            + " values, shape "
                            + Arrays.toString(shape)
                            + " needs "
                            + sizeOf(shape));
        }
        this.data = data;
    }

    /** A zero tensor of the given shape. */
    public static Tensor zeros(int... shape) {
        return new Tensor(shape, new double[sizeOf(shape)]);
    }

    /** A tensor with every value {@code value}. */
    public static Tensor filled(double value, int... shape) {
        double[] d = new double[sizeOf(shape)];
        Arrays.fill(d, value);
        return new Tensor(shape, d);
    }

    static int sizeOf(int[] shape) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(
                        "negative dimension in " + Arrays.toString(shape));
            }
            n *= s;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("tensor too large: " + Arrays.toString(shape));
        }
        return (int) n;
    }

    /** The shape (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.length;
    }

    /** Size of dimension {@code d}. */
    public int dim(int d) {
        return shape[d];
    }

    /** The flat row-major values (live, not a copy). */
    public double[] data() {
        return data;
    }

    /** Number of values. */
    public int size() {
        return data.length;
    }

    /** Whether the shapes are equal. */
    public boolean sameShape(int... other) {
        return Arrays.equals(shape, other);
    }

    /** A deep copy. */
    public Tensor copy() {
        return new Tensor(shape, data.clone());
    }

    /** The values as float32 (a new array). */
    public float[] toFloats() {
        float[] f = new float[data.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) data[i];
        }
        return f;
    }

    /** Index of the first non-finite value, or −1. */
    public int firstNonFinite() {
        for (int i = 0; i < data.length; i++) {
            if (!Double.isFinite(data[i])) {
                return i;
            }
        }
        return -1;
    }

    /** Euclidean norm of all values. */
    public double norm() {
        double s = 0.0;
        for (double v : data) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    @Override
    public String toString() {
        return "Tensor" + Arrays.toString(shape);
    }
}
