package org.spikeloop.learn.bptt;

import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ResetMode;
import org.spikeloop.snn.surrogate.Surrogate;

/**
 * The constants of one spiking population (conv front-end, a hidden layer, or the spike-count
 * readout) and the names of its parameters. Immutable.
 */
final class Population {
    final String name;
    final int size;

    /** Length of the input vector: C (raw), C_in·K (conv window) or the size of the layer below. */
    final int inputs;

    /** Input is the raw frame or the conv window (dense values), not spikes of the layer below. */
    final boolean rawInput;

    final boolean recurrent;
    final double alpha;
    final double rho;
    final double adaptBeta;
    final double alphaDend;
    final double coupling;
    final double dendThreshold;
    final boolean adaptive;
    final boolean twoCompartment;
    final boolean dendriticSpikes;
    final boolean zeroReset;
    final int refractorySteps;
    final Surrogate surrogate;
    final Surrogate dendriticSurrogate;

    final String weightName;
    final String recurrentName;
    final String biasName;
    final String thresholdName;
    final String resetOffsetName;

    Population(
            String name,
            int size,
            int inputs,
            boolean rawInput,
            boolean recurrent,
            NeuronSpec n,
            double dtMs,
            String weightName,
            String recurrentName,
            String biasName,
            String thresholdName,
            String resetOffsetName) {
        this.name = name;
        this.size = size;
        this.inputs = inputs;
        this.rawInput = rawInput;
        this.recurrent = recurrent;
        this.alpha = n.alpha(dtMs);
        this.rho = n.rho(dtMs);
        this.adaptive = n.model() == NeuronModel.ALIF;
        this.adaptBeta = adaptive ? n.adaptBeta() : 0.0;
        this.twoCompartment = n.model() == NeuronModel.TWO_COMPARTMENT;
        this.alphaDend = n.alphaDend(dtMs);
        this.coupling = n.couplingGain();
        this.dendriticSpikes = twoCompartment && n.dendriticSpikes();
        this.dendThreshold = n.dendriticThreshold();
        this.zeroReset = n.reset() == ResetMode.ZERO;
        this.refractorySteps = n.refractorySteps();
        this.surrogate = n.surrogate().create();
        this.dendriticSurrogate = n.dendriticSurrogate().create();
        this.weightName = weightName;
        this.recurrentName = recurrentName;
        this.biasName = biasName;
        this.thresholdName = thresholdName;
        this.resetOffsetName = resetOffsetName;
    }
}
