package org.spikeloop.signal;

import java.util.ArrayList;
import java.util.List;

/**
 * Everything needed to build a session's front-end: the source stream's channel count and rate and
 * the stages in order. Validated on construction by walking the chain (each stage sees the channels
 * and rate the previous one emits), so a bad configuration fails at session creation with the
 * stage's index and kind in the message: zero channels, a band at or above the Nyquist frequency of
 * the rate it runs at, a rate that does not divide into a whole number of samples, non-positive
 * windows or time constants.
 *
 * <p>Immutable; {@link #build} allocates a fresh, independent {@link FrontEndChain} each call.
 *
 * @param inputChannels channels per source frame (&ge; 1)
 * @param inputRateHz source rate in Hz (&gt; 0)
 * @param stages stages in order (may be empty: frames pass through unchanged)
 */
public record FrontEndSpec(int inputChannels, double inputRateHz, List<StageSpec> stages) {

    public FrontEndSpec {
        Rates.requireChannels("front-end inputChannels", inputChannels);
        Rates.requirePositive("front-end inputRateHz", inputRateHz);
        if (stages == null) {
            throw new IllegalArgumentException("front-end stages must be given (may be empty)");
        }
        for (int i = 0; i < stages.size(); i++) {
            if (stages.get(i) == null) {
                throw new IllegalArgumentException("front-end stage " + i + " is null");
            }
        }
        stages = List.copyOf(stages);
        instantiate(inputChannels, inputRateHz, stages);
    }

    /** Spike or event counts per decoder step of {@code dtS} seconds. */
    public static FrontEndSpec spikeBinning(int channels, double inputRateHz, double dtS) {
        return new FrontEndSpec(channels, inputRateHz, List.of(new StageSpec.Binning(dtS)));
    }

    /**
     * The motor-imagery EEG feature chain: log band power per channel and band (order-4
     * Butterworth), decimated to {@code outputRateHz}, then a running z-score.
     */
    public static FrontEndSpec eegBandPower(
            int channels,
            double inputRateHz,
            List<Band> bands,
            double windowS,
            double outputRateHz,
            double normaliserTimeConstantS) {
        return new FrontEndSpec(
                channels,
                inputRateHz,
                List.of(
                        new StageSpec.Power(bands, 4, windowS, outputRateHz, true),
                        new StageSpec.Normalise(normaliserTimeConstantS, 1e-6)));
    }

    /** Builds a new chain in its initial state (control plane: allocates). */
    public FrontEndChain build() {
        return new FrontEndChain(instantiate(inputChannels, inputRateHz, stages));
    }

    /** Values per output frame of the built chain. */
    public int outputChannels() {
        return build().outputChannels();
    }

    /** Output frame rate of the built chain in Hz. */
    public double outputRateHz() {
        return build().outputRateHz();
    }

    private static List<FrontEnd> instantiate(
            int inputChannels, double inputRateHz, List<StageSpec> stages) {
        List<FrontEnd> built = new ArrayList<>(stages.size() + 1);
        int channels = inputChannels;
        double rateHz = inputRateHz;
        for (int i = 0; i < stages.size(); i++) {
            StageSpec stage = stages.get(i);
            FrontEnd created;
            try {
                created = stage.create(channels, rateHz);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "front-end stage "
                                + i
                                + " ("
                                + stage.kind()
                                + ", on "
                                + channels
                                + " channels at "
                                + rateHz
                                + " Hz): "
                                + e.getMessage(),
                        e);
            }
            built.add(created);
            channels = created.outputChannels();
            rateHz = created.outputRateHz();
        }
        if (built.isEmpty()) {
            built.add(new Identity(inputChannels, inputRateHz));
        }
        return built;
    }

    /** The empty chain: copies each frame through. */
    private record Identity(int channels, double rateHz) implements FrontEnd {
        @Override
        public int inputChannels() {
            return channels;
        }

        @Override
        public int outputChannels() {
            return channels;
        }

        @Override
        public double inputRateHz() {
            return rateHz;
        }

        @Override
        public int decimation() {
            return 1;
        }

        @Override
        public boolean accept(float[] sample, float[] out) {
            System.arraycopy(sample, 0, out, 0, channels);
            return true;
        }

        @Override
        public void reset() {}
    }
}
