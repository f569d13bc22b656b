package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;

/** The watcher of {@code bench e2e --watch-over lsl} against a real liblsl outlet. */
class LslOutputWatcherTest {
    private static final int OUTPUTS = 2;

    @Test
    void shouldCountEverySampleStampedInTheWindowOnceWithItsLatencyFromItsStamp() throws Exception {
        String name = "e2e-watch-test-" + UUID.randomUUID();
        try (Outlet outlet =
                        new Outlet(
                                StreamInfo.builder(name, "Decoded", OUTPUTS, ChannelFormat.FLOAT32)
                                        .nominalSrateHz(1000)
                                        .sourceId(name)
                                        .build());
                LslOutputWatcher watcher = new LslOutputWatcher(List.of(name), OUTPUTS, 10, 10)) {
            FrameStats lane = watcher.lanes().get(0);
            double now = Lsl.localClockS();
            watcher.window(now - 1, now + 600, 1_000_000);
            // Before the window: received, not measured.
            outlet.pushChunk(new float[OUTPUTS], new double[] {now - 2}, 1);
            // Fifty single samples, as the session's outlet pushes them, stamped just before.
            for (int i = 0; i < 50; i++) {
                outlet.pushChunk(new float[OUTPUTS], new double[] {Lsl.localClockS()}, 1);
                Thread.sleep(1);
            }
            // One chunk of five: the pull that wakes for the first takes the rest at once.
            double t = Lsl.localClockS();
            outlet.pushChunk(new float[5 * OUTPUTS], new double[] {t, t, t, t, t}, 5);
            long until = System.nanoTime() + 10_000_000_000L;
            while (lane.received < 55 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            Thread.sleep(300); // a sample counted twice would show by now
            assertThat(lane.received).isEqualTo(55);
            assertThat(lane.latencyNs.getTotalCount()).isEqualTo(55);
            // Receipt after stamp on one clock: no negative latency clipped to 0.
            assertThat(lane.latencyNs.getMinValue()).isPositive();
            // No hop or deadline information travels on an outlet.
            assertThat(lane.engineNs.getTotalCount()).isZero();
            assertThat(lane.missed).isZero();
        }
    }

    @Test
    void shouldNameTheOutletItCannotFind() {
        String name = "e2e-watch-test-absent-" + UUID.randomUUID();
        assertThatThrownBy(() -> new LslOutputWatcher(List.of(name), OUTPUTS, 10, 0.5))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no LSL outlet named '" + name + "' within 0.5 s");
    }
}
