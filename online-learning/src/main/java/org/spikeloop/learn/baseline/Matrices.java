package org.spikeloop.learn.baseline;

import org.ejml.data.DMatrixRMaj;

/** Conversions between row arrays and EJML matrices, with shape checks naming the argument. */
final class Matrices {
    private Matrices() {}

    /**
     * Rows {@code [from, to)} of {@code rows} as the columns of a {@code width × (to − from)}
     * matrix, minus {@code mean} (so samples are columns, as in the Kalman papers).
     */
    static DMatrixRMaj columns(double[][] rows, int from, int to, double[] mean) {
        int width = mean.length;
        DMatrixRMaj m = new DMatrixRMaj(width, to - from);
        for (int t = from; t < to; t++) {
            for (int i = 0; i < width; i++) {
                m.unsafe_set(i, t - from, rows[t][i] - mean[i]);
            }
        }
        return m;
    }

    /** Column means of {@code rows}. */
    static double[] mean(double[][] rows) {
        double[] mean = new double[rows[0].length];
        for (double[] row : rows) {
            for (int i = 0; i < mean.length; i++) {
                mean[i] += row[i];
            }
        }
        for (int i = 0; i < mean.length; i++) {
            mean[i] /= rows.length;
        }
        return mean;
    }

    /**
     * Checks that {@code rows} is a non-ragged table of finite values with at least {@code minRows}
     * rows.
     *
     * @return the row width
     */
    static int requireTable(String name, double[][] rows, int minRows) {
        if (rows == null || rows.length < minRows) {
            throw new IllegalArgumentException(
                    name
                            + " needs >= "
                            + minRows
                            + " rows, got "
                            + (rows == null ? "null" : rows.length));
        }
        int width = rows[0].length;
        if (width == 0) {
            throw new IllegalArgumentException(name + " has rows of width 0");
        }
        for (int t = 0; t < rows.length; t++) {
            if (rows[t].length != width) {
                throw new IllegalArgumentException(
                        name
                                + " row "
                                + t
                                + " has width "
                                + rows[t].length
                                + ", expected "
                                + width);
            }
            for (double v : rows[t]) {
                if (!Double.isFinite(v)) {
                    throw new IllegalArgumentException(name + " row " + t + " holds " + v);
                }
            }
        }
        return width;
    }

    static void requireSameLength(String a, double[][] x, String b, Object[] y) {
        if (x.length != y.length) {
            throw new IllegalArgumentException(
                    a + " has " + x.length + " rows but " + b + " has " + y.length);
        }
    }
}
