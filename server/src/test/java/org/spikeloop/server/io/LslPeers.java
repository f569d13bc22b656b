package org.spikeloop.server.io;

import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import java.util.List;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.InletConfig;
import org.spikeloop.adapters.lsl.Lsl;
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

    /**
     * An outlet made straight through liblsl's C API, which takes headers our {@code StreamInfo}
     * refuses (channel_count 0, channel_format 0 = undefined).
     */
    static final class RawOutlet implements AutoCloseable {
        final String name;
        private final NativeLibrary lsl = NativeLibrary.getInstance(Lsl.load().libraryNameOrPath());
        private final Pointer info;
        private final Pointer outlet;

        RawOutlet(String name, int channels, int format) {
            this.name = name;
            this.info =
                    lsl.getFunction("lsl_create_streaminfo")
                            .invokePointer(
                                    new Object[] {name, "Markers", channels, 0.0, format, name});
            if (info == null) {
                throw new AssertionError("liblsl refused the stream info of " + name);
            }
            this.outlet =
                    lsl.getFunction("lsl_create_outlet").invokePointer(new Object[] {info, 0, 360});
            if (outlet == null) {
                lsl.getFunction("lsl_destroy_streaminfo").invokeVoid(new Object[] {info});
                throw new AssertionError("liblsl refused an outlet for " + name);
            }
        }

        @Override
        public void close() {
            lsl.getFunction("lsl_destroy_outlet").invokeVoid(new Object[] {outlet});
            lsl.getFunction("lsl_destroy_streaminfo").invokeVoid(new Object[] {info});
        }
    }
}
