package org.spikeloop.learn.baseline;

import java.util.SplittableRandom;

/**
 * A ReLU multilayer perceptron, the artificial network that {@link ConvertedSnn} converts: a_0 = x,
 * a_l = max(0, W_l·a_{l−1} + b_l) for the hidden layers, y = W_L·a_{L−1} + b_L (linear output: the
 * regression estimate, or the class logits). Weights are row-major out × in, float64; He
 * initialisation (W ~ N(0, 2/in), b = 0) from a seed.
 *
 * <p>Control plane for fitting ({@link ReluMlpTrainer}); {@link #predict} allocates nothing (the
 * activations are preallocated) and is single-threaded.
 */
public final class ReluMlp {
    final int[] sizes;
    final double[][] weights;
    final double[][] biases;
    private final double[][] act;

    /**
     * @param sizes inputs, each hidden layer's width, outputs (at least two entries, all ≥ 1)
     * @param seed initialisation seed
     */
    public ReluMlp(int[] sizes, long seed) {
        if (sizes.length < 2) {
            throw new IllegalArgumentException(
                    "need inputs and outputs, got " + sizes.length + " sizes");
        }
        for (int s : sizes) {
            if (s < 1) {
                throw new IllegalArgumentException("layer sizes must be >= 1, got " + s);
            }
        }
        this.sizes = sizes.clone();
        int layers = sizes.length - 1;
        weights = new double[layers][];
        biases = new double[layers][];
        act = new double[sizes.length][];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int l = 0; l < layers; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            weights[l] = new double[out * in];
            biases[l] = new double[out];
            double sd = Math.sqrt(2.0 / in);
            for (int i = 0; i < weights[l].length; i++) {
                double u = 1 - rng.nextDouble();
                weights[l][i] =
                        sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.nextDouble());
            }
        }
        for (int l = 0; l < sizes.length; l++) {
            act[l] = new double[sizes[l]];
        }
    }

    /** Inputs. */
    public int inputs() {
        return sizes[0];
    }

    /** Outputs. */
    public int outputs() {
        return sizes[sizes.length - 1];
    }

    /** Weight layers (hidden layers + 1). */
    public int layers() {
        return weights.length;
    }

    /**
     * Forward pass into caller-owned activations.
     *
     * @param x the input (not modified)
     * @param a a[l] receives layer l's activation (a[0] = x copied; the last, the linear output)
     */
    void forward(double[] x, double[][] a) {
        System.arraycopy(x, 0, a[0], 0, sizes[0]);
        for (int l = 0; l < weights.length; l++) {
            int in = sizes[l];
            int out = sizes[l + 1];
            double[] w = weights[l];
            boolean hidden = l < weights.length - 1;
            for (int j = 0; j < out; j++) {
                double s = biases[l][j];
                int row = j * in;
                for (int i = 0; i < in; i++) {
                    s += w[row + i] * a[l][i];
                }
                a[l + 1][j] = hidden && s < 0 ? 0.0 : s;
            }
        }
    }

    /** Allocated activations for {@link #forward}. */
    double[][] activations() {
        double[][] a = new double[sizes.length][];
        for (int l = 0; l < sizes.length; l++) {
            a[l] = new double[sizes[l]];
        }
        return a;
    }

    /**
     * @param x the input (not modified)
     * @param out receives the linear output (modified)
     */
    public void predict(double[] x, double[] out) {
        forward(x, act);
        System.arraycopy(act[act.length - 1], 0, out, 0, outputs());
    }
}
