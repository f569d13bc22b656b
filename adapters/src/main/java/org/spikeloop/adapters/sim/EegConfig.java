package org.spikeloop.adapters.sim;

import java.util.HashSet;
import java.util.List;
import java.util.Objects;

/**
 * Parameters of the simulated motor-imagery EEG, validated on construction. Build with {@link
 * #builder}; each default is stated next to its setter.
 *
 * @param montage channels and positions (default {@link EegMontage#standard22()})
 * @param sampleRateHz sample rate (&gt; 0; default 250)
 * @param classes number of imagery classes, the first {@code classes} of {@link ImageryKind} (1–4,
 *     &le; cue names; default 2: left and right hand)
 * @param cueNames marker string per class (unique, non-blank, not "trial_start"/"trial_end";
 *     default left_hand, right_hand, feet, rest)
 * @param timing trial timing (default {@link TrialTiming#defaults()})
 * @param backgroundUv RMS of the 1/f background per channel in µV (&ge; 0; default 10)
 * @param pinkExponent α of the background spectrum S(f) ∝ f^{−α} (in (0, 2); default 1)
 * @param muHz mu rhythm centre frequency (in (0, Nyquist); default 10.5, band 8–12 Hz)
 * @param muUv mu RMS at a source in µV (&ge; 0; default 5)
 * @param betaHz beta rhythm centre frequency (in (0, Nyquist); default 21, band 13–30 Hz)
 * @param betaUv beta RMS at a source in µV (&ge; 0; default 3)
 * @param erdFraction relative band-power decrease of the desynchronised rhythms during imagery
 *     (ERD% / 100 as defined by Pfurtscheller &amp; Aranibar 1979; in [0, 1); default 0.5)
 * @param sensorNoiseUv white amplifier noise RMS in µV (&ge; 0; default 0.5)
 * @param lineHz mains frequency for impedance-induced line noise (in (0, Nyquist); default 50)
 * @param seed random seed
 */
public record EegConfig(
        EegMontage montage,
        double sampleRateHz,
        int classes,
        List<String> cueNames,
        TrialTiming timing,
        double backgroundUv,
        double pinkExponent,
        double muHz,
        double muUv,
        double betaHz,
        double betaUv,
        double erdFraction,
        double sensorNoiseUv,
        double lineHz,
        long seed) {

    /** Marker at the start of every trial. */
    public static final String TRIAL_START = "trial_start";

    /** Marker at the end of the imagery period. */
    public static final String TRIAL_END = "trial_end";

    public EegConfig {
        Objects.requireNonNull(montage, "montage");
        Objects.requireNonNull(cueNames, "cueNames");
        Objects.requireNonNull(timing, "timing");
        cueNames = List.copyOf(cueNames);
        requirePositive("sampleRateHz", sampleRateHz);
        if (classes < 1) {
            throw new IllegalArgumentException("classes must be >= 1, got " + classes);
        }
        if (classes > cueNames.size()) {
            throw new IllegalArgumentException(
                    "classes = "
                            + classes
                            + " but only "
                            + cueNames.size()
                            + " cue names were given: "
                            + cueNames);
        }
        if (classes > ImageryKind.values().length) {
            throw new IllegalArgumentException(
                    "classes must be <= "
                            + ImageryKind.values().length
                            + " (left hand, right hand, feet, rest), got "
                            + classes);
        }
        HashSet<String> seen = new HashSet<>();
        for (String cue : cueNames) {
            if (cue.isBlank() || cue.equals(TRIAL_START) || cue.equals(TRIAL_END)) {
                throw new IllegalArgumentException(
                        "cue name '" + cue + "' is blank or a reserved marker");
            }
            if (!seen.add(cue)) {
                throw new IllegalArgumentException("cue name '" + cue + "' appears twice");
            }
        }
        requireNonNegative("backgroundUv", backgroundUv);
        if (!(pinkExponent > 0.0 && pinkExponent < 2.0)) {
            throw new IllegalArgumentException(
                    "pinkExponent must be in (0, 2), got " + pinkExponent);
        }
        requireBelowNyquist("muHz", muHz, sampleRateHz);
        requireNonNegative("muUv", muUv);
        requireBelowNyquist("betaHz", betaHz, sampleRateHz);
        requireNonNegative("betaUv", betaUv);
        if (!(erdFraction >= 0.0 && erdFraction < 1.0)) {
            throw new IllegalArgumentException("erdFraction must be in [0, 1), got " + erdFraction);
        }
        requireNonNegative("sensorNoiseUv", sensorNoiseUv);
        requireBelowNyquist("lineHz", lineHz, sampleRateHz);
    }

    public int channels() {
        return montage.channels();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults for everything, with the given seed. */
    public static EegConfig defaults(long seed) {
        return builder().seed(seed).build();
    }

    private static void requirePositive(String field, double v) {
        if (!(v > 0.0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(field + " must be finite and > 0, got " + v);
        }
    }

    private static void requireNonNegative(String field, double v) {
        if (!(v >= 0.0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(field + " must be finite and >= 0, got " + v);
        }
    }

    private static void requireBelowNyquist(String field, double hz, double sampleRateHz) {
        if (!(hz > 0.0 && hz < sampleRateHz / 2.0)) {
            throw new IllegalArgumentException(
                    field
                            + " must be in (0, sampleRateHz / 2 = "
                            + sampleRateHz / 2.0
                            + "), got "
                            + hz);
        }
    }

    /** Mutable builder; {@link #build} validates. */
    public static final class Builder {
        private EegMontage montage = EegMontage.standard22();
        private double sampleRateHz = 250.0;
        private int classes = 2;
        private List<String> cueNames = List.of("left_hand", "right_hand", "feet", "rest");
        private TrialTiming timing = TrialTiming.defaults();
        private double backgroundUv = 10.0;
        private double pinkExponent = 1.0;
        private double muHz = 10.5;
        private double muUv = 5.0;
        private double betaHz = 21.0;
        private double betaUv = 3.0;
        private double erdFraction = 0.5;
        private double sensorNoiseUv = 0.5;
        private double lineHz = 50.0;
        private long seed;

        public Builder montage(EegMontage v) {
            montage = v;
            return this;
        }

        public Builder sampleRateHz(double v) {
            sampleRateHz = v;
            return this;
        }

        public Builder classes(int v) {
            classes = v;
            return this;
        }

        public Builder cueNames(List<String> v) {
            cueNames = v;
            return this;
        }

        public Builder timing(TrialTiming v) {
            timing = v;
            return this;
        }

        public Builder backgroundUv(double v) {
            backgroundUv = v;
            return this;
        }

        public Builder pinkExponent(double v) {
            pinkExponent = v;
            return this;
        }

        public Builder muHz(double v) {
            muHz = v;
            return this;
        }

        public Builder muUv(double v) {
            muUv = v;
            return this;
        }

        public Builder betaHz(double v) {
            betaHz = v;
            return this;
        }

        public Builder betaUv(double v) {
            betaUv = v;
            return this;
        }

        public Builder erdFraction(double v) {
            erdFraction = v;
            return this;
        }

        public Builder sensorNoiseUv(double v) {
            sensorNoiseUv = v;
            return this;
        }

        public Builder lineHz(double v) {
            lineHz = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public EegConfig build() {
            return new EegConfig(
                    montage,
                    sampleRateHz,
                    classes,
                    cueNames,
                    timing,
                    backgroundUv,
                    pinkExponent,
                    muHz,
                    muUv,
                    betaHz,
                    betaUv,
                    erdFraction,
                    sensorNoiseUv,
                    lineHz,
                    seed);
        }
    }
}
