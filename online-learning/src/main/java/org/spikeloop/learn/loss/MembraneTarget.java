package org.spikeloop.learn.loss;

import org.spikeloop.learn.data.Batch;

/**
 * Rate-based per-step membrane loss: L = mean_b Σ_t Σ_j (v_t[j] − v*)² over one population; ∂L/∂v_t
 * = 2(v_t − v*)/B, entering the membrane directly (not through a spike's surrogate), so it shapes
 * sub-threshold dynamics that the spike losses cannot see. v* is the constant {@code target}, or
 * per step and neuron from the data entry {@code v_target} [B, T', N] when present.
 */
public final class MembraneTarget implements ObjectiveTerm {
    private final int pop;
    private final int size;
    private final double target;
    private double[] residual = new double[0];
    private int steps;
    private double scale;

    public MembraneTarget(int pop, int size, double target) {
        this.pop = pop;
        this.size = size;
        this.target = target;
    }

    @Override
    public String name() {
        return "membrane_target";
    }

    @Override
    public void check(Batch batch, int steps) {
        if (batch.has("v_target")) {
            Targets.requireShape(batch, "v_target", steps, size);
        }
    }

    @Override
    public double evaluate(Rollout r) {
        int bsz = r.batch().size();
        steps = r.steps();
        double[] vt = r.batch().has("v_target") ? r.batch().target("v_target").data() : null;
        residual = new double[bsz * steps * size];
        double sum = 0.0;
        for (int b = 0; b < bsz; b++) {
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < size; j++) {
                    int i = (b * steps + t) * size + j;
                    double e = r.membrane(pop, t, b, j) - (vt == null ? target : vt[i]);
                    residual[i] = e;
                    sum += e * e;
                }
            }
        }
        scale = 2.0 / bsz;
        return sum / bsz;
    }

    @Override
    public void addGradient(GradientSink s) {
        int off = (s.sample() * steps + s.step()) * size;
        for (int j = 0; j < size; j++) {
            s.addMembrane(pop, j, scale * residual[off + j]);
        }
    }
}
