package org.spikeloop.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.LiveEdge;
import org.spikeloop.server.metrics.SessionMetrics;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;

/** The live-edge policy a session gets from its request and the server's default. */
class SessionFactoryTest {
    @TempDir Path dir;

    private SessionFactory factory(String defaultMs) {
        Properties p = new Properties();
        p.setProperty("recording.enabled", "false");
        p.setProperty("checkpoints.dir", dir.resolve("checkpoints").toString());
        if (defaultMs != null) {
            p.setProperty("session.liveEdgeMaxLagMs", defaultMs);
        }
        ServerConfig cfg = ServerConfig.apply(ServerConfig.defaults(), p);
        return new SessionFactory(
                cfg,
                new CheckpointStore(cfg.checkpointDir()),
                new SessionMetrics(),
                EngineClock.system());
    }

    private static NetworkSpec decoder(double dtMs) {
        return new NetworkSpec(
                dtMs,
                4,
                null,
                List.of(new LayerSpec(8, true, NeuronSpec.alif())),
                ReadoutSpec.leaky(2));
    }

    private static SessionConfig session(SessionConfig.LiveEdgeRequest liveEdge) {
        return new SessionConfig(
                        "s",
                        4,
                        1000,
                        new DecoderSource.Architecture(8, 2, NeuronModel.ALIF, 1),
                        false,
                        0,
                        0,
                        SessionConfig.SourceKind.GRPC,
                        null,
                        0)
                .withLiveEdge(liveEdge);
    }

    @Test
    void shouldSkipBeyondTheServersDefaultBoundUnlessTheSessionAsks() {
        SessionFactory f = factory(null);
        assertThat(f.liveEdge(session(null), decoder(1.0))).isEqualTo(LiveEdge.skipBeyondMs(50));
        assertThat(f.liveEdge(session(new SessionConfig.LiveEdgeRequest(false, 0)), decoder(1.0)))
                .isEqualTo(LiveEdge.skipBeyondMs(50));
        assertThat(f.liveEdge(session(new SessionConfig.LiveEdgeRequest(false, 200)), decoder(1.0)))
                .isEqualTo(LiveEdge.skipBeyondMs(200));
        assertThat(f.liveEdge(session(new SessionConfig.LiveEdgeRequest(true, 0)), decoder(1.0)))
                .isEqualTo(LiveEdge.DECODE_EVERYTHING);
        assertThat(factory("0").liveEdge(session(null), decoder(1.0)))
                .isEqualTo(LiveEdge.DECODE_EVERYTHING);
    }

    @Test
    void shouldRaiseTheDefaultBoundToTwoStepsOfASlowDecoder() {
        // A 10 Hz decoder (dt = 100 ms): a 50-ms bound would be less than one step.
        assertThat(factory(null).liveEdge(session(null), decoder(100.0)))
                .isEqualTo(LiveEdge.skipBeyondMs(200));
    }

    @Test
    void shouldRefuseABoundOutsideTwoStepsToTheRingsSpanNamingTheField() {
        SessionFactory f = factory(null);
        for (double ms : new double[] {1.5, -5, 8193, Double.NaN, Double.POSITIVE_INFINITY}) {
            assertThatThrownBy(
                            () ->
                                    f.liveEdge(
                                            session(new SessionConfig.LiveEdgeRequest(false, ms)),
                                            decoder(1.0)))
                    .isInstanceOf(ServerException.class)
                    .hasMessageContaining("spec.live_edge.max_lag_ms: must be within [2.0, 8192.0]")
                    .hasMessageContaining("got " + ms);
        }
        assertThatThrownBy(
                        () ->
                                f.liveEdge(
                                        session(new SessionConfig.LiveEdgeRequest(true, 100)),
                                        decoder(1.0)))
                .hasMessageContaining("spec.live_edge.max_lag_ms")
                .hasMessageContaining("decode_everything");
    }
}
