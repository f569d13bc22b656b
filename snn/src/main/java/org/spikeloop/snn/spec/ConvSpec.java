package org.spikeloop.snn.spec;

/**
 * A spiking 1-D temporal convolution front-end for multichannel signals (EEG): each of {@link
 * #outChannels} neurons receives c_t = b + Σ_{i,k} W[o, i, k]·x_{t−K+1+k} (causal: the kernel sees
 * the last K input frames, frames before the start count as zero) and spikes as its {@link #neuron}
 * model. With stride S the front-end emits one output every S input frames, so the layers above it
 * run at the decimated rate.
 *
 * @param outChannels number of filters / spiking conv neurons (&ge; 1)
 * @param kernelSize K, in input frames (&ge; 1)
 * @param stride S, in input frames (&ge; 1)
 * @param padding zero frames assumed before the first input (0 ≤ padding ≤ K − 1); the first output
 *     comes after K − padding input frames
 * @param neuron the conv neurons' hyperparameters
 */
public record ConvSpec(
        int outChannels, int kernelSize, int stride, int padding, NeuronSpec neuron) {
    public ConvSpec {
        InvalidSpecException.requireAtLeast("outChannels", outChannels, 1);
        InvalidSpecException.requireAtLeast("kernelSize", kernelSize, 1);
        InvalidSpecException.requireAtLeast("stride", stride, 1);
        InvalidSpecException.requireAtLeast("padding", padding, 0);
        if (padding > kernelSize - 1) {
            throw new InvalidSpecException(
                    "padding",
                    "must be <= kernelSize - 1 = " + (kernelSize - 1) + ", got " + padding);
        }
        InvalidSpecException.requirePresent("neuron", neuron);
    }
}
