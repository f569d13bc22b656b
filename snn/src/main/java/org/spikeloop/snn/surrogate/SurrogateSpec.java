package org.spikeloop.snn.surrogate;

import java.util.Locale;

/**
 * Names a surrogate and its two parameters: {@code scale} (slope, sharpness or width, per the
 * surrogate's own documentation) and {@code gain} (a multiplicative dampening such as e-prop's γ).
 *
 * @param name one of {@link SurrogateKind}'s names, lower case (e.g. {@code "triangle"})
 * @param scale the surrogate's shape parameter; must be finite and &gt; 0
 * @param gain multiplies the derivative; must be finite and &gt; 0
 */
public record SurrogateSpec(String name, double scale, double gain) {

    /** e-prop's default: triangle with γ = 0.3 and width 1 (set to the threshold by the neuron). */
    public static final SurrogateSpec EPROP_DEFAULT = new SurrogateSpec("triangle", 1.0, 0.3);

    public SurrogateSpec {
        if (name == null) {
            throw new IllegalArgumentException("surrogate.name is missing");
        }
        name = name.toLowerCase(Locale.ROOT);
        SurrogateKind.byName(name); // validates
        if (!(scale > 0.0) || !Double.isFinite(scale)) {
            throw new IllegalArgumentException(
                    "surrogate.scale must be finite and > 0, got " + scale + " (" + name + ")");
        }
        if (!(gain > 0.0) || !Double.isFinite(gain)) {
            throw new IllegalArgumentException(
                    "surrogate.gain must be finite and > 0, got " + gain + " (" + name + ")");
        }
    }

    /** Builds the surrogate this spec names. */
    public Surrogate create() {
        return SurrogateKind.byName(name).create(scale, gain);
    }
}
