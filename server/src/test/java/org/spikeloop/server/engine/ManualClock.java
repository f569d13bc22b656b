package org.spikeloop.server.engine;

/** A clock the test advances by hand. */
final class ManualClock implements EngineClock {
    long nowNs;

    @Override
    public long nanoTime() {
        return nowNs;
    }
}
