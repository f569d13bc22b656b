package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.server.engine.FrameRing;

/** LslOutletAgent pushing a frame ring to a real liblsl inlet. */
class LslOutletAgentTest {
    private static void publish(FrameRing ring, int k) {
        ring.publish(
                new float[] {k, -k, k * 0.5f},
                false,
                null,
                1000.0 + k * 0.001,
                0L,
                0L,
                0,
                false,
                0L);
    }

    @Test
    void shouldPushEveryFrameWithItsSourceTimestamp() {
        String name = LslPeers.unique("outlet-agent");
        FrameRing ring = new FrameRing(3, 64);
        Outlet outlet = LslPeers.outlet(name, ChannelFormat.FLOAT32, 3, 1000);
        LslOutletAgent agent = new LslOutletAgent("s-test", outlet, ring);
        Inlet inlet = LslPeers.inlet(name);
        try {
            assertThat(outlet.waitForConsumers(5.0)).isTrue();
            for (int k = 0; k < 40; k++) {
                publish(ring, k);
            }
            assertThat(agent.doWork()).isEqualTo(40);
            float[] data = new float[40 * 3];
            double[] stamps = new double[40];
            int[] got = {0};
            float[] chunk = new float[40 * 3];
            double[] chunkStamps = new double[40];
            LslPeers.until(
                    () -> {
                        int n = inlet.pullChunk(chunk, chunkStamps, 0.0);
                        System.arraycopy(chunk, 0, data, got[0] * 3, n * 3);
                        System.arraycopy(chunkStamps, 0, stamps, got[0], n);
                        got[0] += n;
                    },
                    () -> got[0] == 40);
            for (int k = 0; k < 40; k++) {
                assertThat(new float[] {data[k * 3], data[k * 3 + 1], data[k * 3 + 2]})
                        .containsExactly(k, -k, k * 0.5f);
                assertThat(stamps[k]).isEqualTo(1000.0 + k * 0.001);
            }
            assertThat(agent.framesPushed()).isEqualTo(40);
            assertThat(agent.framesDropped()).isZero();
            assertThat(agent.hasConsumers()).isTrue();
        } finally {
            inlet.close();
            agent.onClose();
        }
    }

    @Test
    void shouldCountFramesLostWhenItFallsARingBehindWithoutSlowingTheWriter() {
        String name = LslPeers.unique("outlet-agent");
        FrameRing ring = new FrameRing(3, 16);
        LslOutletAgent agent =
                new LslOutletAgent(
                        "s-test", LslPeers.outlet(name, ChannelFormat.FLOAT32, 3, 1000), ring);
        try {
            for (int k = 0; k < 100; k++) {
                publish(ring, k); // the writer never waits for the outlet agent
            }
            int pushed = 0;
            int n;
            while ((n = agent.doWork()) > 0) {
                pushed += n;
            }
            assertThat(agent.framesDropped()).isGreaterThan(0);
            assertThat(pushed + agent.framesDropped()).isEqualTo(100);
        } finally {
            agent.onClose();
        }
    }

    @Test
    void shouldRefuseAnOutletWhoseWidthIsNotTheDecoders() {
        Outlet outlet =
                LslPeers.outlet(LslPeers.unique("outlet-agent"), ChannelFormat.FLOAT32, 2, 0);
        try {
            assertThatThrownBy(() -> new LslOutletAgent("s", outlet, new FrameRing(3, 16)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("2 channels, the decoder 3 outputs");
        } finally {
            outlet.close();
        }
    }
}
