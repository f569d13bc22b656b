package org.spikeloop.learn.loss;

import org.spikeloop.learn.data.Batch;
import org.spikeloop.snn.params.Tensor;

/**
 * Event (timing) loss for one output neuron per sample: L = mean_b (Σ_{t&lt;t*} z_t − z_{t*}), a
 * teaching signal that pushes the neuron up at its target time t*, down before it, and says nothing
 * after; ∂L/∂z_t = 1/B before t*, −1/B at t*. Unlike {@link SpikeCountCrossEntropy} it cares about
 * when the first spike happens, not how many. Targets: {@code target_time} [B] (network step) and
 * optionally {@code target_neuron} [B] (default 0).
 */
public final class FirstToSpike implements ObjectiveTerm {
    private final int pop;
    private final int size;
    private int[] time = new int[0];
    private int[] neuron = new int[0];
    private double inv;

    /**
     * @param pop the spiking population whose neuron is taught (normally the readout)
     * @param size its size
     */
    public FirstToSpike(int pop, int size) {
        this.pop = pop;
        this.size = size;
    }

    @Override
    public String name() {
        return "first_to_spike";
    }

    @Override
    public void check(Batch batch, int steps) {
        Tensor t = Targets.requireShape(batch, "target_time");
        Targets.requireIndices(t, "target_time", steps);
        if (batch.has("target_neuron")) {
            Tensor n = Targets.requireShape(batch, "target_neuron");
            Targets.requireIndices(n, "target_neuron", size);
        }
    }

    @Override
    public double evaluate(Rollout r) {
        int bsz = r.batch().size();
        time = new int[bsz];
        neuron = new int[bsz];
        double[] tt = r.batch().target("target_time").data();
        double[] nn =
                r.batch().has("target_neuron") ? r.batch().target("target_neuron").data() : null;
        double total = 0.0;
        for (int b = 0; b < bsz; b++) {
            time[b] = (int) tt[b];
            neuron[b] = nn == null ? 0 : (int) nn[b];
            for (int t = 0; t < time[b]; t++) {
                if (r.spike(pop, t, b, neuron[b])) {
                    total += 1.0;
                }
            }
            if (r.spike(pop, time[b], b, neuron[b])) {
                total -= 1.0;
            }
        }
        inv = 1.0 / bsz;
        return total * inv;
    }

    @Override
    public void addGradient(GradientSink s) {
        int b = s.sample();
        int t = s.step();
        if (t < time[b]) {
            s.addSpike(pop, neuron[b], inv);
        } else if (t == time[b]) {
            s.addSpike(pop, neuron[b], -inv);
        }
    }
}
