package org.spikeloop.server.engine;

import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.ParameterNames;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * The recurrent SNN decoder: {@link FloatNetwork} (Bellec et al. 2020, Methods eqs. (1)–(4)) behind
 * the engine's {@link Decoder} seam.
 *
 * <p>Threading: engine thread only. Allocation: none per step.
 */
public final class NetworkDecoder implements Decoder {
    private final FloatNetwork network;
    private final int layers;
    private final int hidden;

    public NetworkDecoder(NetworkSpec spec, NetworkParams params) {
        this.network = new FloatNetwork(spec, params);
        this.layers = network.layerCount();
        int h = 0;
        for (int l = 0; l < layers; l++) {
            h += network.layer(l).size();
        }
        this.hidden = h;
    }

    /** The kernel, for a learner that needs its state views (engine thread only). */
    public FloatNetwork network() {
        return network;
    }

    @Override
    public NetworkSpec spec() {
        return network.spec();
    }

    @Override
    public boolean step(float[] in, float[] out) {
        return network.step(in, out);
    }

    @Override
    public int spikeCount() {
        int n = 0;
        for (int l = 0; l < layers; l++) {
            n += network.layer(l).spikeCount();
        }
        return n;
    }

    @Override
    public int hiddenNeurons() {
        return hidden;
    }

    @Override
    public NetworkParams exportParams() {
        return network.exportParams();
    }

    @Override
    public void loadParams(NetworkParams params) {
        network.loadParams(params);
    }

    @Override
    public void reset() {
        network.reset();
    }

    /**
     * Adds δ to the kernel's live readout bias b: the leaky readout y_t = κ·y_{t−1} + (1 −
     * κ)·(W·z_t + b) then settles δ higher, so a trial window's average moves by δ (the same array
     * e-prop's readout learner updates, so its gradients and Adam moments stay as they are).
     */
    @Override
    public void shiftReadoutBias(double[] delta) {
        float[] bias = network.liveParameter(ParameterNames.READOUT_BIAS);
        if (delta.length != bias.length) {
            throw new IllegalArgumentException(
                    "readout bias shift has "
                            + delta.length
                            + " values, the readout has "
                            + bias.length);
        }
        for (int k = 0; k < bias.length; k++) {
            if (!Float.isFinite((float) (bias[k] + delta[k]))) {
                throw new IllegalArgumentException(
                        "readout bias shift of output "
                                + k
                                + " must keep it finite, got "
                                + delta[k]);
            }
        }
        for (int k = 0; k < bias.length; k++) {
            bias[k] = (float) (bias[k] + delta[k]);
        }
    }
}
