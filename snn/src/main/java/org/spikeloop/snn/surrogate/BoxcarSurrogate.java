package org.spikeloop.snn.surrogate;

/**
 * Boxcar (rectangular) surrogate: derivative g/w when |u| &lt; w/2, else 0; the derivative of the
 * clamped ramp g·clamp(u/w + 1/2, 0, 1).
 *
 * <p>Source: Wu et al. (2018), "Spatio-temporal backpropagation for training high-performance
 * spiking neural networks", Front. Neurosci. 12:331, eq. (13) (rectangular approximation h1 with
 * width a); SpikingJelly's {@code PiecewiseQuadratic} family. The area under the derivative is g.
 */
public final class BoxcarSurrogate implements Surrogate {
    private final double width;
    private final double gain;

    /**
     * @param width w &gt; 0, the full width of the box
     * @param gain the area under the derivative
     */
    public BoxcarSurrogate(double width, double gain) {
        this.width = width;
        this.gain = gain;
    }

    @Override
    public double derivative(double u) {
        return Math.abs(u) < 0.5 * width ? gain / width : 0.0;
    }

    @Override
    public double smooth(double u) {
        double x = u / width + 0.5;
        return gain * Math.max(0.0, Math.min(1.0, x));
    }

    @Override
    public SurrogateSpec spec() {
        return new SurrogateSpec(SurrogateKind.BOXCAR.configName(), width, gain);
    }
}
