package org.spikeloop.learn.jobs;

import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.ParameterNames;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.ReadoutType;

/**
 * Writes a classification job's closed-form readout — per-class discriminants ℓ_c = w_c·h + b_c
 * fitted on the window-averaged filtered spikes h of the last layer (LDA, {@link
 * ClassificationRecipe}) — into a network, as its readout type needs:
 *
 * <ul>
 *   <li><b>leaky</b>: W = w, b = b. The window-averaged readout is ȳ = W·mean(z̄) + b, so the
 *       window's logits are the discriminants themselves.
 *   <li><b>spike-count</b>: the centred discriminants ℓ̃_c = ℓ_c − (1/K)·Σ_k ℓ_k become each output
 *       neuron's input current around its firing boundary: I_c = (1 − α)·θ_c·(1 + ℓ̃_c), i.e. W_c =
 *       s_c·(w_c − w̄), b_c = s_c·(1 + b_c − b̄) with s_c = (1 − α)·θ_c (α = e^(−dt/τ_mem) of the
 *       output neurons, θ_c their threshold, w̄ and b̄ the class means). Without spikes, v settles
 *       at I/(1 − α) (NeuronSpec's membrane equation), which reaches θ_c exactly when ℓ̃_c = 0: the
 *       neuron of the class whose discriminant stands above the others' fires on that frame, so the
 *       window's spike counts vote as the frames' discriminants do. An approximation (leak carried
 *       over between frames, the reset, adaptation), which SG-BPTT with {@code spike_count_ce} then
 *       refines; the job scores this start by the counts themselves.
 * </ul>
 *
 * <p>Control plane; writes {@code p}'s readout weight and bias only.
 */
final class ClosedFormReadout {
    private ClosedFormReadout() {}

    /**
     * @param wb {w [K·H] row-major, b [K]} (not modified)
     * @param p receives the readout weight and bias (modified)
     */
    static void write(NetworkSpec spec, NetworkParams p, double[][] wb) {
        double[] w = p.get(ParameterNames.READOUT_WEIGHT).data();
        double[] b = p.get(ParameterNames.READOUT_BIAS).data();
        if (spec.readout().type() != ReadoutType.SPIKE_COUNT) {
            System.arraycopy(wb[0], 0, w, 0, w.length);
            System.arraycopy(wb[1], 0, b, 0, b.length);
            return;
        }
        int k = b.length;
        int h = w.length / k;
        double[] wMean = new double[h];
        double bMean = 0;
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < h; j++) {
                wMean[j] += wb[0][c * h + j] / k;
            }
            bMean += wb[1][c] / k;
        }
        double alpha = spec.readout().neuron().alpha(spec.dtMs());
        double[] theta = p.get(ParameterNames.READOUT_THRESHOLD).data();
        for (int c = 0; c < k; c++) {
            double s = (1 - alpha) * theta[c];
            for (int j = 0; j < h; j++) {
                w[c * h + j] = s * (wb[0][c * h + j] - wMean[j]);
            }
            b[c] = s * (1 + wb[1][c] - bMean);
        }
    }

    /**
     * Whether per-class offsets on the window's logits can be folded into the readout bias (the
     * class-bias calibration): for a leaky readout a bias shift δ moves ȳ by δ; for a spike-count
     * readout the bias is an input current and the counts are an integer, nonlinear function of it,
     * so no bias shift moves them by δ.
     */
    static boolean biasShiftsLogits(NetworkSpec spec) {
        return spec.readout().type() != ReadoutType.SPIKE_COUNT;
    }
}
