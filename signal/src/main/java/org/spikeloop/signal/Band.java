package org.spikeloop.signal;

/**
 * A frequency band for band-pass and band-power stages.
 *
 * @param lowHz lower edge in Hz (&gt; 0)
 * @param highHz upper edge in Hz (&gt; lowHz; below the Nyquist frequency of the stream it is used
 *     on, checked where the rate is known)
 */
public record Band(double lowHz, double highHz) {

    /** The sensorimotor mu band, 8–12 Hz. */
    public static final Band MU = new Band(8, 12);

    /** The sensorimotor beta band, 13–30 Hz. */
    public static final Band BETA = new Band(13, 30);

    public Band {
        if (!(lowHz > 0) || !Double.isFinite(lowHz)) {
            throw new IllegalArgumentException("band lowHz must be finite and > 0, got " + lowHz);
        }
        if (!(highHz > lowHz) || !Double.isFinite(highHz)) {
            throw new IllegalArgumentException(
                    "band highHz must be finite and > lowHz = " + lowHz + ", got " + highHz);
        }
    }

    /**
     * @throws IllegalArgumentException when the upper edge is not below {@code rateHz / 2}
     */
    public void requireBelowNyquist(double rateHz) {
        if (!(highHz < rateHz / 2)) {
            throw new IllegalArgumentException(
                    "band "
                            + lowHz
                            + "–"
                            + highHz
                            + " Hz reaches the Nyquist frequency "
                            + rateHz / 2
                            + " Hz of a "
                            + rateHz
                            + " Hz stream");
        }
    }

    @Override
    public String toString() {
        return lowHz + "-" + highHz + " Hz";
    }
}
