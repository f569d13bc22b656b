package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.proto.v1.IngestServiceGrpc;
import org.spikeloop.proto.v1.IngestSummary;
import org.spikeloop.proto.v1.LabelChunk;
import org.spikeloop.proto.v1.SampleChunk;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.server.engine.SessionStatus;
import org.spikeloop.server.session.Session;

class IngestGrpcServiceTest {
    @TempDir Path dir;

    static SampleChunk chunk(String id, int channels, int rows, double t0, float value) {
        SampleChunk.Builder b = SampleChunk.newBuilder().setSessionId(id).setChannelCount(channels);
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < channels; c++) {
                b.addValues(c == r % channels ? value : 0f);
            }
            b.addTimestamps(t0 + r * 1e-3);
        }
        return b.build();
    }

    /** The in-process server with one limit changed. */
    private InProcessFixture withLimit(String key, String value) throws Exception {
        Properties p = new Properties();
        p.setProperty(key, value);
        return new InProcessFixture(dir, false, p);
    }

    /** Waits (up to 10 s) until the engine has stepped {@code s} at least {@code steps} times. */
    private static void awaitSteps(Session s, long steps) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (s.steps() < steps && System.nanoTime() < end) {
            Thread.sleep(5);
        }
    }

    /** A 4-channel gRPC-fed session (8 hidden, 2 outputs) on {@code f}'s server; its id. */
    private static String newSession(InProcessFixture f) {
        return SessionServiceGrpc.newBlockingStub(f.channel)
                .createSession(InProcessFixture.session(4, 8, 2))
                .getId();
    }

    @Test
    void shouldAcceptSamplesAndStepTheDecoderOncePerSample() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id =
                    SessionServiceGrpc.newBlockingStub(f.channel)
                            .createSession(InProcessFixture.session(4, 16, 2))
                            .getId();
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
            in.onNext(chunk(id, 4, 100, 1.0, 1f));
            in.onNext(chunk("", 4, 100, 1.1, 1f));
            in.onCompleted();
            assertThat(summary.await().isOk()).isTrue();
            assertThat(summary.messages.get(0).getAccepted()).isEqualTo(200);
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            long end = System.nanoTime() + 5_000_000_000L;
            while (sessions.getSession(SessionId.newBuilder().setSessionId(id).build()).getSteps()
                            < 200
                    && System.nanoTime() < end) {
                Thread.sleep(5);
            }
            assertThat(
                            sessions.getSession(SessionId.newBuilder().setSessionId(id).build())
                                    .getSteps())
                    .isEqualTo(200);
        }
    }

    @Test
    void shouldRejectAWrongChannelCountNamingTheField() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
            in.onNext(chunk(id, 5, 10, 1.0, 1f));
            Status s = summary.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(s.getDescription()).contains("channel_count").contains("expects 4");
        }
    }

    @Test
    void shouldRejectAWrongNominalRate() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
            in.onNext(chunk(id, 4, 10, 1.0, 1f).toBuilder().setNominalRateHz(500).build());
            Status s = summary.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(s.getDescription()).contains("nominal_rate_hz");
        }
    }

    @Test
    void shouldCountNonFiniteSamplesWithoutPassingThemOn() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
            in.onNext(chunk(id, 4, 10, 1.0, Float.NaN));
            in.onNext(chunk(id, 4, 10, 1.1, Float.POSITIVE_INFINITY));
            in.onNext(chunk(id, 4, 10, 1.2, 1f));
            in.onCompleted();
            assertThat(summary.await().isOk()).isTrue();
            // Rows r with c == r % 4 carry the value: every row has one, so all 20 bad rows are
            // rejected.
            assertThat(summary.messages.get(0).getRejectedNonFinite()).isEqualTo(20);
            assertThat(summary.messages.get(0).getAccepted()).isEqualTo(10);
        }
    }

    @Test
    void shouldRefuseASecondConcurrentSampleStream() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            Responses<IngestSummary> first = new Responses<>();
            var a = IngestServiceGrpc.newStub(f.channel).pushSamples(first);
            a.onNext(chunk(id, 4, 1, 1.0, 1f));
            Thread.sleep(200);
            Responses<IngestSummary> second = new Responses<>();
            var b = IngestServiceGrpc.newStub(f.channel).pushSamples(second);
            b.onNext(chunk(id, 4, 1, 1.0, 1f));
            assertThat(second.await().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            a.onCompleted();
            assertThat(first.await().isOk()).isTrue();
        }
    }

    @Test
    void shouldRefuseAnIngestRateAboveTheLimit() throws Exception {
        try (InProcessFixture f = withLimit("limits.maxIngestSamplesPerSecond", "500")) {
            String id = newSession(f);
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
            in.onNext(chunk(id, 4, 400, 1.0, 1f));
            in.onNext(chunk(id, 4, 400, 1.4, 1f));
            Status s = summary.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(s.getDescription()).contains("limits.maxIngestSamplesPerSecond");
        }
    }

    @Test
    void shouldKeepTheSessionsIngestBudgetAcrossReconnects() throws Exception {
        try (InProcessFixture f = withLimit("limits.maxIngestSamplesPerSecond", "500")) {
            String id = newSession(f);
            Responses<IngestSummary> first = new Responses<>();
            var a = IngestServiceGrpc.newStub(f.channel).pushSamples(first);
            a.onNext(chunk(id, 4, 500, 1.0, 1f)); // the whole second of burst
            a.onCompleted();
            assertThat(first.await().isOk()).isTrue();
            // A new stream does not get a new budget: the session's is spent for a second.
            Responses<IngestSummary> second = new Responses<>();
            var b = IngestServiceGrpc.newStub(f.channel).pushSamples(second);
            b.onNext(chunk(id, 4, 500, 1.5, 1f));
            Status s = second.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(s.getDescription())
                    .contains("limits.maxIngestSamplesPerSecond = 500.0 rows per second")
                    .contains("session " + id);
        }
    }

    @Test
    void shouldChargeEmptyChunksAgainstTheRowBudget() throws Exception {
        try (InProcessFixture f = withLimit("limits.maxIngestSamplesPerSecond", "500")) {
            String id = newSession(f);
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
            SampleChunk empty =
                    SampleChunk.newBuilder().setSessionId(id).setChannelCount(4).build();
            for (int i = 0; i < 2000 && summary.status == null; i++) {
                in.onNext(empty);
            }
            Status s = summary.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(s.getDescription()).contains("every chunk costs at least one row");
        }
    }

    @Test
    void shouldRefuseIngestAboveTheByteBudget() throws Exception {
        try (InProcessFixture f = withLimit("limits.maxIngestBytesPerSecond", "2048")) {
            String id = newSession(f);
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
            SampleChunk big = chunk(id, 4, 100, 1.0, 1f); // 100 rows of 16 + 8 bytes
            assertThat(big.getSerializedSize()).isGreaterThan(2048);
            in.onNext(big);
            Status s = summary.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(s.getDescription())
                    .contains("limits.maxIngestBytesPerSecond = 2048.0 bytes per second");
        }
    }

    @Test
    void shouldRejectAnOversizedMessage() throws Exception {
        Properties p = new Properties();
        p.setProperty("limits.maxMessageBytes", "4096");
        // The in-process transport passes objects unserialised; the size limit needs a real one.
        try (InProcessFixture f = InProcessFixture.overLoopback(dir, p)) {
            String id = newSession(f);
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
            in.onNext(chunk(id, 4, 1000, 1.0, 1f));
            Status s = summary.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(s.getDescription()).contains("4096");
        }
    }

    @Test
    void shouldRejectALabelWidthDifferentFromTheDecoderOutputs() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushLabels(summary);
            in.onNext(
                    LabelChunk.newBuilder()
                            .setSessionId(id)
                            .setLabelDim(3)
                            .addValues(1)
                            .addValues(2)
                            .addValues(3)
                            .addTimestamps(1)
                            .build());
            Status s = summary.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(s.getDescription()).contains("label_dim");
        }
    }

    @Test
    void shouldAnswerNotFoundForSamplesToAnUnknownSession() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
            in.onNext(chunk("s-missing", 4, 1, 1.0, 1f));
            assertThat(summary.await().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        }
    }

    /**
     * Puts a session into ERROR the way an engine fault does: an {@code Error} out of a command
     * leaves the engine's cycle, and its pool's guard fails the session.
     */
    static void failEngine(InProcessFixture f, String id) throws Exception {
        Session s = f.app.sessions().get(id);
        s.command(
                e -> {
                    throw new AssertionError("injected engine fault");
                });
        long end = System.nanoTime() + 10_000_000_000L;
        while (s.status() != SessionStatus.ERROR && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        assertThat(s.status()).isEqualTo(SessionStatus.ERROR);
    }

    private static LabelChunk label(String id, double t) {
        return LabelChunk.newBuilder()
                .setSessionId(id)
                .setLabelDim(2)
                .addValues(1)
                .addValues(0)
                .addTimestamps(t)
                .build();
    }

    @Test
    void shouldEndIngestStreamsWithFailedPreconditionNamingTheFailureOnceTheSessionIsInError()
            throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            Responses<IngestSummary> samples = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(samples);
            in.onNext(chunk(id, 4, 100, 1.0, 1f));
            Responses<IngestSummary> labels = new Responses<>();
            var labelsIn = IngestServiceGrpc.newStub(f.channel).pushLabels(labels);
            labelsIn.onNext(label(id, 1.0));
            awaitSteps(f.app.sessions().get(id), 100);
            failEngine(f, id);
            // The engine discards what reaches it now: the streams end instead of counting the
            // rows accepted (before: the next chunk was "accepted" and the summary said so).
            in.onNext(chunk(id, 4, 100, 1.1, 1f));
            in.onCompleted();
            Status s = samples.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(s.getDescription())
                    .contains("session " + id + " is in ERROR")
                    .contains("injected engine fault");
            assertThat(samples.messages).isEmpty();
            labelsIn.onNext(label(id, 1.2));
            Status l = labels.await();
            assertThat(l.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(l.getDescription()).contains("session " + id + " is in ERROR");
            // A new stream is refused at its first chunk.
            Responses<IngestSummary> again = new Responses<>();
            IngestServiceGrpc.newStub(f.channel)
                    .pushSamples(again)
                    .onNext(chunk(id, 4, 10, 1.3, 1f));
            assertThat(again.await().getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
        }
    }

    @Test
    void shouldEndAStreamThatHalfClosesAfterTheSessionFailedWithTheFailureNotASummary()
            throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
            in.onNext(chunk(id, 4, 10, 1.0, 1f));
            awaitSteps(f.app.sessions().get(id), 10);
            failEngine(f, id);
            in.onCompleted();
            Status s = summary.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(s.getDescription()).contains("injected engine fault");
        }
    }

    @Test
    void shouldEndAnIngestStreamWithFailedPreconditionWhenItsSessionIsStopped() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            String id = newSession(f);
            Session session = f.app.sessions().get(id);
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
            in.onNext(chunk(id, 4, 10, 1.0, 1f));
            awaitSteps(session, 10);
            sessions.stopSession(SessionId.newBuilder().setSessionId(id).build());
            // Before: the stream went on "accepting" into a ring nobody reads (counted as
            // dropped_ring_full once it filled) and the summary came back OK.
            for (int i = 0; i < 100 && summary.status == null; i++) {
                in.onNext(chunk(id, 4, 100, 1.1 + i * 0.1, 1f));
            }
            in.onCompleted();
            Status s = summary.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(s.getDescription()).isEqualTo("session " + id + " is stopped");
            assertThat(session.statistics().samplesDropped()).isZero();
        }
    }
}
