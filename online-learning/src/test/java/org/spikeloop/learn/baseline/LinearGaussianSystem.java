package org.spikeloop.learn.baseline;

import java.util.SplittableRandom;

/**
 * Test helper: samples from a known linear-Gaussian state-space model x_t = A x_{t−1} + w, z_t = H
 * x_t + q with diagonal W and Q, plus a constant offset on z (like baseline firing rates).
 */
final class LinearGaussianSystem {
    static final double[][] A = {{0.95, 0.10}, {-0.10, 0.95}};
    static final double[] W_DIAG = {0.02, 0.03};
    final int n;
    final double[][] h;
    final double[] qDiag;
    final double[] offset;
    final double[][] x;
    final double[][] z;

    LinearGaussianSystem(int n, int samples, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        this.n = n;
        h = new double[n][2];
        qDiag = new double[n];
        offset = new double[n];
        for (int i = 0; i < n; i++) {
            double angle = 2 * Math.PI * i / n;
            h[i][0] = 2 * Math.cos(angle);
            h[i][1] = 2 * Math.sin(angle);
            qDiag[i] = 0.5 + rng.nextDouble();
            offset[i] = 5 + 5 * rng.nextDouble();
        }
        x = new double[samples][2];
        z = new double[samples][n];
        double[] state = new double[2];
        for (int t = 0; t < samples; t++) {
            double x0 = A[0][0] * state[0] + A[0][1] * state[1];
            double x1 = A[1][0] * state[0] + A[1][1] * state[1];
            state[0] = x0 + Math.sqrt(W_DIAG[0]) * rng.nextGaussian();
            state[1] = x1 + Math.sqrt(W_DIAG[1]) * rng.nextGaussian();
            x[t][0] = state[0];
            x[t][1] = state[1];
            for (int i = 0; i < n; i++) {
                z[t][i] =
                        offset[i]
                                + h[i][0] * state[0]
                                + h[i][1] * state[1]
                                + Math.sqrt(qDiag[i]) * rng.nextGaussian();
            }
        }
    }

    static float[] toFloat(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }
}
