package org.spikeloop.learn.jobs;

/**
 * Splits a recording by time: the first {@code 1 − validationFraction} of the frames train, the
 * last {@code validationFraction} validate (held out). Splitting by time, not by shuffled windows,
 * keeps validation windows from overlapping the autocorrelated training data, and scores the model
 * on the most recent data, which is what the decoder will meet next.
 */
public final class TimeSplit {
    private TimeSplit() {}

    /** The two parts. */
    public record Parts(LabelledSequence train, LabelledSequence validation) {}

    /**
     * @param minFramesEach both parts need at least this many frames (one training window)
     * @throws IllegalArgumentException naming {@code validationFraction} or the data length
     */
    public static Parts split(LabelledSequence s, double validationFraction, int minFramesEach) {
        if (!(validationFraction > 0 && validationFraction < 1)) {
            throw new IllegalArgumentException(
                    "validationFraction must be in (0, 1), got " + validationFraction);
        }
        int cut = (int) Math.round(s.frames() * (1.0 - validationFraction));
        if (cut < minFramesEach || s.frames() - cut < minFramesEach) {
            throw new IllegalArgumentException(
                    "the data has "
                            + s.frames()
                            + " labelled frames: too short to split "
                            + (1 - validationFraction)
                            + "/"
                            + validationFraction
                            + " with at least "
                            + minFramesEach
                            + " frames (one window) in each part");
        }
        return new Parts(s.slice(0, cut), s.slice(cut, s.frames()));
    }
}
