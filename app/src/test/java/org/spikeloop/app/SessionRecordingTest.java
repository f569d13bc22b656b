package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.inprocess.InProcessServerBuilder;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecorder;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfStream;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.io.SampleIngest;
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.server.session.DecoderSource;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionConfig;
import org.spikeloop.snn.spec.NeuronModel;

class SessionRecordingTest {
    private static final int CHANNELS = 4;
    private static final int OUTPUTS = 2;

    @TempDir Path dir;

    private SpikeloopApplication start() throws Exception {
        Properties p = new Properties();
        p.setProperty("metrics.port", "-1");
        p.setProperty("audit.log", dir.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", dir.resolve("checkpoints").toString());
        p.setProperty("recordings.dir", dir.resolve("recordings").toString());
        return SpikeloopApplication.start(
                ServerConfig.apply(ServerConfig.defaults(), p),
                InProcessServerBuilder.forName(InProcessServerBuilder.generateName()));
    }

    private static Session create(SpikeloopApplication app) {
        return app.sessions()
                .create(
                        new SessionConfig(
                                "rec",
                                CHANNELS,
                                1000.0,
                                new DecoderSource.Architecture(16, OUTPUTS, NeuronModel.ALIF, 3),
                                false,
                                0,
                                0,
                                SessionConfig.SourceKind.GRPC,
                                null,
                                30.0),
                        "tester");
    }

    /** Pushes {@code rows} samples (value = row * 10 + channel) stamped from {@code t0S}. */
    private static void push(Session s, int rows, double t0S) {
        try (SampleIngest in = s.openSampleStream()) {
            int n = in.beginChunk(CHANNELS, rows * CHANNELS, rows, 1000.0);
            for (int r = 0; r < n; r++) {
                for (int c = 0; c < CHANNELS; c++) {
                    in.rowBuffer()[c] = r * 10 + c;
                }
                in.offerRow(t0S + r * 0.001);
            }
            in.endChunk();
        }
    }

    private static void pushLabels(Session s, int rows, double t0S) {
        try (SampleIngest in = s.openLabelStream()) {
            int n = in.beginChunk(OUTPUTS, rows * OUTPUTS, rows, 0);
            for (int r = 0; r < n; r++) {
                in.rowBuffer()[0] = r;
                in.rowBuffer()[1] = -r;
                in.offerRow(t0S + r * 0.001);
            }
            in.endChunk();
        }
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long end = System.nanoTime() + 20_000_000_000L;
        while (!done.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(end);
            Thread.sleep(10);
        }
    }

    private static double counter(MeterRegistry r, String name, String session) {
        return r.get(name).tag("session", session).functionCounter().count();
    }

    @Test
    void shouldRecordTheSessionsSamplesLabelsAndOutputsToXdf() throws Exception {
        try (SpikeloopApplication app = start()) {
            Session s = create(app);
            pushLabels(s, 5, 99.0);
            push(s, 300, 100.0);
            await("300 steps", () -> s.steps() == 300);
            app.sessions().stop(s.id(), "tester");

            Path file = s.recording().file();
            assertThat(file.getParent()).isEqualTo(dir.resolve("recordings"));
            assertThat(file.getFileName().toString()).startsWith(s.id() + "-").endsWith(".xdf");
            XdfRecording rec = XdfReader.read(file);
            assertThat(rec.truncated()).isFalse();
            assertThat(rec.problems()).isEmpty();
            assertThat(rec.streams()).hasSize(3);
            XdfStream samples = rec.stream(s.recording().samplesStream());
            XdfStream labels = rec.stream(s.recording().labelsStream());
            XdfStream outputs = rec.stream(s.recording().outputsStream());
            assertThat(samples.info().name()).isEqualTo(SessionRecording.SAMPLES);
            assertThat(samples.info().channelCount()).isEqualTo(CHANNELS);
            assertThat(samples.sampleCount()).isEqualTo(300);
            assertThat(samples.samples().doubleValue(123, 2)).isEqualTo(1232.0);
            assertThat(samples.timestamps()[123]).isCloseTo(100.123, within());
            assertThat(labels.sampleCount()).isEqualTo(5);
            assertThat(labels.samples().doubleValue(4, 1)).isEqualTo(-4.0);
            assertThat(outputs.info().channelCount()).isEqualTo(OUTPUTS);
            assertThat(outputs.sampleCount()).isEqualTo(300);
            assertThat(outputs.timestamps()[299]).isCloseTo(100.299, within());
            // Complete headers (issue 16): host, creation time, the session and role, labelled
            // outputs; a gRPC source has no header of its own, so the samples keep the server's.
            for (XdfStream st : rec.streams()) {
                assertThat(st.info().hostname()).isNotBlank();
                assertThat(st.headerXml()).doesNotContain("<created_at>0</created_at>");
                assertThat(st.headerXml()).contains("<session_id>" + s.id() + "</session_id>");
            }
            assertThat(org.spikeloop.server.recording.StreamHeader.roleOf(samples.headerXml()))
                    .isEqualTo("samples");
            assertThat(org.spikeloop.server.recording.StreamHeader.roleOf(outputs.headerXml()))
                    .isEqualTo("outputs");
            assertThat(outputs.info().channelLabels()).containsExactly("output0", "output1");
            assertThat(labels.info().channelLabels()).containsExactly("output0", "output1");
            assertThat(samples.footerXml()).isNotNull(); // closed completely
            assertThat(outputs.footerXml()).isNotNull();
            assertThat(s.recording().writeErrors()).isZero();
            assertThat(s.recording().droppedChunks()).isZero();
        }
    }

    @Test
    void shouldRepairCountAndNeverRecordABadTimeStamp() throws Exception {
        try (SpikeloopApplication app = start()) {
            Session s = create(app);
            int rows = 1000;
            double t0S = System.nanoTime() * 1e-9 - 1.0; // on the server's clock: e2e is meaningful
            double[] sent = new double[rows];
            for (int r = 0; r < rows; r++) {
                sent[r] = t0S + r * 0.001;
            }
            sent[100] = Double.NaN;
            sent[200] = 1e300;
            sent[300] = -1e300;
            sent[400] = sent[399] - 5.0; // descending
            sent[500] = sent[499] + 1000.0; // far ahead, once
            sent[600] = Double.POSITIVE_INFINITY;
            try (SampleIngest in = s.openSampleStream()) {
                int n = in.beginChunk(CHANNELS, rows * CHANNELS, rows, 1000.0);
                for (int r = 0; r < n; r++) {
                    java.util.Arrays.fill(in.rowBuffer(), r % 3);
                    in.offerRow(sent[r]);
                }
                in.endChunk();
                assertThat(in.timestampsRepaired()).isEqualTo(6);
            }
            await(rows + " steps", () -> s.steps() == rows);

            var st = s.statistics();
            assertThat(st.samplesTimestampsRepaired()).isEqualTo(6);
            assertThat(
                            counter(
                                    app.metrics().registry(),
                                    "spikeloop.samples.timestamps.repaired",
                                    s.id()))
                    .isEqualTo(6.0);
            // One bad stamp among a thousand must not move the percentiles: the repaired stamps
            // continue the stream's own grid.
            assertThat(st.endToEndLatencyNs().getValueAtPercentile(99.0))
                    .isLessThan(10_000_000_000L);
            assertThat(st.endToEndLatencyNs().getMaxValue()).isLessThan(10_000_000_000L);
            app.sessions().stop(s.id(), "tester");

            XdfStream samples =
                    XdfReader.read(s.recording().file()).stream(s.recording().samplesStream());
            double[] ts = samples.timestamps();
            assertThat(ts).hasSize(rows);
            for (int r = 1; r < rows; r++) {
                assertThat(Double.isFinite(ts[r]) && ts[r] >= ts[r - 1])
                        .as("stamp %d: %s after %s", r, ts[r], ts[r - 1])
                        .isTrue();
            }
            // A repaired stamp is the previous one plus one sample period; good ones are as sent.
            assertThat(ts[100]).isCloseTo(sent[99] + 0.001, within());
            assertThat(ts[400]).isCloseTo(sent[399] + 0.001, within());
            assertThat(ts[501]).isEqualTo(sent[501]);
        }
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-9);
    }

    @Test
    void shouldCountAWriteErrorAndKeepDecodingWhenTheRecordingCannotBeCreated() throws Exception {
        try (SpikeloopApplication app = start()) {
            // The volume goes away under the server: the recordings directory is now a file.
            Path recordings = dir.resolve("recordings");
            Files.delete(recordings);
            Files.writeString(recordings, "not a directory");

            Session s = create(app);
            MeterRegistry r = app.metrics().registry();
            assertThat(counter(r, "spikeloop.recording.write.errors", s.id())).isEqualTo(1.0);
            assertThat(s.recording().failure()).isNotNull();
            push(s, 200, 5.0);
            await("200 steps", () -> s.steps() == 200);
            assertThat(counter(r, "spikeloop.recording.write.errors", s.id())).isEqualTo(1.0);
            assertThat(counter(r, "spikeloop.recording.dropped", s.id())).isZero();
            app.sessions().stop(s.id(), "tester");
        }
    }

    @Test
    void shouldCountAWriteErrorWhenTheDiskFailsMidRecording() throws Exception {
        // /dev/full accepts the open and fails every write with ENOSPC: a real I/O error.
        SessionRecording rec =
                SessionRecording.open(
                        "s-full",
                        Path.of("/dev/full"),
                        CHANNELS,
                        1000.0,
                        OUTPUTS,
                        false,
                        XdfRecorder.Config.defaults().withSyncPeriodNs(1_000_000L));
        float[] values = new float[10 * CHANNELS];
        double[] stamps = new double[10];
        rec.offer(rec.samplesStream(), values, stamps, 10);
        await("the recorder to fail", () -> rec.writeErrors() == 1);
        assertThat(rec.failure()).hasMessageContaining("No space left");
        rec.close();
        assertThat(rec.writeErrors()).isEqualTo(1);
    }

    @Test
    void shouldNotRecordWhenRecordingIsDisabled() throws Exception {
        Properties p = new Properties();
        p.setProperty("metrics.port", "-1");
        p.setProperty("audit.log", dir.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", dir.resolve("checkpoints").toString());
        p.setProperty("recordings.dir", dir.resolve("recordings").toString());
        p.setProperty("recording.enabled", "false");
        try (SpikeloopApplication app =
                SpikeloopApplication.start(
                        ServerConfig.apply(ServerConfig.defaults(), p),
                        InProcessServerBuilder.forName(InProcessServerBuilder.generateName()))) {
            Session s = create(app);
            assertThat(s.recording()).isNull();
            assertThat(app.metrics().registry().find("spikeloop.recording.write.errors").meters())
                    .isEmpty();
            app.sessions().stop(s.id(), "tester");
            try (var files = Files.list(dir.resolve("recordings"))) {
                assertThat(files).isEmpty();
            }
        }
    }
}
