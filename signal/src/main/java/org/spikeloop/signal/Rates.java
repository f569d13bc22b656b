package org.spikeloop.signal;

/** Validation shared by the stages: positive rates, integer rate ratios, channel counts. */
final class Rates {
    /** Relative tolerance for an input/output rate ratio to count as an integer. */
    private static final double INTEGER_TOLERANCE = 1e-9;

    private Rates() {}

    static void requireChannels(String field, int channels) {
        if (channels < 1) {
            throw new IllegalArgumentException(field + " must be >= 1, got " + channels);
        }
    }

    static void requirePositive(String field, double value) {
        if (!(value > 0) || !Double.isFinite(value)) {
            throw new IllegalArgumentException(field + " must be finite and > 0, got " + value);
        }
    }

    /**
     * Input frames per output frame, {@code k = inputRateHz / outputRateHz}, which must be a whole
     * number &ge; 1.
     *
     * @throws IllegalArgumentException naming {@code field} when k is not an integer &ge; 1
     */
    static int decimation(String field, double inputRateHz, double outputRateHz) {
        requirePositive("inputRateHz", inputRateHz);
        requirePositive(field, outputRateHz);
        double ratio = inputRateHz / outputRateHz;
        long k = Math.round(ratio);
        if (k < 1 || Math.abs(ratio - k) > INTEGER_TOLERANCE * ratio) {
            throw new IllegalArgumentException(
                    field
                            + " = "
                            + outputRateHz
                            + " Hz does not divide the input rate "
                            + inputRateHz
                            + " Hz into a whole number of samples (ratio "
                            + ratio
                            + ")");
        }
        return (int) k;
    }

    /** Samples in a window of {@code windowS} seconds at {@code rateHz}, at least 1. */
    static int windowSamples(String field, double windowS, double rateHz) {
        if (!(windowS > 0) || !Double.isFinite(windowS)) {
            throw new IllegalArgumentException(field + " must be finite and > 0 s, got " + windowS);
        }
        return (int) Math.max(1, Math.round(windowS * rateHz));
    }
}
