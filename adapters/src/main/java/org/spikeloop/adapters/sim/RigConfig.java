package org.spikeloop.adapters.sim;

/**
 * Parameters of the simulated intracortical rig, validated on construction.
 *
 * @param units number of units / channels (&ge; 1; default 96)
 * @param dtMs sample period in ms (&gt; 0; default 1, i.e. 1 kHz)
 * @param baselineHz mean baseline rate (&ge; 0; default 10)
 * @param modulationHz mean modulation depth at peak speed (&ge; 0; default 20)
 * @param reachRadiusM target distance (&gt; 0; default 0.1 m)
 * @param movementS duration of one movement (&gt; 0; default 1 s)
 * @param seed random seed
 */
public record RigConfig(
        int units,
        double dtMs,
        double baselineHz,
        double modulationHz,
        double reachRadiusM,
        double movementS,
        long seed) {

    public RigConfig {
        if (units < 1) {
            throw new IllegalArgumentException("units must be >= 1, got " + units);
        }
        requirePositive("dtMs", dtMs);
        requireNonNegative("baselineHz", baselineHz);
        requireNonNegative("modulationHz", modulationHz);
        requirePositive("reachRadiusM", reachRadiusM);
        requirePositive("movementS", movementS);
        if ((baselineHz + modulationHz) * dtMs / 1000.0 > 1.0) {
            throw new IllegalArgumentException(
                    "baselineHz + modulationHz = "
                            + (baselineHz + modulationHz)
                            + " exceeds one spike per step at dtMs = "
                            + dtMs);
        }
    }

    /** 96 units at 1 kHz, 10 Hz baseline, 20 Hz depth, 10 cm reaches of 1 s. */
    public static RigConfig defaults(long seed) {
        return new RigConfig(96, 1.0, 10.0, 20.0, 0.1, 1.0, seed);
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
}
