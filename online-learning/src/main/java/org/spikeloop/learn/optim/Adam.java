package org.spikeloop.learn.optim;

import java.util.Map;
import java.util.Set;
import org.spikeloop.learn.bptt.Gradients;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², p ← p −
 * η·m̂/(√v̂ + ε) with bias-corrected m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ); the step itself is {@link
 * AdamKernel}'s.
 *
 * <p>Moments: one m and one v array per parameter, allocated when a parameter set is first seen
 * (the first step) and kept by name, so a step allocates nothing and looks each parameter up once.
 * A step on a different {@link NetworkParams} instance re-binds (allocating the names and arrays it
 * has not seen; known names keep their moments). Not thread-safe.
 */
public final class Adam implements Optimizer {
    private final double learningRate;
    private double rateScale = 1.0;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private NetworkParams bound;
    private String[] names = new String[0];
    private double[][] m = new double[0][];
    private double[][] v = new double[0][];
    private int t;

    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException(
                    "training.learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1)) {
            throw new IllegalArgumentException("training.beta1 must be in [0, 1), got " + beta1);
        }
        if (!(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("training.beta2 must be in [0, 1), got " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("training.epsilon must be > 0, got " + epsilon);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    /** Adam with the paper's defaults β₁ = 0.9, β₂ = 0.999, ε = 1e−8. */
    public static Adam withLearningRate(double learningRate) {
        return new Adam(learningRate, 0.9, 0.999, 1e-8);
    }

    @Override
    public void step(NetworkParams params, Gradients grads, Set<String> frozen) {
        if (params != bound) {
            bind(params);
        }
        t++;
        double c1 = AdamKernel.biasCorrection(beta1, t);
        double c2 = AdamKernel.biasCorrection(beta2, t);
        for (int k = 0; k < names.length; k++) {
            String name = names[k];
            if (frozen.contains(name)) {
                continue;
            }
            double[] p = params.get(name).data();
            double[] g = grads.get(name).data();
            AdamKernel.update(
                    p,
                    0,
                    g,
                    m[k],
                    v[k],
                    0,
                    p.length,
                    learningRate * rateScale,
                    beta1,
                    beta2,
                    epsilon,
                    c1,
                    c2,
                    Double.POSITIVE_INFINITY);
        }
    }

    /**
     * Takes {@code params}' names in canonical order and a moment pair per name: the pair already
     * held for that name, or new zero arrays.
     */
    private void bind(NetworkParams params) {
        Map<String, Tensor> tensors = params.asMap();
        String[] nextNames = new String[tensors.size()];
        double[][] nextM = new double[nextNames.length][];
        double[][] nextV = new double[nextNames.length][];
        int k = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            String name = e.getKey();
            int size = e.getValue().data().length;
            int known = indexOf(name);
            if (known >= 0 && m[known].length != size) {
                throw new IllegalArgumentException(
                        "Adam: parameter "
                                + name
                                + " has "
                                + size
                                + " values but its moments were made for "
                                + m[known].length
                                + " (one optimiser per network)");
            }
            nextNames[k] = name;
            nextM[k] = known >= 0 ? m[known] : new double[size];
            nextV[k] = known >= 0 ? v[known] : new double[size];
            k++;
        }
        names = nextNames;
        m = nextM;
        v = nextV;
        bound = params;
    }

    private int indexOf(String name) {
        for (int k = 0; k < names.length; k++) {
            if (names[k].equals(name)) {
                return k;
            }
        }
        return -1;
    }

    @Override
    public void learningRateScale(double scale) {
        rateScale = Optimizer.requireScale(scale);
    }
}
