package org.spikeloop.learn.jobs;

import java.util.Arrays;

/**
 * A continuous recording at the decoder's step rate: inputs x [T, C], targets y [T, O] (the label
 * holding at each input sample) and each frame's time stamp (LSL clock, seconds, increasing).
 * Immutable by convention (arrays not copied; nobody writes them).
 */
public final class LabelledSequence {
    private final double[] x;
    private final double[] y;
    private final double[] stampsS;
    private final int channels;
    private final int outputs;

    /**
     * @throws IllegalArgumentException naming the array when a length disagrees or a value is not
     *     finite
     */
    public LabelledSequence(double[] x, double[] y, double[] stampsS, int channels, int outputs) {
        if (channels < 1 || outputs < 1) {
            throw new IllegalArgumentException(
                    "channels and outputs must be >= 1, got " + channels + ", " + outputs);
        }
        int frames = stampsS.length;
        if (x.length != (long) frames * channels) {
            throw new IllegalArgumentException(
                    "x has " + x.length + " values, not " + frames + " frames × " + channels);
        }
        if (y.length != (long) frames * outputs) {
            throw new IllegalArgumentException(
                    "y has " + y.length + " values, not " + frames + " frames × " + outputs);
        }
        requireFinite("x", x);
        requireFinite("y", y);
        requireFinite("stamps", stampsS);
        this.x = x;
        this.y = y;
        this.stampsS = stampsS;
        this.channels = channels;
        this.outputs = outputs;
    }

    private static void requireFinite(String name, double[] a) {
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i])) {
                throw new IllegalArgumentException(
                        name + " has a non-finite value (" + a[i] + ") at flat index " + i);
            }
        }
    }

    public int frames() {
        return stampsS.length;
    }

    public int channels() {
        return channels;
    }

    public int outputs() {
        return outputs;
    }

    /** Row-major [T, C] inputs (live). */
    public double[] x() {
        return x;
    }

    /** Row-major [T, O] targets (live). */
    public double[] y() {
        return y;
    }

    /** Frame time stamps in seconds (live). */
    public double[] stampsS() {
        return stampsS;
    }

    /** First time stamp (s), NaN when empty. */
    public double firstS() {
        return stampsS.length == 0 ? Double.NaN : stampsS[0];
    }

    /** Last time stamp (s), NaN when empty. */
    public double lastS() {
        return stampsS.length == 0 ? Double.NaN : stampsS[stampsS.length - 1];
    }

    /** Frames [from, to) as a new sequence (copies). */
    public LabelledSequence slice(int from, int to) {
        if (from < 0 || to > frames() || from > to) {
            throw new IllegalArgumentException(
                    "slice [" + from + ", " + to + ") outside [0, " + frames() + ")");
        }
        return new LabelledSequence(
                Arrays.copyOfRange(x, from * channels, to * channels),
                Arrays.copyOfRange(y, from * outputs, to * outputs),
                Arrays.copyOfRange(stampsS, from, to),
                channels,
                outputs);
    }

    /** Sequences one after the other (same widths), e.g. several recordings. */
    public static LabelledSequence concat(java.util.List<LabelledSequence> parts) {
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("no sequences to concatenate");
        }
        int c = parts.get(0).channels;
        int o = parts.get(0).outputs;
        int t = 0;
        for (LabelledSequence p : parts) {
            if (p.channels != c || p.outputs != o) {
                throw new IllegalArgumentException(
                        "recordings differ in width: "
                                + c
                                + "→"
                                + o
                                + " vs "
                                + p.channels
                                + "→"
                                + p.outputs);
            }
            t += p.frames();
        }
        double[] x = new double[t * c];
        double[] y = new double[t * o];
        double[] s = new double[t];
        int at = 0;
        for (LabelledSequence p : parts) {
            System.arraycopy(p.x, 0, x, at * c, p.x.length);
            System.arraycopy(p.y, 0, y, at * o, p.y.length);
            System.arraycopy(p.stampsS, 0, s, at, p.frames());
            at += p.frames();
        }
        return new LabelledSequence(x, y, s, c, o);
    }
}
