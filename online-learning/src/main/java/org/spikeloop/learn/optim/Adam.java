package org.spikeloop.learn.optim;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.spikeloop.learn.bptt.Gradients;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;

/**
 * Adam (Kingma &amp; Ba 2015, Algorithm 1): m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², p ← p −
 * η·m̂/(√v̂ + ε) with bias-corrected m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ).
 */
public final class Adam implements Optimizer {
    private final double learningRate;
    private double rateScale = 1.0;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final Map<String, double[]> m = new HashMap<>();
    private final Map<String, double[]> v = new HashMap<>();
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
        t++;
        double c1 = 1.0 - Math.pow(beta1, t);
        double c2 = 1.0 - Math.pow(beta2, t);
        for (Map.Entry<String, Tensor> e : params.asMap().entrySet()) {
            if (frozen.contains(e.getKey())) {
                continue;
            }
            double[] p = e.getValue().data();
            double[] g = grads.get(e.getKey()).data();
            double[] mm = m.computeIfAbsent(e.getKey(), k -> new double[p.length]);
            double[] vv = v.computeIfAbsent(e.getKey(), k -> new double[p.length]);
            for (int i = 0; i < p.length; i++) {
                mm[i] = beta1 * mm[i] + (1.0 - beta1) * g[i];
                vv[i] = beta2 * vv[i] + (1.0 - beta2) * g[i] * g[i];
                p[i] -= learningRate * rateScale * (mm[i] / c1) / (Math.sqrt(vv[i] / c2) + epsilon);
            }
        }
    }

    @Override
    public void learningRateScale(double scale) {
        rateScale = Optimizer.requireScale(scale);
    }
}
