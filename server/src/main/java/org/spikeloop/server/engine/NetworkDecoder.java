package org.spikeloop.server.engine;

import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.NetworkParams;
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
}
