package org.spikeloop.signal;

import java.util.List;

/**
 * Configuration of one front-end stage, independent of the stream it will run on; {@link
 * FrontEndSpec} chains them and checks them against the stream's channel count and rate. Each
 * record validates its own fields on construction.
 */
public sealed interface StageSpec {

    /** Builds the stage for frames of {@code channels} values at {@code inputRateHz}. */
    FrontEnd create(int channels, double inputRateHz);

    /** Short name used in error messages and logs. */
    String kind();

    /**
     * {@link SpikeBinner}: counts per decoder step.
     *
     * @param dtS the decoder's step in seconds (&gt; 0)
     */
    record Binning(double dtS) implements StageSpec {
        public Binning {
            Rates.requirePositive("binning dtS", dtS);
        }

        @Override
        public FrontEnd create(int channels, double inputRateHz) {
            return new SpikeBinner(channels, inputRateHz, dtS);
        }

        @Override
        public String kind() {
            return "binning";
        }
    }

    /**
     * {@link BandPassStage}: a causal Butterworth band-pass at the stream's rate.
     *
     * @param band pass band
     * @param order Butterworth order per side (even, 2–8)
     */
    record BandPass(Band band, int order) implements StageSpec {
        public BandPass {
            if (band == null) {
                throw new IllegalArgumentException("band-pass band must be given");
            }
            requireOrder(order);
        }

        @Override
        public FrontEnd create(int channels, double inputRateHz) {
            band.requireBelowNyquist(inputRateHz);
            return new BandPassStage(channels, band.lowHz(), band.highHz(), inputRateHz, order);
        }

        @Override
        public String kind() {
            return "band-pass";
        }
    }

    /**
     * {@link BandPower}: band-pass, square, moving average, optional log, decimated.
     *
     * @param bands bands per channel (non-empty)
     * @param order Butterworth order per side (even, 2–8)
     * @param windowS moving-average window in seconds (&gt; 0)
     * @param outputRateHz output rate (&gt; 0; must divide the input rate)
     * @param log natural log of the power
     */
    record Power(List<Band> bands, int order, double windowS, double outputRateHz, boolean log)
            implements StageSpec {
        public Power {
            if (bands == null || bands.isEmpty()) {
                throw new IllegalArgumentException("band power needs at least one band");
            }
            bands = List.copyOf(bands);
            requireOrder(order);
            if (!(windowS > 0) || !Double.isFinite(windowS)) {
                throw new IllegalArgumentException(
                        "band power windowS must be finite and > 0 s, got " + windowS);
            }
            Rates.requirePositive("band power outputRateHz", outputRateHz);
        }

        @Override
        public FrontEnd create(int channels, double inputRateHz) {
            return new BandPower(channels, bands, inputRateHz, order, windowS, outputRateHz, log);
        }

        @Override
        public String kind() {
            return "band-power";
        }
    }

    /**
     * {@link RunningNormaliser}: running per-channel z-score.
     *
     * @param timeConstantS memory of the statistics in seconds (&gt; 0)
     * @param varianceFloor smallest variance divided by (&gt; 0)
     */
    record Normalise(double timeConstantS, double varianceFloor) implements StageSpec {
        public Normalise {
            Rates.requirePositive("normalise timeConstantS", timeConstantS);
            Rates.requirePositive("normalise varianceFloor", varianceFloor);
        }

        @Override
        public FrontEnd create(int channels, double inputRateHz) {
            return new RunningNormaliser(channels, inputRateHz, timeConstantS, varianceFloor);
        }

        @Override
        public String kind() {
            return "normalise";
        }
    }

    private static void requireOrder(int order) {
        if (order < 2 || order > 8 || order % 2 != 0) {
            throw new IllegalArgumentException(
                    "Butterworth order must be even in [2, 8], got " + order);
        }
    }
}
