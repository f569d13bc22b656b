package org.spikeloop.server.engine;

/**
 * A monotonic clock in nanoseconds, injected so tests control time. The system clock is {@link
 * System#nanoTime()}, which on Linux reads CLOCK_MONOTONIC — the clock liblsl's {@code
 * local_clock()} reads — so source time stamps from LSL or a client on the same host compare
 * directly with it.
 */
@FunctionalInterface
public interface EngineClock {
    long nanoTime();

    static EngineClock system() {
        return System::nanoTime;
    }
}
