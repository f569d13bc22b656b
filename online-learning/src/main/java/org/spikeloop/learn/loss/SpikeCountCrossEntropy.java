package org.spikeloop.learn.loss;

import org.spikeloop.learn.data.Batch;
import org.spikeloop.snn.params.Tensor;

/**
 * Classification loss on spike counts: logits n_b[o] = Σ_{t∈W_b} z_t[o] (output neuron o's spikes
 * in sample b's window W_b), L = (1/B)·Σ_b −log softmax(n_b)[label_b]; ∂L/∂z_t[o] = (π_b[o] − 1[o =
 * label_b]) / B for t ∈ W_b, reaching z through the output neurons' surrogate. W_b is the steps of
 * [from, to) that sample b's {@code mask} [B, T'] marks 1 (absent = all of them), so trials of
 * different lengths padded into one batch each count their own window (a classification job's trial
 * windows, as {@link ReadoutCrossEntropy} masks them). Unlike {@link ReadoutCrossEntropy} it sums
 * spikes of the SPIKE_COUNT readout instead of averaging the leaky readout (a count's logit grows
 * with the window's length), and unlike {@link FirstToSpike} it rewards spike counts, not timing.
 * Targets: {@code label} [B], class indices (+ {@code mask}).
 */
public final class SpikeCountCrossEntropy implements ObjectiveTerm {
    private final int pop;
    private final int outputs;
    private final int from;
    private final int to;
    private double[] coefficient = new double[0];
    private double[] mask; // [B, T'] of the last evaluated batch, or null
    private int steps;
    private int windowEnd;

    /**
     * @param readoutPop index of the spike-count readout population
     * @param outputs number of classes (output neurons)
     * @param from first step of the window (inclusive, &ge; 0)
     * @param to end of the window (exclusive); &lt; 0 means the last step
     */
    public SpikeCountCrossEntropy(int readoutPop, int outputs, int from, int to) {
        this.pop = readoutPop;
        this.outputs = outputs;
        this.from = from;
        this.to = to;
    }

    @Override
    public String name() {
        return "spike_count_ce";
    }

    @Override
    public void check(Batch batch, int steps) {
        Tensor label = Targets.requireShape(batch, "label");
        Targets.requireIndices(label, "label", outputs);
        int end = to < 0 ? steps : Math.min(to, steps);
        if (from >= end) {
            throw new IllegalArgumentException(
                    "loss.window [" + from + ", " + end + ") is empty for " + steps + " steps");
        }
        Targets.requireWindowMask(
                batch, steps, from, end, " of loss.window [" + from + ", " + end + ")");
    }

    private boolean counts(int b, int t) {
        return t >= from && t < windowEnd && (mask == null || mask[b * steps + t] != 0.0);
    }

    @Override
    public double evaluate(Rollout r) {
        int bsz = r.batch().size();
        steps = r.steps();
        windowEnd = to < 0 ? steps : Math.min(to, steps);
        mask = r.batch().has("mask") ? r.batch().target("mask").data() : null;
        double[] label = r.batch().target("label").data();
        coefficient = new double[bsz * outputs];
        double total = 0.0;
        double[] n = new double[outputs];
        for (int b = 0; b < bsz; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int o = 0; o < outputs; o++) {
                int c = 0;
                for (int t = from; t < windowEnd; t++) {
                    if (counts(b, t) && r.spike(pop, t, b, o)) {
                        c++;
                    }
                }
                n[o] = c;
                max = Math.max(max, c);
            }
            double z = 0.0;
            for (int o = 0; o < outputs; o++) {
                z += Math.exp(n[o] - max);
            }
            int y = (int) label[b];
            total += Math.log(z) + max - n[y];
            for (int o = 0; o < outputs; o++) {
                double p = Math.exp(n[o] - max) / z;
                coefficient[b * outputs + o] = (p - (o == y ? 1.0 : 0.0)) / bsz;
            }
        }
        return total / bsz;
    }

    @Override
    public void addGradient(GradientSink s) {
        int t = s.step();
        if (!counts(s.sample(), t)) {
            return;
        }
        int off = s.sample() * outputs;
        for (int o = 0; o < outputs; o++) {
            s.addSpike(pop, o, coefficient[off + o]);
        }
    }

    /**
     * The class predicted for each sample of the last evaluated batch (arg-max count over the fixed
     * window [from, to); a batch's {@code mask} is not applied).
     */
    public static int[] predict(Rollout r, int readoutPop, int outputs, int from, int to) {
        int end = to < 0 ? r.steps() : Math.min(to, r.steps());
        int[] out = new int[r.batch().size()];
        for (int b = 0; b < out.length; b++) {
            int best = -1;
            int bestCount = -1;
            for (int o = 0; o < outputs; o++) {
                int c = 0;
                for (int t = from; t < end; t++) {
                    if (r.spike(readoutPop, t, b, o)) {
                        c++;
                    }
                }
                if (c > bestCount) {
                    bestCount = c;
                    best = o;
                }
            }
            out[b] = best;
        }
        return out;
    }
}
