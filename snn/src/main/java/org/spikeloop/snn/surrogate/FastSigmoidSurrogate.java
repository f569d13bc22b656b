package org.spikeloop.snn.surrogate;

/**
 * Fast sigmoid (SuperSpike) surrogate: derivative g / (1 + β|u|)², the derivative of the smooth u /
 * (1 + β|u|) (times g).
 *
 * <p>Source: Zenke &amp; Ganguli (2018), "SuperSpike: Supervised learning in multilayer spiking
 * neural networks", Neural Computation 30(6), eq. (4) (σ'(U) = (1 + |U|)^−2, with β scaling U);
 * snnTorch's {@code fast_sigmoid}. Never exactly zero, so every neuron receives some gradient.
 */
public final class FastSigmoidSurrogate implements Surrogate {
    private final double slope;
    private final double gain;

    /**
     * @param slope β &gt; 0 (sharpness)
     * @param gain multiplies the derivative
     */
    public FastSigmoidSurrogate(double slope, double gain) {
        this.slope = slope;
        this.gain = gain;
    }

    @Override
    public double derivative(double u) {
        double d = 1.0 + slope * Math.abs(u);
        return gain / (d * d);
    }

    @Override
    public double smooth(double u) {
        return gain * u / (1.0 + slope * Math.abs(u));
    }

    @Override
    public SurrogateSpec spec() {
        return new SurrogateSpec(SurrogateKind.FAST_SIGMOID.configName(), slope, gain);
    }
}
