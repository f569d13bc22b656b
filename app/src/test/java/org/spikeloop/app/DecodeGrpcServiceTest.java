package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.proto.v1.DecodedFrames;
import org.spikeloop.proto.v1.FrameField;
import org.spikeloop.proto.v1.IngestServiceGrpc;
import org.spikeloop.proto.v1.IngestSummary;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.TrialDecision;
import org.spikeloop.proto.v1.WatchDecisionsRequest;
import org.spikeloop.proto.v1.WatchRequest;
import org.spikeloop.server.engine.FramePublisher;

class DecodeGrpcServiceTest {
    @TempDir Path dir;

    private static void push(InProcessFixture f, String id, int rows, double t0) throws Exception {
        Responses<IngestSummary> summary = new Responses<>();
        var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
        for (int i = 0; i < rows / 100; i++) {
            in.onNext(IngestGrpcServiceTest.chunk(id, 4, 100, t0 + i * 0.1, 1f));
        }
        in.onCompleted();
        assertThat(summary.await().isOk()).isTrue();
    }

    private static long waitForSteps(InProcessFixture f, String id, long n)
            throws InterruptedException {
        var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
        long end = System.nanoTime() + 10_000_000_000L;
        long steps;
        while ((steps =
                                sessions.getSession(SessionId.newBuilder().setSessionId(id).build())
                                        .getSteps())
                        < n
                && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        return steps;
    }

    @Test
    void shouldStreamOneFramePerStepWithTimesAndOutputs() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            Responses<DecodedFrame> frames = new Responses<>();
            DecodeServiceGrpc.newStub(f.channel)
                    .watch(WatchRequest.newBuilder().setSessionId(id).build(), frames);
            Thread.sleep(100); // the watcher subscribes from the next frame on
            push(f, id, 300, 5.0);
            frames.awaitMessages(300);
            DecodedFrame first = frames.messages.get(0);
            assertThat(first.getOutputsCount()).isEqualTo(2);
            assertThat(first.getSourceTimestamp()).isEqualTo(5.0);
            assertThat(first.getDecodeTime()).isGreaterThanOrEqualTo(first.getArrivalTime());
            for (int i = 1; i < 300; i++) {
                assertThat(frames.messages.get(i).getStep()).isEqualTo(first.getStep() + i);
            }
            var stats =
                    DecodeServiceGrpc.newBlockingStub(f.channel)
                            .getStatistics(SessionId.newBuilder().setSessionId(id).build());
            assertThat(stats.getSteps()).isEqualTo(300);
            assertThat(stats.getStepLatency().getCount()).isEqualTo(300);
            assertThat(stats.getStepLatency().getP99Us()).isGreaterThan(0);
        }
    }

    @Test
    void shouldSayInTheStatisticsWhetherTheSessionIsRecordingAndWhyNot() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            var decode = DecodeServiceGrpc.newBlockingStub(f.channel);
            // The volume goes away under the server: the recordings directory is now a file.
            Path recordings = dir.resolve("recordings");
            Files.delete(recordings);
            Files.writeString(recordings, "not a directory");
            String broken = sessions.createSession(InProcessFixture.session(4, 16, 2)).getId();
            push(f, broken, 100, 5.0);
            assertThat(waitForSteps(f, broken, 100)).isEqualTo(100);
            var st = decode.getStatistics(SessionId.newBuilder().setSessionId(broken).build());
            assertThat(st.getRecordingFile()).startsWith(broken).endsWith(".xdf");
            assertThat(st.getRecordingError()).contains("Exception").contains("recordings");
            assertThat(st.getSteps()).as("it keeps decoding").isEqualTo(100);

            Files.delete(recordings);
            Files.createDirectory(recordings);
            String fine = sessions.createSession(InProcessFixture.session(4, 16, 2)).getId();
            push(f, fine, 100, 5.0);
            st = decode.getStatistics(SessionId.newBuilder().setSessionId(fine).build());
            assertThat(st.getRecordingFile()).startsWith(fine).endsWith(".xdf");
            assertThat(recordings.resolve(st.getRecordingFile())).exists();
            assertThat(st.getRecordingError()).isEmpty();
            assertThat(st.getRecordingChunksDropped()).isZero();
        }
    }

    @Test
    void shouldFillOnlyTheSelectedFields() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            Responses<DecodedFrame> frames = new Responses<>();
            DecodeServiceGrpc.newStub(f.channel)
                    .watch(
                            WatchRequest.newBuilder()
                                    .setSessionId(id)
                                    .addFields(FrameField.FRAME_FIELD_TIMES)
                                    .build(),
                            frames);
            Thread.sleep(100);
            push(f, id, 100, 1.0);
            frames.awaitMessages(100);
            assertThat(frames.messages.get(0).getOutputsCount()).isZero();
            assertThat(frames.messages.get(0).getSourceTimestamp()).isEqualTo(1.0);
        }
    }

    @Test
    void shouldLimitTheFrameRateOfARateLimitedWatcher() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            Responses<DecodedFrame> frames = new Responses<>();
            DecodeServiceGrpc.newStub(f.channel)
                    .watch(
                            WatchRequest.newBuilder().setSessionId(id).setMaxRateHz(10).build(),
                            frames);
            Thread.sleep(100);
            long t0 = System.nanoTime();
            for (int k = 0; k < 10; k++) {
                push(f, id, 100, 1.0 + k * 0.1); // 1000 samples over about a second
                Thread.sleep(100);
            }
            double seconds = (System.nanoTime() - t0) * 1e-9;
            waitForSteps(f, id, 1000);
            assertThat(frames.messages.size())
                    .isGreaterThan(0)
                    .isLessThanOrEqualTo((int) Math.ceil(seconds * 10) + 2);
        }
    }

    @Test
    void shouldCountDropsForAWatcherThatStopsReadingWhileOthersGetEveryFrame() throws Exception {
        Properties p = new Properties();
        p.setProperty("engine.outputRingFrames", "512");
        // Over HTTP/2 a reading watcher has a transport buffer; in-process it would wait for
        // each request and so also fall behind a 64-frame ring.
        try (InProcessFixture f = InProcessFixture.overLoopback(dir, p)) {
            String id = newSession(f);
            AtomicInteger slowGot = new AtomicInteger();
            // A small HTTP/2 window, so that a watcher that stops reading fills it within seconds.
            var slowChannel =
                    io.grpc.netty.NettyChannelBuilder.forAddress("127.0.0.1", f.app.grpcPort())
                            .usePlaintext()
                            .flowControlWindow(4096)
                            .build();
            DecodeServiceGrpc.newStub(slowChannel)
                    .watch(
                            WatchRequest.newBuilder().setSessionId(id).build(),
                            new ClientResponseObserver<WatchRequest, DecodedFrame>() {
                                @Override
                                public void beforeStart(
                                        ClientCallStreamObserver<WatchRequest> call) {
                                    call.disableAutoRequestWithInitial(
                                            1); // reads one frame, then stops
                                }

                                @Override
                                public void onNext(DecodedFrame value) {
                                    slowGot.incrementAndGet();
                                }

                                @Override
                                public void onError(Throwable t) {}

                                @Override
                                public void onCompleted() {}
                            });
            Responses<DecodedFrame> fast = new Responses<>();
            DecodeServiceGrpc.newStub(f.channel)
                    .watch(WatchRequest.newBuilder().setSessionId(id).build(), fast);
            Thread.sleep(100);
            // Real time: 10 samples every 10 ms (1 kHz); the 512-frame ring gives a reader 0.5 s.
            Responses<IngestSummary> summary = new Responses<>();
            var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
            for (int i = 0; i < 400; i++) {
                in.onNext(IngestGrpcServiceTest.chunk(id, 4, 10, 1.0 + i * 0.01, 1f));
                Thread.sleep(10);
            }
            in.onCompleted();
            assertThat(summary.await().isOk()).isTrue();
            fast.awaitMessages(4000);
            waitForSteps(f, id, 4000);
            Thread.sleep(100);
            var stats =
                    DecodeServiceGrpc.newBlockingStub(f.channel)
                            .getStatistics(SessionId.newBuilder().setSessionId(id).build());
            assertThat(stats.getSteps()).isEqualTo(4000);
            assertThat(slowGot.get()).isLessThan(10);
            assertThat(stats.getWatcherFramesDropped()).isGreaterThan(1000);
            assertThat(fast.messages).hasSize(4000);
            assertThat(fast.messages.get(3999).getFramesDropped()).isZero();
            slowChannel.shutdownNow();
        }
    }

    /** Bytes allocated so far by the live threads whose name starts with {@code prefix}. */
    /** A new 4-channel session of 16 hidden units and 2 outputs; returns its id. */
    private static String newSession(InProcessFixture f) {
        return SessionServiceGrpc.newBlockingStub(f.channel)
                .createSession(InProcessFixture.session(4, 16, 2))
                .getId();
    }

    /** A WatchBatched stream of session {@code id} with the given batch interval (0 = none). */
    private static Responses<DecodedFrames> watchBatched(
            InProcessFixture f, String id, int batchIntervalMs) {
        Responses<DecodedFrames> batches = new Responses<>();
        DecodeServiceGrpc.newStub(f.channel)
                .watchBatched(
                        WatchRequest.newBuilder()
                                .setSessionId(id)
                                .setBatchIntervalMs(batchIntervalMs)
                                .build(),
                        batches);
        return batches;
    }

    /**
     * The frames of a WatchBatched stream's messages, each message holding 1 to 64 of them, every
     * frame the next step of the one before, with 2 outputs and none dropped.
     */
    private static List<DecodedFrame> everyFrameInOrder(List<DecodedFrames> messages) {
        List<DecodedFrame> frames = new ArrayList<>();
        for (DecodedFrames b : messages) {
            assertThat(b.getFramesCount()).isBetween(1, 64);
            frames.addAll(b.getFramesList());
        }
        for (int i = 1; i < frames.size(); i++) {
            assertThat(frames.get(i).getStep()).isEqualTo(frames.get(i - 1).getStep() + 1);
            assertThat(frames.get(i).getOutputsCount()).isEqualTo(2);
            assertThat(frames.get(i).getFramesDropped()).isZero();
        }
        return frames;
    }

    private static long allocatedBy(String prefix) {
        var threads =
                (com.sun.management.ThreadMXBean)
                        java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (java.lang.management.ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().startsWith(prefix)) {
                sum += Math.max(0, threads.getThreadAllocatedBytes(t.getThreadId()));
            }
        }
        return sum;
    }

    /**
     * Over Netty (the transport that drains each message before {@code onNext} returns) every frame
     * reaches the watcher intact from the watcher's one reused buffer, sent by the delivery thread;
     * the engine thread, which also records the session, allocates nothing per step.
     */
    @Test
    void shouldDeliverEveryFrameOffTheEngineThreadWhichAllocatesNothing() throws Exception {
        try (InProcessFixture f = InProcessFixture.overLoopback(dir, new Properties())) {
            String id = newSession(f);
            Responses<DecodedFrame> frames = new Responses<>();
            DecodeServiceGrpc.newStub(f.channel)
                    .watch(WatchRequest.newBuilder().setSessionId(id).build(), frames);
            Thread.sleep(100);
            int rows = 4000;
            pushPaced(f, id, rows, 1.0); // warm-up: the JIT compiles both paths
            frames.awaitMessages(rows);
            long engine0 = allocatedBy("spikeloop-engines-");
            long delivery0 = allocatedBy("spikeloop-delivery");
            // Stamps go on where the warm-up's ended (a jump would be repaired by the stamp rule).
            pushPaced(f, id, rows, 1.0 + rows / 1000.0);
            frames.awaitMessages(2 * rows);
            assertThat(waitForSteps(f, id, 2L * rows)).isEqualTo(2L * rows);
            long engineBytes = allocatedBy("spikeloop-engines-") - engine0;
            long deliveryBytes = allocatedBy("spikeloop-delivery") - delivery0;
            System.out.printf(
                    "over Netty, %d frames: engine thread %d B, delivery thread %d B (%.1f B/frame)%n",
                    rows, engineBytes, deliveryBytes, deliveryBytes / (double) rows);
            for (int i = 1; i < 2 * rows; i++) {
                DecodedFrame a = frames.messages.get(i - 1);
                DecodedFrame b = frames.messages.get(i);
                assertThat(b.getStep()).isEqualTo(a.getStep() + 1);
                assertThat(b.getOutputsCount()).isEqualTo(2);
                assertThat(b.getSamplesSkipped()).isZero();
            }
            assertThat(frames.messages.get(rows).getSourceTimestamp())
                    .isCloseTo(1.0 + rows / 1000.0, org.assertj.core.api.Assertions.within(1e-9));
            // Nothing per step: the smallest object is 16 B, so any allocation per step would be
            // 64 000 B here. What the engine thread may allocate is the recording's chunk pool
            // growing (XdfRecorder: a chunk when none is free, i.e. when the recorder thread lags,
            // as on a loaded machine: 2-5 KB seen here with load average 9).
            assertThat(engineBytes)
                    .as("engine thread, bytes over %d steps", rows)
                    .isLessThan(4L * rows);
            // What remains is gRPC's own framing (151 B/frame measured: its write buffer, the
            // command to Netty, a promise); with a protobuf message built per frame it was ~500.
            assertThat(deliveryBytes).isPositive().isLessThan(300L * rows);
        }
    }

    /**
     * WatchBatched: the same frames as Watch, each once and in order, several to a message (the
     * frames one delivery pass had: the paced pushes bring ten at a time), and the delivery
     * thread's cost per frame a fraction of Watch's one message per frame (~150 B, the test above).
     */
    @Test
    void shouldDeliverEveryFrameInBatchesAtAFractionOfTheCostPerFrame() throws Exception {
        try (InProcessFixture f = InProcessFixture.overLoopback(dir, new Properties())) {
            String id = newSession(f);
            Responses<DecodedFrames> batches = watchBatched(f, id, 0);
            Thread.sleep(100);
            int rows = 4000;
            pushPaced(f, id, rows, 1.0); // warm-up
            awaitFrames(batches, rows);
            long delivery0 = allocatedBy("spikeloop-delivery");
            int messages0 = batches.messages.size();
            pushPaced(f, id, rows, 1.0 + rows / 1000.0);
            awaitFrames(batches, 2 * rows);
            long deliveryBytes = allocatedBy("spikeloop-delivery") - delivery0;
            int messages = batches.messages.size() - messages0;
            System.out.printf(
                    "WatchBatched over Netty, %d frames in %d messages: delivery thread %d B"
                            + " (%.1f B/frame)%n",
                    rows, messages, deliveryBytes, deliveryBytes / (double) rows);
            List<DecodedFrame> frames = everyFrameInOrder(batches.messages);
            assertThat(frames).hasSize(2 * rows);
            assertThat(frames.get(rows).getSourceTimestamp())
                    .isCloseTo(1.0 + rows / 1000.0, org.assertj.core.api.Assertions.within(1e-9));
            assertThat(messages).isLessThan(rows / 2);
            assertThat(deliveryBytes).isPositive().isLessThan(60L * rows);
        }
    }

    /**
     * WatchBatched with batch_interval_ms: a sample-by-sample source (one frame a delivery pass)
     * reaches the watcher whole and in order, gathered into messages of many frames sent at most
     * every 20 ms, so that gRPC's per-message cost is shared by the frames. Counts, not times: the
     * messages are bounded by the span of the frames' publish times over the interval.
     */
    @Test
    void shouldGatherEveryFrameOfASampleBySampleSourceIntoAMessageEveryBatchInterval()
            throws Exception {
        try (InProcessFixture f = InProcessFixture.overLoopback(dir, new Properties())) {
            String id = newSession(f);
            Responses<DecodedFrames> batches = watchBatched(f, id, 20);
            awaitWatchers(f, id, 1);
            int rows = 2000;
            pushOneByOne(f, id, rows, 1.0); // warm-up: the JIT compiles the path
            awaitFrames(batches, rows);
            long delivery0 = allocatedBy("spikeloop-delivery");
            int messages0 = batches.messages.size();
            pushOneByOne(f, id, rows, 1.0 + rows / 1000.0);
            awaitFrames(batches, 2 * rows);
            long deliveryBytes = allocatedBy("spikeloop-delivery") - delivery0;
            List<DecodedFrames> measured =
                    batches.messages.subList(messages0, batches.messages.size());
            System.out.printf(
                    "WatchBatched with batch_interval_ms 20 over Netty, one sample a chunk: %d"
                            + " frames in %d messages: delivery thread %d B (%.1f B/frame)%n",
                    rows, measured.size(), deliveryBytes, deliveryBytes / (double) rows);
            List<DecodedFrame> frames = everyFrameInOrder(batches.messages);
            assertThat(frames).hasSize(2 * rows);
            assertThat(frames.get(rows).getSourceTimestamp())
                    .isCloseTo(1.0 + rows / 1000.0, org.assertj.core.api.Assertions.within(1e-9));
            // Far fewer messages than frames, most of them with several frames.
            assertThat(measured.size()).isLessThan(rows / 5);
            assertThat(measured.stream().filter(b -> b.getFramesCount() > 1).count())
                    .isGreaterThan(measured.size() * 3L / 4);
            // At most one message per 20 ms of the server's clock (a full message may go sooner):
            // the messages span the frames' publish times plus at most one interval.
            double spanS =
                    frames.get(frames.size() - 1).getDecodeTime() - frames.get(0).getDecodeTime();
            long notFull = batches.messages.stream().filter(b -> b.getFramesCount() < 64).count();
            assertThat(notFull).isLessThanOrEqualTo((long) Math.ceil(spanS / 0.020) + 2);
            assertThat(deliveryBytes).isPositive().isLessThan(60L * rows);
        }
    }

    /**
     * The frames a watcher holds go out once their interval is due even when no frame follows them:
     * the delivery thread's idle park ends within 1 ms and its next pass sends them.
     */
    @Test
    void shouldSendTheGatheredFramesWhenNoFrameFollowsThem() throws Exception {
        try (InProcessFixture f = InProcessFixture.overLoopback(dir, new Properties())) {
            String id = newSession(f);
            Responses<DecodedFrames> batches =
                    watchBatched(f, id, FramePublisher.MAX_BATCH_INTERVAL_MS);
            awaitWatchers(f, id, 1);
            pushOneByOne(f, id, 30, 1.0); // 30 ms of samples, then nothing
            awaitFrames(batches, 30);
            List<DecodedFrame> frames = everyFrameInOrder(batches.messages);
            assertThat(frames).hasSize(30);
            // The first pass's frames at once, the rest 100 ms later (two messages, unless the
            // pusher was slowed down: then one more per 100 ms its frames were spread over).
            double spanS =
                    frames.get(frames.size() - 1).getDecodeTime() - frames.get(0).getDecodeTime();
            assertThat(batches.messages.size())
                    .isLessThanOrEqualTo((int) Math.ceil(spanS / 0.1) + 2);
        }
    }

    @Test
    void shouldRefuseABatchIntervalOnWatchAndOneBeyondItsBound() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            var decode = DecodeServiceGrpc.newStub(f.channel);
            Responses<DecodedFrame> watch = new Responses<>();
            decode.watch(
                    WatchRequest.newBuilder().setSessionId(id).setBatchIntervalMs(20).build(),
                    watch);
            Status refused = watch.await();
            assertThat(refused.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
            assertThat(refused.getDescription())
                    .isEqualTo(
                            "batch_interval_ms: WatchBatched only (Watch sends each frame in a"
                                    + " message of its own), got 20");
            for (int ms : new int[] {FramePublisher.MAX_BATCH_INTERVAL_MS + 1, -1}) {
                Responses<DecodedFrames> batched = new Responses<>();
                decode.watchBatched(
                        WatchRequest.newBuilder().setSessionId(id).setBatchIntervalMs(ms).build(),
                        batched);
                Status tooLong = batched.await();
                assertThat(tooLong.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                assertThat(tooLong.getDescription())
                        .isEqualTo(
                                "batch_interval_ms: must be within [0, 100], got "
                                        + Integer.toUnsignedString(ms));
            }
            assertThat(f.app.sessions().get(id).watchers()).isZero();
            // The bound itself is taken.
            decode.watchBatched(
                    WatchRequest.newBuilder()
                            .setSessionId(id)
                            .setBatchIntervalMs(FramePublisher.MAX_BATCH_INTERVAL_MS)
                            .build(),
                    new Responses<>());
            awaitWatchers(f, id, 1);
        }
    }

    /** Pushes {@code rows} one-sample chunks, one every millisecond (a sample-by-sample rig). */
    private static void pushOneByOne(InProcessFixture f, String id, int rows, double t0)
            throws Exception {
        Responses<IngestSummary> summary = new Responses<>();
        var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
        long start = System.nanoTime();
        for (int i = 0; i < rows; i++) {
            long wait = start + i * 1_000_000L - System.nanoTime();
            if (wait > 0) {
                java.util.concurrent.locks.LockSupport.parkNanos(wait);
            }
            in.onNext(IngestGrpcServiceTest.chunk(id, 4, 1, t0 + i * 0.001, 1f));
        }
        in.onCompleted();
        assertThat(summary.await().isOk()).isTrue();
    }

    private static void awaitFrames(Responses<DecodedFrames> batches, int n) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (batches.messages.stream().mapToInt(DecodedFrames::getFramesCount).sum() < n) {
            assertThat(System.nanoTime()).as("%d frames within 20 s", n).isLessThan(end);
            Thread.sleep(5);
        }
    }

    /** Pushes {@code rows} samples in chunks of 10 every 10 ms (real time at 1 kHz). */
    private static void pushPaced(InProcessFixture f, String id, int rows, double t0)
            throws Exception {
        Responses<IngestSummary> summary = new Responses<>();
        var in = IngestServiceGrpc.newStub(f.channel).pushSamples(summary);
        for (int i = 0; i < rows / 10; i++) {
            in.onNext(IngestGrpcServiceTest.chunk(id, 4, 10, t0 + i * 0.01, 1f));
            Thread.sleep(10);
        }
        in.onCompleted();
        assertThat(summary.await().isOk()).isTrue();
    }

    @Test
    void shouldKeepTheSessionRunningWhenAWatcherDisconnectsMidStream() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            CountDownLatch gotOne = new CountDownLatch(1);
            ClientCallStreamObserver<?>[] call = new ClientCallStreamObserver<?>[1];
            DecodeServiceGrpc.newStub(f.channel)
                    .watch(
                            WatchRequest.newBuilder().setSessionId(id).build(),
                            new ClientResponseObserver<WatchRequest, DecodedFrame>() {
                                @Override
                                public void beforeStart(ClientCallStreamObserver<WatchRequest> c) {
                                    call[0] = c;
                                }

                                @Override
                                public void onNext(DecodedFrame value) {
                                    gotOne.countDown();
                                }

                                @Override
                                public void onError(Throwable t) {}

                                @Override
                                public void onCompleted() {}
                            });
            Thread.sleep(100);
            push(f, id, 100, 1.0);
            assertThat(gotOne.await(5, TimeUnit.SECONDS)).isTrue();
            call[0].cancel("watcher leaves", null);
            push(f, id, 100, 1.1);
            assertThat(waitForSteps(f, id, 200)).isEqualTo(200);
            long end = System.nanoTime() + 5_000_000_000L;
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            while (sessions.getSession(SessionId.newBuilder().setSessionId(id).build())
                                    .getWatchers()
                            > 0
                    && System.nanoTime() < end) {
                Thread.sleep(10);
            }
            assertThat(
                            sessions.getSession(SessionId.newBuilder().setSessionId(id).build())
                                    .getWatchers())
                    .isZero();
        }
    }

    @Test
    void shouldRefuseWatchersBeyondTheLimit() throws Exception {
        Properties p = new Properties();
        p.setProperty("limits.maxWatchersPerSession", "1");
        p.setProperty("limits.operatorWatchSlots", "0");
        try (InProcessFixture f = new InProcessFixture(dir, false, p)) {
            String id = newSession(f);
            DecodeServiceGrpc.newStub(f.channel)
                    .watch(WatchRequest.newBuilder().setSessionId(id).build(), new Responses<>());
            // The two watch calls are asynchronous: let the first one register before the second
            // arrives, or the server may (correctly) refuse the first instead.
            long deadlineNs = System.nanoTime() + 10_000_000_000L;
            while (f.app.sessions().get(id).watchers() < 1 && System.nanoTime() < deadlineNs) {
                Thread.sleep(5);
            }
            assertThat(f.app.sessions().get(id).watchers()).isEqualTo(1);
            Responses<DecodedFrame> second = new Responses<>();
            DecodeServiceGrpc.newStub(f.channel)
                    .watch(WatchRequest.newBuilder().setSessionId(id).build(), second);
            Status s = second.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(s.getDescription()).contains("limits.maxWatchersPerSession = 1");
        }
    }

    @Test
    void shouldKeepWatchSlotsForOperatorsThatViewersCannotTake() throws Exception {
        Properties p = new Properties();
        p.setProperty("limits.maxWatchersPerSession", "3");
        p.setProperty("limits.operatorWatchSlots", "1");
        try (InProcessFixture f = new InProcessFixture(dir, true, p)) {
            String id =
                    InProcessFixture.withToken(
                                    SessionServiceGrpc.newBlockingStub(f.channel),
                                    InProcessFixture.OPERATOR_TOKEN)
                            .createSession(InProcessFixture.session(4, 16, 2))
                            .getId();
            var viewer =
                    InProcessFixture.withToken(
                            DecodeServiceGrpc.newStub(f.channel), InProcessFixture.VIEWER_TOKEN);
            var operator =
                    InProcessFixture.withToken(
                            DecodeServiceGrpc.newStub(f.channel), InProcessFixture.OPERATOR_TOKEN);
            WatchRequest watch = WatchRequest.newBuilder().setSessionId(id).build();
            for (int i = 1; i <= 2; i++) {
                viewer.watch(watch, new Responses<>());
                awaitWatchers(f, id, i);
            }
            Responses<DecodedFrame> third = new Responses<>();
            viewer.watch(watch, third);
            Status refused = third.await();
            assertThat(refused.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(refused.getDescription())
                    .contains("viewers hold every Watch slot they may take")
                    .contains("kept for operators (limits.operatorWatchSlots)");
            // The operator still gets in.
            operator.watch(watch, new Responses<>());
            awaitWatchers(f, id, 3);
            Responses<DecodedFrame> full = new Responses<>();
            operator.watch(watch, full);
            assertThat(full.await().getDescription()).contains("limits.maxWatchersPerSession = 3");
        }
    }

    private static void awaitWatchers(InProcessFixture f, String id, int n) throws Exception {
        long deadlineNs = System.nanoTime() + 10_000_000_000L;
        while (f.app.sessions().get(id).watchers() < n && System.nanoTime() < deadlineNs) {
            Thread.sleep(5);
        }
        assertThat(f.app.sessions().get(id).watchers()).isEqualTo(n);
    }

    @Test
    void shouldCompleteWatchStreamsWhenTheSessionStops() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            var sessions = SessionServiceGrpc.newBlockingStub(f.channel);
            String id = sessions.createSession(InProcessFixture.session(4, 16, 2)).getId();
            Responses<DecodedFrame> frames = new Responses<>();
            DecodeServiceGrpc.newStub(f.channel)
                    .watch(WatchRequest.newBuilder().setSessionId(id).build(), frames);
            // Subscribed before the stop: waited for, not assumed after a fixed sleep.
            awaitWatchers(f, id, 1);
            sessions.stopSession(SessionId.newBuilder().setSessionId(id).build());
            Status st = frames.await();
            assertThat(st.isOk()).as(st.toString()).isTrue();
        }
    }

    @Test
    void shouldEndWatchStreamsPromptlyWithTheFailureWhenTheSessionGoesToError() throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            WatchRequest watch = WatchRequest.newBuilder().setSessionId(id).build();
            Responses<DecodedFrame> frames = new Responses<>();
            Responses<DecodedFrames> batched = new Responses<>();
            DecodeServiceGrpc.newStub(f.channel).watch(watch, frames);
            DecodeServiceGrpc.newStub(f.channel).watchBatched(watch, batched);
            awaitWatchers(f, id, 2);
            push(f, id, 100, 1.0);
            frames.awaitMessages(100);
            IngestGrpcServiceTest.failEngine(f, id);
            // Before: both streams stayed open without a frame until the session was stopped.
            for (Responses<?> r : List.of(frames, batched)) {
                assertThat(r.done.await(2, TimeUnit.SECONDS)).isTrue();
                assertThat(r.status.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
                assertThat(r.status.getDescription())
                        .startsWith("session " + id + " is in ERROR: engine failed")
                        .contains("injected engine fault");
            }
            assertThat(f.app.sessions().get(id).watchers()).isZero();
            // A new watcher of the failed session is refused with the same reason.
            Responses<DecodedFrame> late = new Responses<>();
            DecodeServiceGrpc.newStub(f.channel).watch(watch, late);
            Status s = late.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(s.getDescription()).contains("injected engine fault");
        }
    }

    @Test
    void shouldRefuseDecisionWatchersOfASessionWithoutMarkerLabelsOrOfAnUnknownSession()
            throws Exception {
        try (InProcessFixture f = new InProcessFixture(dir)) {
            String id = newSession(f);
            Responses<TrialDecision> none = new Responses<>();
            DecodeServiceGrpc.newStub(f.channel)
                    .watchDecisions(
                            WatchDecisionsRequest.newBuilder().setSessionId(id).build(), none);
            Status s = none.await();
            assertThat(s.getCode()).isEqualTo(Status.Code.FAILED_PRECONDITION);
            assertThat(s.getDescription()).contains("LABEL_KIND_MARKERS");
            Responses<TrialDecision> unknown = new Responses<>();
            DecodeServiceGrpc.newStub(f.channel)
                    .watchDecisions(
                            WatchDecisionsRequest.newBuilder().setSessionId("s-nope").build(),
                            unknown);
            assertThat(unknown.await().getCode()).isEqualTo(Status.Code.NOT_FOUND);
        }
    }
}
