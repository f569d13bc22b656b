package org.spikeloop.signal;

/**
 * {@link BandPassFilter} as a front-end stage: every input frame gives one band-passed output frame
 * at the stream's rate (the Butterworth design and equations are documented there).
 *
 * <p>Single-threaded; {@link #accept} allocates nothing (it filters in a preallocated double frame,
 * so the recursion runs in double precision whatever the stream's sample type).
 */
public final class BandPassStage implements FrontEnd {
    private final BandPassFilter filter;
    private final double inputRateHz;
    private final double[] frame;

    /**
     * @param channels channels (&ge; 1)
     * @param lowHz high-pass corner (&gt; 0)
     * @param highHz low-pass corner (&gt; lowHz, &lt; Nyquist)
     * @param inputRateHz stream rate
     * @param order Butterworth order of each side (even, 2–8)
     */
    public BandPassStage(int channels, double lowHz, double highHz, double inputRateHz, int order) {
        this.filter = new BandPassFilter(channels, lowHz, highHz, inputRateHz, order);
        this.inputRateHz = inputRateHz;
        this.frame = new double[channels];
    }

    @Override
    public boolean accept(float[] sample, float[] out) {
        final double[] f = frame;
        final int ch = f.length;
        for (int c = 0; c < ch; c++) {
            f[c] = sample[c];
        }
        filter.filter(f);
        for (int c = 0; c < ch; c++) {
            out[c] = (float) f[c];
        }
        return true;
    }

    @Override
    public void reset() {
        filter.reset();
    }

    @Override
    public int inputChannels() {
        return frame.length;
    }

    @Override
    public int outputChannels() {
        return frame.length;
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
