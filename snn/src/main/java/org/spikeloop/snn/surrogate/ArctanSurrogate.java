package org.spikeloop.snn.surrogate;

/**
 * Arctangent surrogate: smooth (1/π)·arctan(π·α·u/2) + 1/2, derivative g·(α/2) / (1 + (π·α·u/2)²).
 *
 * <p>Source: Fang et al. (2021), "Incorporating learnable membrane time constant to enhance
 * learning of spiking neural networks", ICCV, eq. (7); snnTorch's {@code atan} and SpikingJelly's
 * {@code ATan}. α is the scale parameter.
 */
public final class ArctanSurrogate implements Surrogate {
    private final double alpha;
    private final double gain;

    /**
     * @param alpha α &gt; 0 (sharpness)
     * @param gain multiplies the derivative
     */
    public ArctanSurrogate(double alpha, double gain) {
        this.alpha = alpha;
        this.gain = gain;
    }

    @Override
    public double derivative(double u) {
        double x = Math.PI * alpha * u / 2.0;
        return gain * (alpha / 2.0) / (1.0 + x * x);
    }

    @Override
    public double smooth(double u) {
        return gain * (Math.atan(Math.PI * alpha * u / 2.0) / Math.PI + 0.5);
    }

    @Override
    public SurrogateSpec spec() {
        return new SurrogateSpec(SurrogateKind.ARCTAN.configName(), alpha, gain);
    }
}
