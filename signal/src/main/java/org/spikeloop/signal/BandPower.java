package org.spikeloop.signal;

import java.util.Arrays;
import java.util.List;

/**
 * Per-channel band power in one or more bands, the classic ERD/ERS feature (Pfurtscheller &amp;
 * Lopes da Silva 1999, Clin. Neurophysiol. 110:1842, "band power method": band-pass, square,
 * average): for channel c and band b,
 *
 * <pre>
 *   y_cb[n] = BP_b(x_c)[n]                         (causal Butterworth band-pass, {@link BandPassFilter})
 *   P_cb[n] = (1/W) · Σ_{i=0}^{W−1} y_cb[n − i]²    (causal moving average over W = windowS · f_s samples)
 *   out_cb  = P_cb[n]  or  ln(max(P_cb[n], {@value #LOG_FLOOR}))   (optional log)
 * </pre>
 *
 * emitted once every {@code k = inputRateHz / outputRateHz} input samples (decimation; the moving
 * average is the anti-alias filter of the power envelope). Before W samples have arrived the
 * average runs over the samples seen so far.
 *
 * <p>Output layout: channel-major, {@code out[c * bands + b]}. Units: input units squared (e.g.
 * µV²), or their natural log. Single-threaded; {@link #accept} allocates nothing.
 */
public final class BandPower implements FrontEnd {
    /** Floor applied before the log so silent channels give a finite feature. */
    public static final double LOG_FLOOR = 1e-12;

    private final int channels;
    private final int bandCount;
    private final double inputRateHz;
    private final int decimation;
    private final int windowSamples;
    private final boolean log;
    private final BandPassFilter[] filters;
    private final double[] frame; // [channels] scratch per band
    private final double[] squares; // ring [slot * (channels * bands) + c * bands + b]
    private final double[] sums; // [c * bands + b]
    private int head;
    private int seen;
    private int sinceOutput;

    /**
     * @param channels channels (&ge; 1)
     * @param bands bands (non-empty; each below the Nyquist frequency of {@code inputRateHz})
     * @param inputRateHz stream rate (&gt; 0)
     * @param order Butterworth order of each band-pass side (even, 2–8)
     * @param windowS moving-average window in seconds (&gt; 0; at least one sample)
     * @param outputRateHz output rate; {@code inputRateHz / outputRateHz} must be a whole number
     * @param log emit ln(power) instead of power
     */
    public BandPower(
            int channels,
            List<Band> bands,
            double inputRateHz,
            int order,
            double windowS,
            double outputRateHz,
            boolean log) {
        Rates.requireChannels("channels", channels);
        Rates.requirePositive("inputRateHz", inputRateHz);
        if (bands == null || bands.isEmpty()) {
            throw new IllegalArgumentException("band power needs at least one band");
        }
        this.channels = channels;
        this.bandCount = bands.size();
        this.inputRateHz = inputRateHz;
        this.decimation = Rates.decimation("outputRateHz", inputRateHz, outputRateHz);
        this.windowSamples = Rates.windowSamples("windowS", windowS, inputRateHz);
        this.log = log;
        this.filters = new BandPassFilter[bandCount];
        for (int b = 0; b < bandCount; b++) {
            Band band = bands.get(b);
            band.requireBelowNyquist(inputRateHz);
            filters[b] =
                    new BandPassFilter(channels, band.lowHz(), band.highHz(), inputRateHz, order);
        }
        this.frame = new double[channels];
        this.squares = new double[windowSamples * channels * bandCount];
        this.sums = new double[channels * bandCount];
    }

    @Override
    public boolean accept(float[] sample, float[] out) {
        final int ch = channels;
        final int nb = bandCount;
        final int width = ch * nb;
        final double[] f = frame;
        final double[] ring = squares;
        final double[] s = sums;
        final int slot = head * width;
        for (int b = 0; b < nb; b++) {
            for (int c = 0; c < ch; c++) {
                f[c] = sample[c];
            }
            filters[b].filter(f);
            for (int c = 0; c < ch; c++) {
                int i = c * nb + b;
                double sq = f[c] * f[c];
                s[i] += sq - ring[slot + i];
                ring[slot + i] = sq;
            }
        }
        if (++head == windowSamples) {
            head = 0;
            resum();
        }
        if (seen < windowSamples) {
            seen++;
        }
        if (++sinceOutput < decimation) {
            return false;
        }
        sinceOutput = 0;
        final double inv = 1.0 / seen;
        for (int i = 0; i < width; i++) {
            double p = Math.max(0, s[i] * inv);
            out[i] = (float) (log ? Math.log(Math.max(p, LOG_FLOOR)) : p);
        }
        return true;
    }

    /** Recomputes the window sums exactly once per ring cycle so rounding never accumulates. */
    private void resum() {
        final int width = channels * bandCount;
        Arrays.fill(sums, 0);
        for (int slot = 0; slot < windowSamples; slot++) {
            int base = slot * width;
            for (int i = 0; i < width; i++) {
                sums[i] += squares[base + i];
            }
        }
    }

    @Override
    public void reset() {
        for (BandPassFilter filter : filters) {
            filter.reset();
        }
        Arrays.fill(squares, 0);
        Arrays.fill(sums, 0);
        head = 0;
        seen = 0;
        sinceOutput = 0;
    }

    /** Bands per channel. */
    public int bands() {
        return bandCount;
    }

    /** Moving-average window W in input samples. */
    public int windowSamples() {
        return windowSamples;
    }

    @Override
    public int inputChannels() {
        return channels;
    }

    @Override
    public int outputChannels() {
        return channels * bandCount;
    }

    @Override
    public double inputRateHz() {
        return inputRateHz;
    }

    @Override
    public int decimation() {
        return decimation;
    }
}
