package org.spikeloop.snn.surrogate;

/**
 * Logistic sigmoid surrogate with slope β: σ(u) = 1 / (1 + e^(−βu)), derivative g·β·σ(u)(1 − σ(u)).
 *
 * <p>Source: Neftci, Mostafa &amp; Zenke (2019), "Surrogate gradient learning in spiking neural
 * networks", IEEE Signal Processing Magazine 36(6), Fig. 2 / eq. (12); snnTorch's {@code sigmoid}.
 * The derivative at threshold is g·β/4, so gradients scale linearly with the slope β there.
 */
public final class SigmoidSurrogate implements Surrogate {
    private final double slope;
    private final double gain;

    /**
     * @param slope β &gt; 0
     * @param gain multiplies the derivative
     */
    public SigmoidSurrogate(double slope, double gain) {
        this.slope = slope;
        this.gain = gain;
    }

    @Override
    public double derivative(double u) {
        double s = smoothUnscaled(u);
        return gain * slope * s * (1.0 - s);
    }

    @Override
    public double smooth(double u) {
        return gain * smoothUnscaled(u);
    }

    private double smoothUnscaled(double u) {
        return 1.0 / (1.0 + Math.exp(-slope * u));
    }

    @Override
    public SurrogateSpec spec() {
        return new SurrogateSpec(SurrogateKind.SIGMOID.configName(), slope, gain);
    }
}
