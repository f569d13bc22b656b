package org.spikeloop.learn.loss;

import org.spikeloop.learn.data.Batch;
import org.spikeloop.snn.params.Tensor;

/**
 * Classification loss on the leaky readout (its outputs are the classes' logits), for trial
 * windows: sample b has class c_b ({@code label} [B]) and a window W_b of steps ({@code mask} [B,
 * T'], 1 inside, 0 outside; absent = every step), n_b = |W_b| &ge; 1. Two forms:
 *
 * <ul>
 *   <li><b>{@code average: "window"}</b> (default) — cross-entropy of the window-averaged readout,
 *       the quantity a trial's decision is taken from ({@link
 *       org.spikeloop.learn.trials.WindowedDecision}):
 *       <pre>
 *   ȳ_b = (1/n_b)·Σ_{t∈W_b} y_t,   π_b = softmax(ȳ_b),   L = (1/B)·Σ_b −log π_b[c_b]
 *   ∂L/∂y_t[o] = (π_b[o] − 1[o = c_b]) / (B·n_b)   for t ∈ W_b
 * </pre>
 *   <li><b>{@code average: "step"}</b> — the mean over the window of each step's cross-entropy
 *       (e-prop's classification loss, Bellec et al. 2020, Methods, summed there instead of
 *       averaged):
 *       <pre>
 *   π_t = softmax(y_t),   L = (1/B)·Σ_b (1/n_b)·Σ_{t∈W_b} −log π_t[c_b]
 *   ∂L/∂y_t[o] = (π_t[o] − 1[o = c_b]) / (B·n_b)   for t ∈ W_b
 * </pre>
 * </ul>
 *
 * The step form also pushes the readout to be right at the window's first steps, while the
 * network's state still reflects the time before the cue; the window form asks only for the average
 * to be right. Which one trains a motor-imagery decoder better is measured in docs/jobs.md. Unlike
 * {@link SpikeCountCrossEntropy} it reads the κ-filtered leaky readout, not spike counts; unlike
 * {@link ReadoutMse} its targets are class indices.
 */
public final class ReadoutCrossEntropy implements ObjectiveTerm {
    /** How the per-step readouts of a window enter the loss. */
    public enum Average {
        /** Cross-entropy of the window-averaged readout. */
        WINDOW,
        /** Window mean of the per-step cross-entropies. */
        STEP
    }

    private final int outputs;
    private final Average average;
    private double[] coefficient = new double[0]; // WINDOW: [B, O]; STEP: [B, T', O]
    private double[] weight = new double[0]; // [B, T'] mask / (B·n_b)
    private int steps;

    /**
     * @param outputs classes (readout outputs)
     * @param average window or step form
     */
    public ReadoutCrossEntropy(int outputs, Average average) {
        this.outputs = outputs;
        this.average = average;
    }

    @Override
    public String name() {
        return "readout_ce";
    }

    @Override
    public void check(Batch batch, int steps) {
        Tensor label = Targets.requireShape(batch, "label");
        Targets.requireIndices(label, "label", outputs);
        Targets.requireWindowMask(batch, steps, 0, steps, "");
    }

    @Override
    public double evaluate(Rollout r) {
        int bsz = r.batch().size();
        steps = r.steps();
        double[] label = r.batch().target("label").data();
        double[] mask = r.batch().has("mask") ? r.batch().target("mask").data() : null;
        weight = new double[bsz * steps];
        coefficient = new double[average == Average.WINDOW ? bsz * outputs : bsz * steps * outputs];
        double[] logits = new double[outputs];
        double total = 0.0;
        for (int b = 0; b < bsz; b++) {
            int n = 0;
            for (int t = 0; t < steps; t++) {
                n += mask == null || mask[b * steps + t] != 0.0 ? 1 : 0;
            }
            double w = 1.0 / ((double) bsz * n);
            int c = (int) label[b];
            if (average == Average.WINDOW) {
                java.util.Arrays.fill(logits, 0.0);
            }
            for (int t = 0; t < steps; t++) {
                if (mask != null && mask[b * steps + t] == 0.0) {
                    continue;
                }
                weight[b * steps + t] = w;
                if (average == Average.WINDOW) {
                    for (int o = 0; o < outputs; o++) {
                        logits[o] += r.readout(t, b, o) / n;
                    }
                } else {
                    for (int o = 0; o < outputs; o++) {
                        logits[o] = r.readout(t, b, o);
                    }
                    total +=
                            w
                                    * bsz
                                    * softmaxError(
                                            logits, c, coefficient, (b * steps + t) * outputs);
                }
            }
            if (average == Average.WINDOW) {
                total += softmaxError(logits, c, coefficient, b * outputs);
            }
        }
        return total / bsz;
    }

    /**
     * Writes softmax(logits) − onehot(c) at {@code out[at..]} and returns −log softmax(logits)[c].
     */
    private double softmaxError(double[] logits, int c, double[] out, int at) {
        double max = Double.NEGATIVE_INFINITY;
        for (int o = 0; o < outputs; o++) {
            max = Math.max(max, logits[o]);
        }
        double sum = 0.0;
        for (int o = 0; o < outputs; o++) {
            sum += Math.exp(logits[o] - max);
        }
        double logSum = max + Math.log(sum);
        for (int o = 0; o < outputs; o++) {
            out[at + o] = Math.exp(logits[o] - logSum) - (o == c ? 1.0 : 0.0);
        }
        return logSum - logits[c];
    }

    @Override
    public void addGradient(GradientSink s) {
        int b = s.sample();
        int t = s.step();
        double w = weight[b * steps + t];
        if (w == 0.0) {
            return;
        }
        int at = average == Average.WINDOW ? b * outputs : (b * steps + t) * outputs;
        for (int o = 0; o < outputs; o++) {
            s.addReadout(o, w * coefficient[at + o]);
        }
    }
}
