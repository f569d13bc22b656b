package org.spikeloop.server.io;

import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.InletConfig;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.Resolver;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * Real liblsl outlets and inlets on this machine for the session tests (LSLAPICFG from the pom).
 */
final class LslPeers {
    private LslPeers() {}

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static Outlet outlet(String name, ChannelFormat format, int channels, double rateHz) {
        return new Outlet(
                StreamInfo.builder(name, "Test", channels, format)
                        .nominalSrateHz(rateHz)
                        .sourceId(name + "-src")
                        .build());
    }

    /** An inlet on the stream named {@code name}, without post-processing (stamps as pushed). */
    static Inlet inlet(String name) {
        List<StreamInfo> found = Resolver.byProperty("name", name, 1, 5.0);
        if (found.isEmpty()) {
            throw new AssertionError("stream " + name + " not found");
        }
        Inlet inlet = new Inlet(found.get(0), InletConfig.defaults());
        inlet.open(5.0);
        return inlet;
    }

    /** Calls {@code work} until {@code done} holds (LSL delivers asynchronously), at most 5 s. */
    static void until(Runnable work, BooleanSupplier done) {
        long end = System.nanoTime() + 5_000_000_000L;
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out");
            }
            work.run();
            Thread.onSpinWait();
        }
    }
}
