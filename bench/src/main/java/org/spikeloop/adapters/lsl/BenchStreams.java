package org.spikeloop.adapters.lsl;

import java.util.UUID;

/**
 * The LSL streams the LSL benchmarks measure on: a 1-kHz float outlet under a unique name (so
 * concurrent runs do not resolve each other's), and an inlet connected to it before the first
 * iteration.
 */
final class BenchStreams {
    private BenchStreams() {}

    /** A 1-kHz float32 outlet named {@code prefix} plus a random suffix. */
    static Outlet floatOutlet(String prefix, String type, int channels) {
        String name = prefix + UUID.randomUUID();
        return new Outlet(
                StreamInfo.builder(name, type, channels, ChannelFormat.FLOAT32)
                        .nominalSrateHz(1000)
                        .sourceId(name)
                        .build());
    }

    /**
     * An inlet on {@code outlet}, open, and seen by the outlet as its consumer.
     *
     * @throws IllegalStateException when the two do not connect within 5 s
     */
    static Inlet connectedInlet(Outlet outlet) {
        Inlet inlet = new Inlet(outlet.info(), InletConfig.defaults());
        inlet.open(5.0);
        if (!outlet.waitForConsumers(5.0)) {
            throw new IllegalStateException("the inlet did not connect to the outlet");
        }
        return inlet;
    }
}
