package org.spikeloop.learn.baseline;

import java.util.ArrayList;
import java.util.List;
import org.spikeloop.signal.BandPassFilter;

/**
 * Motor-imagery classifier: causal band-pass, CSP spatial filters, normalised log-variance over a
 * sliding window, LDA (the pipeline of Ramoser et al. 2000, IEEE Trans. Rehab. Eng. 8(4):441–446,
 * with features f_p = log(var(z_p) / Σ_i var(z_i))). {@link #fit} trains on a continuous recording
 * with cue positions; afterwards {@link #step} consumes one EEG frame at a time and {@link
 * #predict} classifies the last {@code windowS} seconds, so training and online features come from
 * the same causal filter.
 *
 * <p>Variance is the mean square of the band-passed signal (its mean is zero after a high-pass).
 * Single-threaded; {@link #step}, {@link #scores} and {@link #predict} allocate nothing.
 */
public final class CspLdaDecoder {
    private final BandPassFilter filter;
    private final CommonSpatialPatterns csp;
    private final LinearDiscriminant lda;
    private final int channels;
    private final int filters;
    private final int windowSamples;
    private final double[] frame;
    private final double[] projected;
    private final double[] squares; // ring [slot * filters + f]
    private final double[] sums;
    private final double[] features;
    private final double[] scratch;
    private int head;
    private int count;
    private int sinceRecompute;

    private CspLdaDecoder(
            CspLdaConfig config,
            double sampleRateHz,
            CommonSpatialPatterns csp,
            LinearDiscriminant lda) {
        this.channels = csp.channels();
        this.filter =
                new BandPassFilter(
                        channels, config.lowHz(), config.highHz(), sampleRateHz, config.order());
        this.csp = csp;
        this.lda = lda;
        this.filters = csp.filterCount();
        this.windowSamples = windowSamples(config, sampleRateHz);
        this.frame = new double[channels];
        this.projected = new double[filters];
        this.squares = new double[windowSamples * filters];
        this.sums = new double[filters];
        this.features = new double[filters];
        this.scratch = new double[lda.classes()];
    }

    private static int windowSamples(CspLdaConfig config, double sampleRateHz) {
        return Math.max(2, (int) Math.round(config.windowS() * sampleRateHz));
    }

    /**
     * Trains on a continuous recording.
     *
     * @param recording [T][channels] EEG frames (not modified)
     * @param sampleRateHz f_s
     * @param cueSamples index of each labelled trial's cue in {@code recording}
     * @param labels class of each trial
     * @param classes number of classes (&ge; 2)
     * @param config pipeline parameters
     * @throws IllegalArgumentException when an epoch runs past the recording or the CSP / LDA fits
     *     reject the data
     */
    public static CspLdaDecoder fit(
            double[][] recording,
            double sampleRateHz,
            int[] cueSamples,
            int[] labels,
            int classes,
            CspLdaConfig config) {
        int channels = Matrices.requireTable("recording", recording, 2);
        if (cueSamples.length != labels.length) {
            throw new IllegalArgumentException(
                    cueSamples.length + " cues but " + labels.length + " labels");
        }
        BandPassFilter bp =
                new BandPassFilter(
                        channels, config.lowHz(), config.highHz(), sampleRateHz, config.order());
        double[][] filtered = new double[recording.length][];
        for (int t = 0; t < recording.length; t++) {
            filtered[t] = recording[t].clone();
            bp.filter(filtered[t]);
        }
        int start = (int) Math.round(config.windowStartS() * sampleRateHz);
        int length = windowSamples(config, sampleRateHz);
        List<double[][]> epochs = new ArrayList<>();
        for (int i = 0; i < cueSamples.length; i++) {
            int from = cueSamples[i] + start;
            if (from < 0 || from + length > recording.length) {
                throw new IllegalArgumentException(
                        "epoch of trial "
                                + i
                                + " ["
                                + from
                                + ", "
                                + (from + length)
                                + ") runs past the recording of "
                                + recording.length
                                + " samples");
            }
            double[][] epoch = new double[channels][length];
            for (int t = 0; t < length; t++) {
                for (int c = 0; c < channels; c++) {
                    epoch[c][t] = filtered[from + t][c];
                }
            }
            epochs.add(epoch);
        }
        double[][][] trials = epochs.toArray(new double[0][][]);
        CommonSpatialPatterns csp =
                CommonSpatialPatterns.fit(trials, labels, classes, config.pairs());
        double[][] x = new double[trials.length][];
        for (int i = 0; i < trials.length; i++) {
            x[i] = logVarianceFeatures(csp, trials[i]);
        }
        LinearDiscriminant lda = LinearDiscriminant.fit(x, labels, classes, config.shrinkage());
        return new CspLdaDecoder(config, sampleRateHz, csp, lda);
    }

    /** Normalised log-variance features of one band-passed epoch [channel][sample]. */
    static double[] logVarianceFeatures(CommonSpatialPatterns csp, double[][] epoch) {
        int f = csp.filterCount();
        int length = epoch[0].length;
        double[] frame = new double[epoch.length];
        double[] z = new double[f];
        double[] var = new double[f];
        for (int t = 0; t < length; t++) {
            for (int c = 0; c < epoch.length; c++) {
                frame[c] = epoch[c][t];
            }
            csp.project(frame, z);
            for (int i = 0; i < f; i++) {
                var[i] += z[i] * z[i];
            }
        }
        normaliseLog(var, var);
        return var;
    }

    /** out_p = log(v_p / Σ v_i); in and out may alias. */
    private static void normaliseLog(double[] variance, double[] out) {
        double total = 0;
        for (double v : variance) {
            total += v;
        }
        for (int i = 0; i < variance.length; i++) {
            out[i] = Math.log(Math.max(variance[i], Double.MIN_NORMAL) / total);
        }
    }

    /**
     * Consumes one EEG frame (band-pass, spatial filters, sliding mean square).
     *
     * @param eegFrame length &ge; channels, µV (not modified)
     */
    public void step(float[] eegFrame) {
        for (int c = 0; c < channels; c++) {
            frame[c] = eegFrame[c];
        }
        filter.filter(frame);
        csp.project(frame, projected);
        int base = head * filters;
        boolean full = count == windowSamples;
        for (int f = 0; f < filters; f++) {
            double sq = projected[f] * projected[f];
            if (full) {
                sums[f] -= squares[base + f];
            }
            squares[base + f] = sq;
            sums[f] += sq;
        }
        head = head + 1 == windowSamples ? 0 : head + 1;
        if (!full) {
            count++;
        }
        if (++sinceRecompute == windowSamples) {
            sinceRecompute = 0;
            java.util.Arrays.fill(sums, 0);
            for (int slot = 0; slot < count; slot++) {
                for (int f = 0; f < filters; f++) {
                    sums[f] += squares[slot * filters + f];
                }
            }
        }
    }

    /** True once a full window has been seen since construction or {@link #reset}. */
    public boolean ready() {
        return count == windowSamples;
    }

    /**
     * LDA scores of the last window.
     *
     * @param out length &ge; classes (modified)
     */
    public void scores(double[] out) {
        normaliseLog(sums, features);
        lda.scores(features, out);
    }

    /** Predicted class of the last window. */
    public int predict() {
        normaliseLog(sums, features);
        return lda.predict(features, scratch);
    }

    /** Clears filter state and the window. */
    public void reset() {
        filter.reset();
        java.util.Arrays.fill(sums, 0);
        head = 0;
        count = 0;
        sinceRecompute = 0;
    }

    public int classes() {
        return lda.classes();
    }

    public int windowSamples() {
        return windowSamples;
    }

    public CommonSpatialPatterns csp() {
        return csp;
    }
}
