package org.spikeloop.adapters.sim;

import java.util.SplittableRandom;

/**
 * A simulated intracortical array: units cosine-tuned to 2-D hand velocity (Georgopoulos et al.
 * 1982; the velocity form of Moran &amp; Schwartz 1999), λ_i(t) = max(0, b_i + m_i·(v·d_i)/v_peak),
 * emitting Bernoulli spikes with probability λ_i·dt per step (Poisson in the limit dt → 0), plus
 * the hand velocity as the label stream.
 *
 * <p>Non-stationarity for drift experiments: {@link #rotatePreferredDirections} (all units), {@link
 * #dropUnits} (silence units; their channels keep emitting zeros), {@link #replaceUnits} (new
 * tuning on the same channels) and {@link #scaleGain}.
 *
 * <p>Single-threaded. {@link #step} allocates nothing.
 */
public final class IntracorticalRig {
    private final int units;
    private final double dtS;
    private final CenterOutTask task;
    private final SplittableRandom spikeRng;
    private final SplittableRandom tuningRng;
    private final double[] baselineHz;
    private final double[] depthHz;
    private final double[] prefX;
    private final double[] prefY;
    private final boolean[] silent;
    private final double meanBaselineHz;
    private final double meanDepthHz;
    private final double[] velocity = new double[2];
    private double gain = 1.0;

    /**
     * @param config validated configuration
     */
    public IntracorticalRig(RigConfig config) {
        this.units = config.units();
        this.dtS = config.dtMs() / 1000.0;
        this.task = new CenterOutTask(config.reachRadiusM(), config.movementS(), config.seed());
        this.tuningRng = new SplittableRandom(config.seed() * 31 + 1);
        this.spikeRng = new SplittableRandom(config.seed() * 31 + 2);
        this.meanBaselineHz = config.baselineHz();
        this.meanDepthHz = config.modulationHz();
        this.baselineHz = new double[units];
        this.depthHz = new double[units];
        this.prefX = new double[units];
        this.prefY = new double[units];
        this.silent = new boolean[units];
        for (int i = 0; i < units; i++) {
            tune(i);
        }
    }

    private void tune(int i) {
        // Per-unit spread of ±50 % around the configured means keeps the population heterogeneous.
        baselineHz[i] = meanBaselineHz * (0.5 + tuningRng.nextDouble());
        depthHz[i] = meanDepthHz * (0.5 + tuningRng.nextDouble());
        double angle = 2.0 * Math.PI * tuningRng.nextDouble();
        prefX[i] = Math.cos(angle);
        prefY[i] = Math.sin(angle);
        silent[i] = false;
    }

    /** Number of units (channels). */
    public int units() {
        return units;
    }

    /**
     * Advances one step: writes 0/1 spikes per unit and the hand velocity (m/s).
     *
     * @param spikesOut length ≥ units, receives 0 or 1 (modified)
     * @param velocityOut length ≥ 2, receives (v_x, v_y) (modified)
     */
    public void step(float[] spikesOut, double[] velocityOut) {
        task.step(dtS, velocity);
        double vRef = task.peakSpeedMps();
        double vx = velocity[0] / vRef;
        double vy = velocity[1] / vRef;
        for (int i = 0; i < units; i++) {
            double rate = rateHz(i, vx, vy);
            spikesOut[i] = spikeRng.nextDouble() < rate * dtS ? 1.0f : 0.0f;
        }
        velocityOut[0] = velocity[0];
        velocityOut[1] = velocity[1];
    }

    /** λ_i for a velocity normalised by the peak speed. */
    double rateHz(int i, double vxNorm, double vyNorm) {
        if (silent[i]) {
            return 0.0;
        }
        double r = baselineHz[i] + depthHz[i] * (vxNorm * prefX[i] + vyNorm * prefY[i]);
        return Math.max(0.0, gain * r);
    }

    /** Rotates every unit's preferred direction by {@code degrees} (counter-clockwise). */
    public void rotatePreferredDirections(double degrees) {
        double c = Math.cos(Math.toRadians(degrees));
        double s = Math.sin(Math.toRadians(degrees));
        for (int i = 0; i < units; i++) {
            double x = prefX[i];
            double y = prefY[i];
            prefX[i] = c * x - s * y;
            prefY[i] = s * x + c * y;
        }
    }

    /** Silences the first {@code count} units from {@code from} on (electrode loss). */
    public void dropUnits(int from, int count) {
        for (int i = from; i < Math.min(units, from + count); i++) {
            silent[i] = true;
        }
    }

    /** Gives units [from, from + count) fresh random tuning (new neurons on old electrodes). */
    public void replaceUnits(int from, int count) {
        for (int i = from; i < Math.min(units, from + count); i++) {
            tune(i);
        }
    }

    /** Multiplies every rate by {@code factor} (&ge; 0). */
    public void scaleGain(double factor) {
        if (!(factor >= 0.0) || !Double.isFinite(factor)) {
            throw new IllegalArgumentException(
                    "gain factor must be finite and >= 0, got " + factor);
        }
        gain *= factor;
    }

    /** Unit {@code i}'s preferred direction angle in radians. */
    public double preferredAngle(int i) {
        return Math.atan2(prefY[i], prefX[i]);
    }
}
