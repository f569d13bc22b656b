package org.spikeloop.learn.baseline;

/**
 * A decoder from one bin of neural features (e.g. spike counts per unit) to kinematics (e.g. 2-D
 * velocity), called once per bin after fitting.
 *
 * <p>Contract for implementations: {@link #decode} allocates nothing, takes no locks and keeps
 * state between calls (filters and lag buffers), so it is owned by one thread.
 */
public interface KinematicDecoder {
    /** Features per bin expected by {@link #decode}. */
    int featureCount();

    /** Kinematic dimensions written by {@link #decode}. */
    int outputCount();

    /**
     * Decodes one bin.
     *
     * @param features length &ge; featureCount (not modified)
     * @param kinematicsOut length &ge; outputCount, receives the estimate (modified)
     */
    void decode(float[] features, double[] kinematicsOut);

    /** Forgets the history (state estimate, lag buffers); the fitted model stays. */
    void reset();
}
