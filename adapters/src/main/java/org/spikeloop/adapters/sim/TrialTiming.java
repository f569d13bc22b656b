package org.spikeloop.adapters.sim;

/**
 * Timing of one cue-based motor-imagery trial (the Graz paradigm as in BCI Competition IV 2a): a
 * fixation period, then the cue and imagery, then a break of random length.
 *
 * <pre>
 *   |-- fixationS --|-- imageryS (class active) --|-- break, uniform in [breakMinS, breakMaxS] --|
 *   ^ "trial_start" ^ cue name                    ^ "trial_end"
 * </pre>
 *
 * @param fixationS seconds from trial start to the cue (&gt; 0; default 2)
 * @param imageryS seconds of imagery after the cue (&gt; 0; default 4)
 * @param breakMinS shortest break (&gt; 0; default 1.5)
 * @param breakMaxS longest break (&ge; breakMinS; default 2.5)
 */
public record TrialTiming(double fixationS, double imageryS, double breakMinS, double breakMaxS) {

    public TrialTiming {
        requirePositive("fixationS", fixationS);
        requirePositive("imageryS", imageryS);
        requirePositive("breakMinS", breakMinS);
        requirePositive("breakMaxS", breakMaxS);
        if (breakMaxS < breakMinS) {
            throw new IllegalArgumentException(
                    "breakMaxS (" + breakMaxS + ") must be >= breakMinS (" + breakMinS + ")");
        }
    }

    /** 2 s fixation, 4 s imagery, 1.5–2.5 s break. */
    public static TrialTiming defaults() {
        return new TrialTiming(2.0, 4.0, 1.5, 2.5);
    }

    /** Longest possible trial, in seconds. */
    public double maxTrialS() {
        return fixationS + imageryS + breakMaxS;
    }

    private static void requirePositive(String field, double v) {
        if (!(v > 0.0) || !Double.isFinite(v)) {
            throw new IllegalArgumentException(field + " must be finite and > 0, got " + v);
        }
    }
}
