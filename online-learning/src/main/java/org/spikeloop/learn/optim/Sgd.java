package org.spikeloop.learn.optim;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import org.spikeloop.learn.bptt.Gradients;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;

/**
 * Stochastic gradient descent with optional heavy-ball momentum: m ← μ·m + g, p ← p − η·m
 * (PyTorch's {@code SGD} convention; μ = 0 gives plain p ← p − η·g).
 */
public final class Sgd implements Optimizer {
    private final double learningRate;
    private double rateScale = 1.0;
    private final double momentum;
    private final Map<String, double[]> velocity = new HashMap<>();

    public Sgd(double learningRate, double momentum) {
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new IllegalArgumentException(
                    "training.learningRate must be finite and > 0, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException(
                    "training.momentum must be in [0, 1), got " + momentum);
        }
        this.learningRate = learningRate;
        this.momentum = momentum;
    }

    @Override
    public void step(NetworkParams params, Gradients grads, Set<String> frozen) {
        for (Map.Entry<String, Tensor> e : params.asMap().entrySet()) {
            if (frozen.contains(e.getKey())) {
                continue;
            }
            double[] p = e.getValue().data();
            double[] g = grads.get(e.getKey()).data();
            if (momentum == 0.0) {
                for (int i = 0; i < p.length; i++) {
                    p[i] -= learningRate * rateScale * g[i];
                }
            } else {
                double[] m = velocity.computeIfAbsent(e.getKey(), k -> new double[p.length]);
                for (int i = 0; i < p.length; i++) {
                    m[i] = momentum * m[i] + g[i];
                    p[i] -= learningRate * rateScale * m[i];
                }
            }
        }
    }

    @Override
    public void learningRateScale(double scale) {
        rateScale = Optimizer.requireScale(scale);
    }
}
