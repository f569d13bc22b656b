package org.spikeloop.learn.jobs;

import java.util.List;
import org.spikeloop.learn.trials.Trial;

/**
 * A recording cut into trials for a classification job: the decoder's input frames x [T, C] with
 * each frame's time stamp (LSL clock, seconds, increasing), the trials in time order with the
 * frames of each window (frame f is in trial i's window when its stamp s satisfies start ≤ s &lt;
 * end, {@link Trial#contains}), and the source samples before the front-end, which the classical
 * baselines (CSP+LDA, band power) read. Without a front-end the source samples are the frames.
 * Immutable by convention (arrays not copied; nobody writes them).
 */
public final class TrialSequence {
    private final double[] x;
    private final int channels;
    private final double[] stampsS;
    private final List<Trial> trials;
    private final int[] from;
    private final int[] to;
    private final List<String> classNames;
    private final float[] source;
    private final int sourceChannels;
    private final double sourceRateHz;
    private final double[] sourceStampsS;

    /**
     * @param x row-major [T, channels] decoder input frames, finite
     * @param stampsS frame time stamps, increasing
     * @param trials the trials, in time order, each window holding at least one frame
     * @param classNames index → class name (every trial's class is an index into it)
     * @param source row-major [N, sourceChannels] source samples
     * @param sourceRateHz their nominal rate (0 = irregular)
     * @param sourceStampsS their time stamps
     * @throws IllegalArgumentException naming the problem
     */
    public TrialSequence(
            double[] x,
            int channels,
            double[] stampsS,
            List<Trial> trials,
            List<String> classNames,
            float[] source,
            int sourceChannels,
            double sourceRateHz,
            double[] sourceStampsS) {
        if (channels < 1 || x.length != (long) stampsS.length * channels) {
            throw new IllegalArgumentException(
                    "x has " + x.length + " values, not " + stampsS.length + " × " + channels);
        }
        if (sourceChannels < 1 || source.length != (long) sourceStampsS.length * sourceChannels) {
            throw new IllegalArgumentException(
                    "source has "
                            + source.length
                            + " values, not "
                            + sourceStampsS.length
                            + " × "
                            + sourceChannels);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException("x has a non-finite value at flat index " + i);
            }
        }
        for (int f = 1; f < stampsS.length; f++) {
            if (!(stampsS[f] >= stampsS[f - 1])) {
                throw new IllegalArgumentException(
                        "frame stamps decrease at frame " + f + " (" + stampsS[f] + " s)");
            }
        }
        this.x = x;
        this.channels = channels;
        this.stampsS = stampsS;
        this.trials = List.copyOf(trials);
        this.classNames = List.copyOf(classNames);
        this.from = new int[trials.size()];
        this.to = new int[trials.size()];
        for (int i = 0; i < trials.size(); i++) {
            Trial t = trials.get(i);
            if (t.classIndex() >= classNames.size()) {
                throw new IllegalArgumentException(
                        "trial "
                                + t.index()
                                + " has class "
                                + t.classIndex()
                                + " of "
                                + classNames);
            }
            if (i > 0 && t.startS() < trials.get(i - 1).endS()) {
                throw new IllegalArgumentException(
                        "trial " + t.index() + " starts before the previous one ends");
            }
            from[i] = firstAtOrAfter(stampsS, t.startS());
            to[i] = firstAtOrAfter(stampsS, t.endS());
            if (to[i] <= from[i]) {
                throw new IllegalArgumentException(
                        "trial "
                                + t.index()
                                + "'s window ["
                                + t.startS()
                                + ", "
                                + t.endS()
                                + ") s holds no frame");
            }
        }
        this.source = source;
        this.sourceChannels = sourceChannels;
        this.sourceRateHz = sourceRateHz;
        this.sourceStampsS = sourceStampsS;
    }

    /** The first index whose stamp is at or after {@code t} (the length when none is). */
    public static int firstAtOrAfter(double[] stamps, double t) {
        int lo = 0;
        int hi = stamps.length;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (stamps[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    public int frames() {
        return stampsS.length;
    }

    public int channels() {
        return channels;
    }

    /** Row-major [T, C] decoder inputs (live). */
    public double[] x() {
        return x;
    }

    /** Frame time stamps in seconds (live). */
    public double[] stampsS() {
        return stampsS;
    }

    public List<Trial> trials() {
        return trials;
    }

    /** Number of trials. */
    public int trialCount() {
        return trials.size();
    }

    /** First frame of trial i's window. */
    public int from(int i) {
        return from[i];
    }

    /** One past the last frame of trial i's window. */
    public int to(int i) {
        return to[i];
    }

    /** The class of trial i. */
    public int classOf(int i) {
        return trials.get(i).classIndex();
    }

    public List<String> classNames() {
        return classNames;
    }

    public int classes() {
        return classNames.size();
    }

    /** Row-major [N, sourceChannels] source samples (live). */
    public float[] source() {
        return source;
    }

    public int sourceChannels() {
        return sourceChannels;
    }

    /** The source's nominal rate in Hz (0 = irregular). */
    public double sourceRateHz() {
        return sourceRateHz;
    }

    /** Source time stamps in seconds (live). */
    public double[] sourceStampsS() {
        return sourceStampsS;
    }
}
