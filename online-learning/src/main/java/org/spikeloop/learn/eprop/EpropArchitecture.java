package org.spikeloop.learn.eprop;

import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.ReadoutType;
import org.spikeloop.snn.spec.ResetMode;

/**
 * The networks e-prop learns here: one spiking layer (recurrent or not) of LIF or ALIF neurons
 * without a conv front-end, read out by the leaky readout (Bellec et al. 2020, Fig. 1). Checked
 * once at construction of a learner; each rejection names the field.
 */
final class EpropArchitecture {
    private EpropArchitecture() {}

    /**
     * @param spec the network (not modified)
     * @param float32 whether the float32 hot-path learner asks (it needs the subtractive reset)
     * @throws IllegalArgumentException naming the unsupported field
     */
    static void require(NetworkSpec spec, boolean float32) {
        if (spec.conv() != null) {
            throw new IllegalArgumentException(
                    "conv: e-prop learns a single spiking layer without a conv front-end");
        }
        if (spec.layers().size() != 1) {
            throw new IllegalArgumentException(
                    "layers: e-prop learns exactly one spiking layer, got " + spec.layers().size());
        }
        LayerSpec layer = spec.layers().get(0);
        NeuronModel model = layer.neuron().model();
        if (model != NeuronModel.LIF && model != NeuronModel.ALIF) {
            throw new IllegalArgumentException(
                    "layers[0].neuron.model: e-prop supports LIF and ALIF, got " + model);
        }
        if (spec.readout().type() != ReadoutType.LEAKY) {
            // e-prop's learning signal L_j = Σ_k B_jk·(y_k − y*_k) (Bellec et al. 2020, eq. (4))
            // needs a readout that is a linear, differentiable function of the filtered spikes; a
            // spike-count readout's outputs are spikes, which it does not learn through.
            throw new IllegalArgumentException(
                    "readout.type: e-prop learns through a LEAKY readout, got "
                            + spec.readout().type()
                            + " (a spike_count readout is trained offline: a classification job"
                            + " with loss spike_count_ce)");
        }
        if (float32 && layer.neuron().reset() != ResetMode.SUBTRACT) {
            throw new IllegalArgumentException(
                    "layers[0].neuron.reset: the float32 e-prop learner needs SUBTRACT (its"
                            + " presynaptic traces factorise only then); use EpropReference for ZERO");
        }
    }
}
