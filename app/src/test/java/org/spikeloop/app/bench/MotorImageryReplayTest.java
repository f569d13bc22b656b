package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.InletConfig;
import org.spikeloop.adapters.lsl.Resolver;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.LabelKind;

class MotorImageryReplayTest {
    private static Inlet inlet(String name) {
        List<StreamInfo> found = Resolver.byProperty("name", name, 1, 5.0);
        assertThat(found).as("stream " + name).isNotEmpty();
        Inlet inlet = new Inlet(found.get(0), InletConfig.defaults());
        inlet.open(5.0);
        return inlet;
    }

    @Test
    void shouldPublishTheSamplesAndMarkersStampedOnTheDatasOwnAxis() throws Exception {
        SimulatedMotorImagery d =
                SimulatedMotorImagery.generate(MotorImageryDecodeBench.simulation(2, 0.4), 1);
        String prefix = "mi-replay-" + UUID.randomUUID().toString().substring(0, 8);
        double origin = 1000.0;
        int to = d.cueAt()[0] + 10; // past the first cue
        try (MotorImageryReplay replay =
                        new MotorImageryReplay(
                                d, prefix, MotorImageryDecodeBench.MONTAGE, origin, 1000);
                Inlet eeg = inlet(prefix + "-eeg");
                Inlet markers = inlet(prefix + "-markers")) {
            assertThat(replay.eegInfo().channelCount()).isEqualTo(4);
            long end = System.nanoTime() + 5_000_000_000L;
            while (!replay.haveConsumers()) {
                assertThat(System.nanoTime()).isLessThan(end);
                Thread.sleep(10);
            }
            replay.publish(0, to);

            float[] buf = new float[4 * to];
            double[] stamps = new double[to];
            int got = 0;
            float[] one = new float[4 * to];
            double[] oneStamps = new double[to];
            while (got < to && System.nanoTime() < end) {
                int n = eeg.pullChunk(one, oneStamps, 0.2);
                System.arraycopy(one, 0, buf, 4 * got, 4 * n);
                System.arraycopy(oneStamps, 0, stamps, got, n);
                got += n;
            }
            assertThat(got).isEqualTo(to);
            for (int i = 0; i < to; i++) {
                assertThat(stamps[i]).isCloseTo(origin + i / 256.0, within());
                for (int c = 0; c < 4; c++) {
                    assertThat(buf[4 * i + c]).isEqualTo(d.samples()[4 * i + c]);
                }
            }
            List<String> texts = new ArrayList<>();
            List<Double> at = new ArrayList<>();
            String[] m = new String[8];
            double[] ms = new double[8];
            while (texts.size() < 2 && System.nanoTime() < end) {
                int n = markers.pullChunk(m, ms, 0.2);
                for (int i = 0; i < n; i++) {
                    texts.add(m[i]);
                    at.add(ms[i]);
                }
            }
            // trial_start, then the cue, each at its sample's stamp.
            assertThat(texts).containsExactly(d.markers().get(0), d.markers().get(1));
            assertThat(at.get(1)).isCloseTo(origin + d.cueAt()[0] / 256.0, within());
            assertThatThrownBy(() -> replay.publish(0, d.sampleCount() + 1))
                    .hasMessageContaining("samples [0, " + (d.sampleCount() + 1) + ")");
        }
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-6);
    }

    @Test
    void shouldCreateTheSessionFromTheShippedSpecWithTheReplaysStreams() throws Exception {
        CreateSessionRequest r =
                MotorImageryDecodeBench.sessionRequest(
                        Path.of("..", "examples", "sessions", "motor-imagery-lsl.json"),
                        "x-eeg",
                        "x-markers");

        assertThat(r.getSpec().getSource().getLslStreamName()).isEqualTo("x-eeg");
        assertThat(r.getSpec().getLslLabels().getName()).isEqualTo("x-markers");
        assertThat(r.getSpec().getLslLabels().getKind()).isEqualTo(LabelKind.LABEL_KIND_MARKERS);
        assertThat(r.getSpec().getChannelCount()).isEqualTo(MotorImageryDecodeBench.MONTAGE.size());
        assertThat(r.getSpec().getSampleRateHz()).isEqualTo(MotorImageryDecodeBench.RATE_HZ);
        assertThat(r.getSpec().getDecoder().hasArchitecture()).as("a fresh network").isTrue();
        assertThat(r.getSpec().getStallAfterS()).isEqualTo(60.0);
    }

    @Test
    void shouldRefuseASpecThatIsNotJsonOrDoesNotFitTheSimulatedEeg(@TempDir Path dir)
            throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"spec\": {\"channel_cuont\": 4}}");
        assertThatThrownBy(() -> MotorImageryDecodeBench.sessionRequest(bad, "e", "m"))
                .hasMessageStartingWith(
                        "--mi-session-spec " + bad + ": not a CreateSessionRequest");
        Path other = dir.resolve("other.json");
        Files.writeString(
                other,
                "{\"spec\": {\"channel_count\": 22, \"sample_rate_hz\": 250,"
                        + " \"lsl_labels\": {\"kind\": \"LABEL_KIND_MARKERS\"}}}");
        assertThatThrownBy(() -> MotorImageryDecodeBench.sessionRequest(other, "e", "m"))
                .hasMessageContaining("the simulated EEG has 4 channels at 256.0 Hz")
                .hasMessageContaining("channel_count 22, sample_rate_hz 250.0");
    }
}
