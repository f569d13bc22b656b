package org.spikeloop.snn.surrogate;

/**
 * Straight-through estimator: the backward pass treats the Heaviside as the identity, derivative g
 * everywhere (smooth counterpart g·u).
 *
 * <p>Source: Bengio, Léonard &amp; Courville (2013), "Estimating or propagating gradients through
 * stochastic neurons for conditional computation", arXiv:1308.3432, Sec. 4; snnTorch's {@code
 * straight_through_estimator}. The scale parameter is unused (kept for a uniform spec).
 */
public final class StraightThroughSurrogate implements Surrogate {
    private final double scale;
    private final double gain;

    /**
     * @param scale unused
     * @param gain the constant derivative
     */
    public StraightThroughSurrogate(double scale, double gain) {
        this.scale = scale;
        this.gain = gain;
    }

    @Override
    public double derivative(double u) {
        return gain;
    }

    @Override
    public double smooth(double u) {
        return gain * u;
    }

    @Override
    public SurrogateSpec spec() {
        return new SurrogateSpec(SurrogateKind.STRAIGHT_THROUGH.configName(), scale, gain);
    }
}
