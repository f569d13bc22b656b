package org.spikeloop.adapters.sim;

import java.util.SplittableRandom;

/**
 * A 2-D center-out reaching task: the hand moves from the centre to a random target on a circle and
 * back, each movement following the minimum-jerk profile (Flash &amp; Hogan 1985, eq. (2)): x(τ) =
 * x₀ + Δ·(10τ³ − 15τ⁴ + 6τ⁵), so velocity v(τ) = Δ·(30τ² − 60τ³ + 30τ⁴)/D with τ = t/D.
 *
 * <p>Seeded and deterministic; {@link #step} allocates nothing. Units: metres and seconds.
 */
public final class CenterOutTask {
    private final double radiusM;
    private final double movementS;
    private final SplittableRandom rng;
    private double startX;
    private double startY;
    private double deltaX;
    private double deltaY;
    private double elapsedS;
    private boolean outward = true;

    /**
     * @param radiusM distance of the targets from the centre (&gt; 0)
     * @param movementS duration of one movement (&gt; 0)
     * @param seed random seed for the target directions
     */
    public CenterOutTask(double radiusM, double movementS, long seed) {
        if (!(radiusM > 0.0) || !(movementS > 0.0)) {
            throw new IllegalArgumentException(
                    "radiusM and movementS must be > 0, got " + radiusM + " and " + movementS);
        }
        this.radiusM = radiusM;
        this.movementS = movementS;
        this.rng = new SplittableRandom(seed);
        planNext(0.0, 0.0);
    }

    /** Peak speed of a movement: 1.875·R/D (the minimum-jerk profile's maximum at τ = 1/2). */
    public double peakSpeedMps() {
        return 1.875 * radiusM / movementS;
    }

    /**
     * Advances the task by {@code dtS} and writes the hand velocity at the new time.
     *
     * @param dtS time step in seconds
     * @param velocityOut receives (v_x, v_y) in m/s (modified)
     */
    public void step(double dtS, double[] velocityOut) {
        elapsedS += dtS;
        if (elapsedS >= movementS) {
            double endX = startX + deltaX;
            double endY = startY + deltaY;
            elapsedS -= movementS;
            planNext(endX, endY);
        }
        double tau = elapsedS / movementS;
        double shape =
                (30.0 * tau * tau - 60.0 * tau * tau * tau + 30.0 * tau * tau * tau * tau)
                        / movementS;
        velocityOut[0] = deltaX * shape;
        velocityOut[1] = deltaY * shape;
    }

    private void planNext(double fromX, double fromY) {
        startX = fromX;
        startY = fromY;
        if (outward) {
            double angle = 2.0 * Math.PI * rng.nextDouble();
            deltaX = radiusM * Math.cos(angle) - fromX;
            deltaY = radiusM * Math.sin(angle) - fromY;
        } else {
            deltaX = -fromX;
            deltaY = -fromY;
        }
        outward = !outward;
    }
}
