package org.spikeloop.signal;

import java.util.Arrays;

/**
 * Per-channel z-scoring with running statistics, so features keep a unit scale while the signal's
 * level drifts (electrode impedance, gain changes). Exponentially weighted mean and variance (Finch
 * 2009, "Incremental calculation of weighted mean and variance", eqs. 124 and 143):
 *
 * <pre>
 *   α_n  = max(α, 1/n),  α = 1 − exp(−1 / (timeConstantS · f_s))
 *   δ    = x_n − μ_{n−1}
 *   μ_n  = μ_{n−1} + α_n · δ
 *   σ²_n = (1 − α_n) · (σ²_{n−1} + α_n · δ²)
 *   z_n  = (x_n − μ_n) / sqrt(max(σ²_n, varianceFloor))
 * </pre>
 *
 * The warm-up term 1/n makes the first samples a plain cumulative mean and variance (no bias
 * towards the zero initial state); after about {@code timeConstantS · f_s} samples the weights
 * decay exponentially with that time constant. The variance floor keeps a flat channel from
 * dividing by zero (its output stays 0). Output at the input rate.
 *
 * <p>Single-threaded; {@link #accept} allocates nothing.
 */
public final class RunningNormaliser implements FrontEnd {
    private final int channels;
    private final double inputRateHz;
    private final double alpha;
    private final double varianceFloor;
    private final double[] mean;
    private final double[] variance;
    private long count;

    /**
     * @param channels channels (&ge; 1)
     * @param inputRateHz rate of the frames normalised (&gt; 0)
     * @param timeConstantS memory of the running statistics in seconds (&gt; 0)
     * @param varianceFloor smallest variance divided by (&gt; 0, in input units squared)
     */
    public RunningNormaliser(
            int channels, double inputRateHz, double timeConstantS, double varianceFloor) {
        Rates.requireChannels("channels", channels);
        Rates.requirePositive("inputRateHz", inputRateHz);
        Rates.requirePositive("timeConstantS", timeConstantS);
        Rates.requirePositive("varianceFloor", varianceFloor);
        this.channels = channels;
        this.inputRateHz = inputRateHz;
        this.alpha = -Math.expm1(-1.0 / (timeConstantS * inputRateHz));
        this.varianceFloor = varianceFloor;
        this.mean = new double[channels];
        this.variance = new double[channels];
    }

    @Override
    public boolean accept(float[] sample, float[] out) {
        final int ch = channels;
        final double[] mu = mean;
        final double[] var = variance;
        final double a = Math.max(alpha, 1.0 / ++count);
        final double floor = varianceFloor;
        for (int c = 0; c < ch; c++) {
            double x = sample[c];
            double delta = x - mu[c];
            double m = mu[c] + a * delta;
            double v = (1 - a) * (var[c] + a * delta * delta);
            mu[c] = m;
            var[c] = v;
            out[c] = (float) ((x - m) / Math.sqrt(Math.max(v, floor)));
        }
        return true;
    }

    @Override
    public void reset() {
        Arrays.fill(mean, 0);
        Arrays.fill(variance, 0);
        count = 0;
    }

    /** The per-sample weight α of the exponential average once warm-up is over. */
    public double alpha() {
        return alpha;
    }

    @Override
    public int inputChannels() {
        return channels;
    }

    @Override
    public int outputChannels() {
        return channels;
    }

    @Override
    public double inputRateHz() {
        return inputRateHz;
    }

    @Override
    public int decimation() {
        return 1;
    }
}
