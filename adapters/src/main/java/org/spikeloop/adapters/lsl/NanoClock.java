package org.spikeloop.adapters.lsl;

/** A monotonic clock in nanoseconds, injected so tests control time. */
@FunctionalInterface
public interface NanoClock {
    long nanoTime();

    /** The JVM's monotonic clock. */
    static NanoClock system() {
        return System::nanoTime;
    }
}
