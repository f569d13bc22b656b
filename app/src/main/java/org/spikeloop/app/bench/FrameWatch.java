package org.spikeloop.app.bench;

import java.util.List;

/**
 * What {@code bench e2e} measures the decoded frames with, whichever way they leave the server:
 * gRPC Watch streams ({@link E2eWatcher}) or the sessions' LSL outlets ({@link LslOutputWatcher}).
 * One {@link FrameStats} lane per session, in the order the sessions were given.
 */
interface FrameWatch extends AutoCloseable {
    /** Measures frames stamped in [fromS, toS) (LSL clock) against a deadline of dt. */
    default void window(double fromS, double toS, long dtNs) {
        for (FrameStats s : lanes()) {
            s.window(fromS, toS, dtNs);
        }
    }

    /** Each session's statistics, in the order the sessions were given. */
    List<FrameStats> lanes();

    @Override
    void close() throws InterruptedException;
}
