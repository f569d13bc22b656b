package org.spikeloop.learn.loss;

import org.spikeloop.learn.data.Batch;

/**
 * Regression loss on the leaky (low-pass) readout: L = mean_{b,t,o} (y_t[o] − y*_t[o])², the mean
 * over samples, steps and outputs (PyTorch's {@code mse_loss}); ∂L/∂y_t = 2(y − y*)/(B·T'·O).
 * Unlike the spike losses it sees the κ-filtered output, so gradients reach spikes through the
 * filter's memory. Targets: {@code y} [B, T', O].
 */
public final class ReadoutMse implements ObjectiveTerm {
    private final int outputs;
    private double[] residual = new double[0];
    private double scale;
    private int steps;

    public ReadoutMse(int outputs) {
        this.outputs = outputs;
    }

    @Override
    public String name() {
        return "readout_mse";
    }

    @Override
    public void check(Batch batch, int steps) {
        Targets.requireShape(batch, "y", steps, outputs);
    }

    @Override
    public double evaluate(Rollout r) {
        int bsz = r.batch().size();
        steps = r.steps();
        double[] y = r.batch().target("y").data();
        residual = new double[bsz * steps * outputs];
        double sum = 0.0;
        for (int b = 0; b < bsz; b++) {
            for (int t = 0; t < steps; t++) {
                for (int o = 0; o < outputs; o++) {
                    int i = (b * steps + t) * outputs + o;
                    double e = r.readout(t, b, o) - y[i];
                    residual[i] = e;
                    sum += e * e;
                }
            }
        }
        double n = (double) bsz * steps * outputs;
        scale = 2.0 / n;
        return sum / n;
    }

    @Override
    public void addGradient(GradientSink s) {
        int off = (s.sample() * steps + s.step()) * outputs;
        for (int o = 0; o < outputs; o++) {
            s.addReadout(o, scale * residual[off + o]);
        }
    }
}
