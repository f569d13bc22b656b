package org.spikeloop.adapters.sim;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Non-stationarity on a timetable: events sorted by time, applied once each when the simulation
 * clock passes them. Build with {@link IntracorticalDrift#parse} / {@link EegDrift#parse} or from
 * event records.
 *
 * <p>Single-threaded (owned by whoever steps the rig); {@link #applyDue} allocates nothing.
 *
 * @param <T> the rig the events change
 */
public final class DriftSchedule<T> {
    private final List<DriftEvent<T>> events;
    private int next;

    /**
     * @param events the events (copied, then sorted by time; ties keep their order)
     * @throws IllegalArgumentException for a negative or non-finite event time
     */
    public DriftSchedule(List<? extends DriftEvent<T>> events) {
        ArrayList<DriftEvent<T>> sorted = new ArrayList<>(events);
        for (DriftEvent<T> e : sorted) {
            if (!(e.atS() >= 0.0) || !Double.isFinite(e.atS())) {
                throw new IllegalArgumentException(
                        "drift event time must be finite and >= 0, got " + e.atS() + " in " + e);
            }
        }
        sorted.sort(Comparator.comparingDouble(DriftEvent::atS));
        this.events = List.copyOf(sorted);
    }

    /** A schedule without events. */
    public static <T> DriftSchedule<T> none() {
        return new DriftSchedule<>(List.of());
    }

    /**
     * Applies every not yet applied event with {@code atS <= nowS}, in time order.
     *
     * @return the number of events applied by this call
     */
    public int applyDue(double nowS, T rig) {
        int applied = 0;
        while (next < events.size() && events.get(next).atS() <= nowS) {
            events.get(next).applyTo(rig);
            next++;
            applied++;
        }
        return applied;
    }

    /** Time of the next pending event, or +∞ when all have been applied. */
    public double nextAtS() {
        return next < events.size() ? events.get(next).atS() : Double.POSITIVE_INFINITY;
    }

    /** All events in time order. */
    public List<DriftEvent<T>> events() {
        return events;
    }

    /** Marks every event pending again (for a rerun on a fresh rig). */
    public void reset() {
        next = 0;
    }

    @Override
    public String toString() {
        return "DriftSchedule" + events;
    }
}
