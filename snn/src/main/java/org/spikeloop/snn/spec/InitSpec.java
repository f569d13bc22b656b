package org.spikeloop.snn.spec;

/**
 * How fresh weights are drawn: W ~ N(0, gain²/fan_in) (the PyTorch peer's and e-prop's scaling),
 * recurrent matrices with a zero diagonal and rescaled to a chosen spectral radius.
 *
 * @param seed seed of the random generator; the same seed gives the same weights
 * @param inputGain multiplies the input (feed-forward) weights' standard deviation (&gt; 0)
 * @param spectralRadius target spectral radius of each W_rec (&gt; 0); default 1.0
 * @param readoutGain multiplies the readout weights' standard deviation (&gt; 0)
 */
public record InitSpec(long seed, double inputGain, double spectralRadius, double readoutGain) {
    public InitSpec {
        InvalidSpecException.requirePositive("inputGain", inputGain);
        InvalidSpecException.requirePositive("spectralRadius", spectralRadius);
        InvalidSpecException.requirePositive("readoutGain", readoutGain);
    }

    /** Seeded defaults: unit gains, spectral radius 1. */
    public static InitSpec seeded(long seed) {
        return new InitSpec(seed, 1.0, 1.0, 1.0);
    }
}
