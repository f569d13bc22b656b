package org.spikeloop.app.bench;

import java.util.List;
import org.spikeloop.learn.bptt.BpttEngine;
import org.spikeloop.learn.bptt.BpttNetwork;
import org.spikeloop.learn.bptt.BpttOptions;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.loss.ObjectiveTerm;
import org.spikeloop.signal.artifacts.ChannelScale;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * The fast gradient sign method (Goodfellow, Shlens &amp; Szegedy 2015, "Explaining and harnessing
 * adversarial examples", Eq. 3) through a spiking decoder's surrogate gradient: δ =
 * ε·σ_c·sign(∂L/∂x), one step of L∞ size ε (in units of each channel's σ over the data) that raises
 * the decoder's loss L to first order. The gradient comes from SG-BPTT ({@link BpttEngine}'s input
 * gradient), so it is the surrogate's idea of the loss landscape; crafted once on one decoder and
 * applied unchanged to the others, it measures how well such a perturbation transfers.
 */
final class Fgsm {
    private Fgsm() {}

    /**
     * @param batch the sequences to attack and their targets
     * @param loss the decoder's loss on them
     * @return ∂L/∂x laid out like {@code batch.x()}
     */
    static double[] gradient(
            NetworkSpec spec, NetworkParams params, Batch batch, ObjectiveTerm loss) {
        double[] gx = new double[batch.x().length];
        try (BpttEngine e =
                new BpttEngine(new BpttNetwork(spec), new BpttOptions(false, false, 1))) {
            e.compute(params, batch, List.of(loss), gx);
        }
        return gx;
    }

    /**
     * δ[f, c] = ε·σ_c·sign(g[f, c]) (0 where g is 0), σ_c over the block {@code x}.
     *
     * @param x row-major [frames, channels], the clean block (not modified)
     * @param g the gradient, same layout (not modified)
     */
    static double[] perturbation(double[] x, double[] g, int frames, int channels, double epsSd) {
        double[] sd = ChannelScale.std(x, frames, channels);
        double[] d = new double[g.length];
        for (int f = 0; f < frames; f++) {
            for (int c = 0; c < channels; c++) {
                int i = f * channels + c;
                d[i] = epsSd * sd[c] * Math.signum(g[i]);
            }
        }
        return d;
    }
}
