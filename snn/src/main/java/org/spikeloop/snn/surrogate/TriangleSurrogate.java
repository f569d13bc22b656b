package org.spikeloop.snn.surrogate;

/**
 * Triangle (piecewise-linear) surrogate, e-prop's pseudo-derivative: (γ/w)·max(0, 1 − |u|/w).
 *
 * <p>Source: Bellec et al. (2020), "A solution to the learning dilemma for recurrent networks of
 * spiking neurons", Nat. Commun. 11:3625, Methods eq. (17) with ψ = (γ/v_th)·max(0, 1 − |v −
 * A|/v_th); there the width w is the threshold v_th and γ = 0.3 (the gain). Its smooth counterpart
 * is the piecewise quadratic ramp from 0 (u ≤ −w) to γ (u ≥ w). Zero outside |u| &lt; w: neurons
 * far from threshold get no gradient.
 */
public final class TriangleSurrogate implements Surrogate {
    private final double width;
    private final double gain;

    /**
     * @param width w &gt; 0 (half-width of the triangle, e-prop: the threshold)
     * @param gain γ, the peak value times w
     */
    public TriangleSurrogate(double width, double gain) {
        this.width = width;
        this.gain = gain;
    }

    @Override
    public double derivative(double u) {
        double t = 1.0 - Math.abs(u) / width;
        return t > 0.0 ? gain / width * t : 0.0;
    }

    @Override
    public double smooth(double u) {
        double x = u / width;
        if (x <= -1.0) {
            return 0.0;
        }
        if (x >= 1.0) {
            return gain;
        }
        // Integral of γ(1 − |x|) from −1 to x.
        return x < 0.0
                ? gain * 0.5 * (1.0 + x) * (1.0 + x)
                : gain * (1.0 - 0.5 * (1.0 - x) * (1.0 - x));
    }

    @Override
    public SurrogateSpec spec() {
        return new SurrogateSpec(SurrogateKind.TRIANGLE.configName(), width, gain);
    }
}
