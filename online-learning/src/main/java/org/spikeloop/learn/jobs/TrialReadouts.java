package org.spikeloop.learn.jobs;

import org.spikeloop.learn.trials.WindowedDecision;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.kernel.LayerState;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.ReadoutType;

/**
 * Runs a network over a {@link TrialSequence} as a live session would — the float32 kernel (the
 * engine's), causally and continuously from a zeroed state at the recording's first frame — and
 * aggregates over each trial's window the readout y_t into the logits a trial's decision is taken
 * from ({@link WindowedDecision.Aggregate}: the mean of a leaky readout, the sum of a spike-count
 * readout's output spikes) and averages the last layer's filtered spikes z̄_t = κ·z̄_{t−1} + (1 −
 * κ)·z_t (κ the readout's), on which the leaky readout is linear: y_t = W·z̄_t + b once the
 * start-up has decayed, so window means obey ȳ = W·mean(z̄) + b and a closed-form readout can be
 * fitted on mean(z̄).
 *
 * <p>Control plane: allocates a network per call.
 */
final class TrialReadouts {
    /**
     * Per-trial window means.
     *
     * @param hidden mean z̄ per trial [n][H]
     * @param readout the window's logits per trial [n][O]: mean y (leaky readout) or output spike
     *     counts (spike-count readout), as {@link WindowedDecision} decides
     * @param spikesPerFrame mean spikes of the last layer per neuron and frame over the run
     */
    record Means(double[][] hidden, double[][] readout, double spikesPerFrame) {}

    private TrialReadouts() {}

    /**
     * @param trials the number of leading trials to average (the run stops after the last one's
     *     window)
     */
    static Means run(NetworkSpec spec, NetworkParams params, TrialSequence data, int trials) {
        FloatNetwork net = new FloatNetwork(spec, params);
        LayerState last = net.layer(net.layerCount() - 1);
        int h = last.size();
        int o = spec.outputs();
        int c = data.channels();
        double kappa = spec.readout().kappa(spec.dtMs());
        double[][] hidden = new double[trials][h];
        double[][] readout = new double[trials][o];
        float[] in = new float[c];
        float[] out = new float[o];
        double[] trace = new double[h];
        double[] x = data.x();
        int end = trials == 0 ? 0 : data.to(trials - 1);
        long spikes = 0;
        int t = 0;
        for (int f = 0; f < end; f++) {
            for (int i = 0; i < c; i++) {
                in[i] = (float) x[f * c + i];
            }
            net.step(in, out);
            for (int j = 0; j < h; j++) {
                float z = last.z(j);
                trace[j] = kappa * trace[j] + (1.0 - kappa) * z;
                spikes += z != 0f ? 1 : 0;
            }
            while (t < trials && f >= data.to(t)) {
                t++;
            }
            if (t < trials && f >= data.from(t)) {
                for (int j = 0; j < h; j++) {
                    hidden[t][j] += trace[j];
                }
                for (int k = 0; k < o; k++) {
                    readout[t][k] += out[k];
                }
            }
        }
        boolean mean =
                WindowedDecision.Aggregate.of(spec.readout().type() == ReadoutType.SPIKE_COUNT)
                        == WindowedDecision.Aggregate.MEAN;
        for (int i = 0; i < trials; i++) {
            double n = data.to(i) - data.from(i);
            for (int j = 0; j < h; j++) {
                hidden[i][j] /= n;
            }
            for (int k = 0; k < o && mean; k++) {
                readout[i][k] /= n;
            }
        }
        return new Means(hidden, readout, end == 0 ? 0.0 : spikes / ((double) end * h));
    }
}
