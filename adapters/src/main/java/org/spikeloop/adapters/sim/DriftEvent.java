package org.spikeloop.adapters.sim;

/**
 * One change to a simulated rig at a given time, applied by a {@link DriftSchedule}.
 *
 * @param <T> the rig it changes
 */
public interface DriftEvent<T> {
    /** Simulated time of the event, in seconds from the start of the run (&ge; 0). */
    double atS();

    /** Applies the change to {@code rig}. */
    void applyTo(T rig);
}
