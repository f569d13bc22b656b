package org.spikeloop.adapters.lsl;

/**
 * What a session needs from an input stream, checked once when the stream is attached: the channel
 * count the decoder was built for, numeric values, and optionally a nominal rate. Each mismatch is
 * a clear error naming the stream and the field.
 *
 * @param channelCount channels the session expects
 * @param numeric true if the session decodes numbers (a string stream is then refused)
 * @param nominalSrateHz expected rate, or NaN to accept any
 */
public record StreamRequirements(int channelCount, boolean numeric, double nominalSrateHz) {

    public StreamRequirements {
        if (channelCount < 1) {
            throw new IllegalArgumentException("channelCount: must be >= 1, got " + channelCount);
        }
    }

    /**
     * Throws {@link IllegalArgumentException} naming the first field {@code info} does not meet.
     */
    public void check(StreamInfo info) {
        if (info.channelCount() != channelCount) {
            throw new IllegalArgumentException(
                    "stream '"
                            + info.name()
                            + "': channel_count is "
                            + info.channelCount()
                            + " but the session expects "
                            + channelCount);
        }
        if (numeric && !info.format().isNumeric()) {
            throw new IllegalArgumentException(
                    "stream '"
                            + info.name()
                            + "': channel_format is string but the session expects numbers");
        }
        if (!Double.isNaN(nominalSrateHz) && info.nominalSrateHz() != nominalSrateHz) {
            throw new IllegalArgumentException(
                    "stream '"
                            + info.name()
                            + "': nominal_srate is "
                            + info.nominalSrateHz()
                            + " Hz but the session expects "
                            + nominalSrateHz
                            + " Hz");
        }
    }
}
