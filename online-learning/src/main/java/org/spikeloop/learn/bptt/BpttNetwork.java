package org.spikeloop.learn.bptt;

import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.ArrayList;
import java.util.List;
import org.spikeloop.snn.spec.ConvSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.ReadoutType;

/**
 * A {@link NetworkSpec} compiled for BPTT: its spiking populations bottom-up (conv, layers,
 * spike-count readout; the order of {@link org.spikeloop.learn.loss.PopulationIndex}), the leaky
 * readout's constants and the conv front-end's frame schedule. Immutable.
 */
public final class BpttNetwork {
    final NetworkSpec spec;
    final Population[] pops;
    final boolean leaky;
    final double kappa;
    final int outputs;

    /** Input frame of network step 0 (K − 1 − padding with conv, else 0). */
    final int firstFrame;

    /** Input frames per network step. */
    final int stride;

    final int kernel;

    public BpttNetwork(NetworkSpec spec) {
        this.spec = spec;
        List<Population> p = new ArrayList<>();
        ConvSpec conv = spec.conv();
        if (conv != null) {
            p.add(
                    new Population(
                            "conv",
                            conv.outChannels(),
                            spec.inputs() * conv.kernelSize(),
                            true,
                            false,
                            conv.neuron(),
                            spec.dtMs(),
                            CONV_WEIGHT,
                            null,
                            CONV_BIAS,
                            CONV_THRESHOLD,
                            CONV_RESET_OFFSET));
            firstFrame = conv.kernelSize() - 1 - conv.padding();
            stride = conv.stride();
            kernel = conv.kernelSize();
        } else {
            firstFrame = 0;
            stride = 1;
            kernel = 1;
        }
        for (int l = 0; l < spec.layers().size(); l++) {
            LayerSpec layer = spec.layers().get(l);
            p.add(
                    new Population(
                            "layer" + l,
                            layer.size(),
                            spec.layerInputs(l),
                            l == 0 && conv == null,
                            layer.recurrent(),
                            layer.neuron(),
                            spec.dtMs(),
                            inputWeights(l),
                            layer.recurrent() ? recurrentWeights(l) : null,
                            bias(l),
                            threshold(l),
                            resetOffset(l)));
        }
        leaky = spec.readout().type() == ReadoutType.LEAKY;
        if (!leaky) {
            p.add(
                    new Population(
                            "readout",
                            spec.outputs(),
                            spec.lastLayerSize(),
                            false,
                            false,
                            spec.readout().neuron(),
                            spec.dtMs(),
                            READOUT_WEIGHT,
                            null,
                            READOUT_BIAS,
                            READOUT_THRESHOLD,
                            READOUT_RESET_OFFSET));
        }
        pops = p.toArray(new Population[0]);
        kappa = spec.readout().kappa(spec.dtMs());
        outputs = spec.outputs();
    }

    /** The architecture. */
    public NetworkSpec spec() {
        return spec;
    }

    /**
     * Number of network steps T' for {@code frames} input frames: one per frame without conv, else
     * one per stride once the kernel has seen K − padding frames (0 if the input is shorter).
     */
    public int steps(int frames) {
        if (frames <= firstFrame) {
            return 0;
        }
        return (frames - 1 - firstFrame) / stride + 1;
    }

    /** Input frame at which network step {@code n} happens. */
    int frameOf(int n) {
        return firstFrame + n * stride;
    }

    /** Number of spiking populations. */
    public int populations() {
        return pops.length;
    }
}
