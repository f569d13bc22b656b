package org.spikeloop.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.engine.EngineClock;
import org.spikeloop.server.engine.SessionStatus;
import org.spikeloop.server.io.SampleIngest;
import org.spikeloop.server.metrics.SessionMetrics;
import org.spikeloop.server.security.AuditLog;
import org.spikeloop.snn.spec.NeuronModel;

/**
 * Sessions sharing engine threads: the real factory, engine, rings and pools, gRPC-style ingest.
 */
class SessionManagerTest {
    private static final int CHANNELS = 8;

    @TempDir Path dir;
    private AuditLog audit;
    private SessionManager manager;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();
    private final SessionMetrics metrics = new SessionMetrics();

    @BeforeEach
    void setUp() {
        audit = new AuditLog(dir.resolve("audit.log"), Clock.systemUTC());
        metrics.bindTo(meters);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (manager != null) {
            manager.close();
        }
        audit.close();
    }

    private SessionManager manager(int engineThreads) {
        return manager(engineThreads, true);
    }

    private SessionManager manager(int engineThreads, boolean colocate) {
        return manager(engineThreads, colocate, new Properties(), Runtime.getRuntime().maxMemory());
    }

    private SessionManager manager(
            int engineThreads, boolean colocate, Properties extra, long maxHeapBytes) {
        Properties p = new Properties();
        p.setProperty("engine.colocate", Boolean.toString(colocate));
        p.setProperty("engine.threads", Integer.toString(engineThreads));
        p.setProperty("recording.enabled", "false");
        p.setProperty("audit.log", dir.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", dir.resolve("checkpoints").toString());
        p.putAll(extra);
        ServerConfig cfg = ServerConfig.apply(ServerConfig.defaults(), p);
        SessionFactory factory =
                new SessionFactory(
                        cfg,
                        new CheckpointStore(cfg.checkpointDir()),
                        metrics,
                        EngineClock.system());
        manager = new SessionManager(cfg, factory, audit, maxHeapBytes);
        return manager;
    }

    private static SessionConfig grpcSession(String name) {
        return new SessionConfig(
                name,
                CHANNELS,
                1000.0,
                new DecoderSource.Architecture(16, 2, NeuronModel.ALIF, 1),
                false,
                0,
                0,
                SessionConfig.SourceKind.GRPC,
                null,
                0);
    }

    /** Pushes {@code rows} samples through the session's real ingest path. */
    private static void push(SampleIngest in, int rows) {
        for (int r = 0; r < rows; r++) {
            in.beginChunk(CHANNELS, CHANNELS, 0, 0);
            float[] row = in.rowBuffer();
            for (int i = 0; i < row.length; i++) {
                row[i] = (r + i) % 5 == 0 ? 1f : 0f;
            }
            in.offerUnstampedRow();
            in.endChunk();
        }
    }

    private static void await(BooleanSupplier condition, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void shouldRemoveEveryMeterOfAStoppedSessionAndCountTheRunningOnes() {
        SessionManager m = manager(1);
        Session a = m.create(grpcSession("a"), "alice");
        Session b = m.create(grpcSession("b"), "alice");
        a.governanceMeters().action("snapshot"); // registered after creation, removed all the same
        assertThat(tagged(a.id())).contains("spikeloop.steps", "spikeloop.governance.actions");
        assertThat(meters.get("spikeloop.sessions").gauge().value()).isEqualTo(2.0);

        m.stop(a.id(), "alice");
        a.governanceMeters().action("snapshot"); // governance may still act on a stopped session

        assertThat(tagged(a.id())).isEmpty();
        assertThat(tagged(b.id())).contains("spikeloop.steps", "spikeloop.step.latency");
        assertThat(meters.get("spikeloop.sessions").gauge().value()).isEqualTo(1.0);
    }

    private List<String> tagged(String sessionId) {
        return meters.getMeters().stream()
                .filter(x -> sessionId.equals(x.getId().getTag("session")))
                .map(x -> x.getId().getName())
                .toList();
    }

    @Test
    void shouldTellListenersOfEachSessionStartAndStop() {
        SessionManager m = manager(1);
        List<String> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        m.addListener(
                new SessionListener() {
                    @Override
                    public void created(Session session, String who) {
                        events.add("created " + session.id() + " by " + who);
                    }

                    @Override
                    public void stopped(String sessionId) {
                        events.add("stopped " + sessionId);
                    }
                });
        Session a = m.create(grpcSession("a"), "alice");
        m.stop(a.id(), "alice");
        assertThat(events).containsExactly("created " + a.id() + " by alice", "stopped " + a.id());
    }

    @Test
    void shouldFailCreationAndStopTheSessionWhenAListenerRefusesIt() {
        SessionManager m = manager(1);
        Session[] seen = new Session[1];
        m.addListener(
                new SessionListener() {
                    @Override
                    public void created(Session session, String who) {
                        seen[0] = session;
                        throw ServerException.notFound("spec.decoder.registry_id: gone");
                    }

                    @Override
                    public void stopped(String sessionId) {}
                });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.create(grpcSession("a"), "t"))
                .isInstanceOf(ServerException.class)
                .hasMessageContaining("gone");
        assertThat(m.list()).isEmpty();
        assertThat(seen[0].isStopped()).isTrue();
    }

    @Test
    void shouldStopAndReleaseASessionWhoseCreationTheAuditLogCannotRecord() throws Exception {
        audit.close();
        audit = new AuditLog(Path.of("/dev/full"), Clock.systemUTC()); // every write: ENOSPC
        Properties one = new Properties();
        one.setProperty("limits.maxSessions", "1");
        SessionManager m = manager(1, true, one, Runtime.getRuntime().maxMemory());
        List<Session> created = new java.util.concurrent.CopyOnWriteArrayList<>();
        List<String> stopped = new java.util.concurrent.CopyOnWriteArrayList<>();
        m.addListener(
                new SessionListener() {
                    @Override
                    public void created(Session session, String who) {
                        created.add(session);
                    }

                    @Override
                    public void stopped(String sessionId) {
                        stopped.add(sessionId);
                    }
                });
        Throwable first =
                org.assertj.core.api.Assertions.catchThrowable(
                        () -> m.create(grpcSession("a"), "alice"));
        // The creation failed, so its session is not left running: stopped, not listed, and its
        // slot free (limits.maxSessions = 1: a second attempt fails for the audit log again, not
        // for the first one's slot).
        assertThat(created).hasSize(1);
        assertThat(m.list()).isEmpty();
        assertThat(created.get(0).status()).isEqualTo(SessionStatus.STOPPED);
        Throwable second =
                org.assertj.core.api.Assertions.catchThrowable(
                        () -> m.create(grpcSession("b"), "alice"));
        assertThat(m.admissionRefusals("sessions")).isZero();
        assertThat(created).hasSize(2);
        assertThat(created)
                .allSatisfy(s -> assertThat(s.status()).isEqualTo(SessionStatus.STOPPED));
        assertThat(stopped).containsExactly(created.get(0).id(), created.get(1).id());
        assertThat(m.list()).isEmpty();
        assertThat(m.memoryCommittedBytes()).isZero();
        assertThat(m.sessionsPerEngineThread()).containsExactly(0);
        for (Throwable t : List.of(first, second)) {
            assertThat(t)
                    .isInstanceOfSatisfying(
                            ServerException.class,
                            e -> assertThat(e.kind()).isEqualTo(ServerException.Kind.UNAVAILABLE))
                    .hasMessageContaining("audit log: cannot record the session's creation")
                    .hasMessageContaining("No space left on device")
                    .hasMessageContaining("the session was not created");
        }
    }

    @Test
    void shouldBalanceSessionsOverEngineThreadsByFewestSessions() {
        SessionManager m = manager(2);
        Session a = m.create(grpcSession("a"), "test");
        Session b = m.create(grpcSession("b"), "test");
        Session c = m.create(grpcSession("c"), "test");
        assertThat(m.sessionsPerEngineThread()).containsExactly(2, 1);
        assertThat(a.enginePool()).isNotSameAs(b.enginePool());
        assertThat(c.enginePool()).isSameAs(a.enginePool());
        m.stop(a.id(), "test");
        assertThat(m.sessionsPerEngineThread()).containsExactly(1, 1);
        Session d = m.create(grpcSession("d"), "test");
        assertThat(m.sessionsPerEngineThread()).containsExactly(2, 1);
        assertThat(d.enginePool()).isSameAs(c.enginePool());
    }

    @Test
    void shouldDecodeBothSessionsOnOneSharedEngineThread() throws Exception {
        SessionManager m = manager(1);
        Session a = m.create(grpcSession("a"), "test");
        Session b = m.create(grpcSession("b"), "test");
        assertThat(a.enginePool()).isSameAs(b.enginePool());
        push(a.openSampleStream(), 200);
        push(b.openSampleStream(), 300);
        await(() -> a.steps() == 200 && b.steps() == 300, "both sessions to step every sample");
        assertThat(a.status()).isEqualTo(SessionStatus.RUNNING);
        assertThat(b.status()).isEqualTo(SessionStatus.RUNNING);
    }

    @Test
    void shouldDecodeEverySampleWithThePacedIdleStrategy() throws Exception {
        Properties paced = new Properties();
        paced.setProperty("engine.idleStrategy", "paced");
        SessionManager m = manager(1, true, paced, Runtime.getRuntime().maxMemory());
        Session a = m.create(grpcSession("a"), "test");
        SampleIngest in = a.openSampleStream();
        // Regular pushes, so that the thread learns a period and parks between them, then more
        // than a whole history's worth: every sample is still decoded.
        for (int k = 0; k < 2 * PacedIdleStrategy.HISTORY + 10; k++) {
            push(in, 1);
            Thread.sleep(2);
        }
        long pushed = 2L * PacedIdleStrategy.HISTORY + 10;
        await(() -> a.steps() == pushed, "the session to step every sample");
        assertThat(a.status()).isEqualTo(SessionStatus.RUNNING);
    }

    @Test
    void shouldDecodeOnSharedEngineThreadsWithSeparatePublisherAndSourceThreads() throws Exception {
        SessionManager m = manager(1, false);
        Session a = m.create(grpcSession("a"), "test");
        Session b = m.create(grpcSession("b"), "test");
        assertThat(a.enginePool()).isSameAs(b.enginePool());
        push(a.openSampleStream(), 100);
        push(b.openSampleStream(), 100);
        await(() -> a.steps() == 100 && b.steps() == 100, "both sessions to step every sample");
        m.stop(a.id(), "test");
        assertThat(b.status()).isEqualTo(SessionStatus.RUNNING);
    }

    @Test
    void shouldKeepTheOtherSessionRunningWhenOneStops() throws Exception {
        SessionManager m = manager(1);
        Session a = m.create(grpcSession("a"), "test");
        Session b = m.create(grpcSession("b"), "test");
        SampleIngest inB = b.openSampleStream();
        push(inB, 50);
        await(() -> b.steps() == 50, "b to step");
        m.stop(a.id(), "test");
        assertThat(a.status()).isEqualTo(SessionStatus.STOPPED);
        assertThat(m.sessionsPerEngineThread()).containsExactly(1);
        push(inB, 50);
        await(() -> b.steps() == 100, "b to keep stepping after a stopped");
        assertThat(b.status()).isEqualTo(SessionStatus.RUNNING);
    }

    @Test
    void shouldPutOnlyTheFailingSessionIntoErrorWithItsReason() throws Exception {
        SessionManager m = manager(1);
        Session bad = m.create(grpcSession("bad"), "test");
        Session good = m.create(grpcSession("good"), "test");
        assertThat(bad.enginePool()).isSameAs(good.enginePool());
        // An Error escapes EngineCommand (it only completes replies for RuntimeExceptions), so it
        // leaves the engine's doWork: the pool must contain it to this session.
        CompletableFuture<Object> reply =
                bad.command(
                        e -> {
                            throw new AssertionError("injected engine fault");
                        });
        await(() -> bad.status() == SessionStatus.ERROR, "the failing session to go to ERROR");
        assertThat(bad.statusReason()).contains("injected engine fault");
        assertThat(reply).failsWithin(1, TimeUnit.SECONDS);
        SampleIngest inGood = good.openSampleStream();
        push(inGood, 100);
        await(() -> good.steps() == 100, "the other session on the same thread to keep stepping");
        assertThat(good.status()).isEqualTo(SessionStatus.RUNNING);
        // A session in ERROR decodes nothing more: its ingest is refused, naming why.
        assertThatThrownBy(bad::openSampleStream)
                .isInstanceOf(ServerException.class)
                .hasMessageContaining("session " + bad.id() + " is in ERROR")
                .hasMessageContaining("injected engine fault");
        assertThat(bad.steps()).isZero();
        m.stop(bad.id(), "test");
        assertThat(List.of(good.status())).containsExactly(SessionStatus.RUNNING);
    }

    /** A watcher, always ready, that records how its stream ended. */
    private static class EndedSink implements org.spikeloop.server.engine.FrameSink {
        volatile String failedWith;
        volatile boolean completed;

        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public boolean isCancelled() {
            return false;
        }

        @Override
        public void send(org.spikeloop.server.engine.Frame frame, long dropped) {}

        @Override
        public void complete() {
            completed = true;
        }

        @Override
        public void fail(String reason) {
            failedWith = reason;
        }
    }

    /** An agent whose start throws an Error outside every guard: it kills its pool's thread. */
    private static final class ThreadKiller implements org.agrona.concurrent.Agent {
        @Override
        public void onStart() {
            throw new OutOfMemoryError("injected: Java heap space");
        }

        @Override
        public int doWork() {
            return 0;
        }

        @Override
        public String roleName() {
            return "thread-killer";
        }
    }

    @Test
    void shouldPutTheSessionsOfAnEngineThreadThatDiesIntoErrorAndStayManageable() throws Exception {
        SessionManager m = manager(1);
        Session a = m.create(grpcSession("a"), "test");
        Session b = m.create(grpcSession("b"), "test");
        EndedSink watcher = new EndedSink();
        a.addWatcher(watcher, 0, 8);
        push(a.openSampleStream(), 20);
        await(() -> a.steps() == 20, "a to step");
        AgentPool dying = a.enginePool();
        try {
            dying.add(new ThreadKiller());
        } catch (ServerException expected) {
            // the pool's thread died while taking the agent: the add cannot complete
        }
        await(dying::isDead, "the engine thread to die");
        await(
                () -> a.status() == SessionStatus.ERROR && b.status() == SessionStatus.ERROR,
                "both sessions of the dead thread to go to ERROR");
        assertThat(a.statusReason()).contains("OutOfMemoryError").contains("injected");
        assertThat(m.agentThreadDeaths()).isEqualTo(1);
        // Its watcher is told, not left open without frames (the delivery thread still runs).
        await(() -> watcher.failedWith != null, "a's watcher to be ended with the failure");
        assertThat(watcher.failedWith)
                .startsWith("session " + a.id() + " is in ERROR: engine failed")
                .contains("OutOfMemoryError");
        assertThat(watcher.completed).isFalse();
        // Its commands fail at once, naming the dead thread, instead of waiting in a queue that
        // nothing reads any more (Agrona closed nothing when the thread died).
        CompletableFuture<Long> command = a.command(e -> e.steps());
        assertThat(command).failsWithin(1, TimeUnit.SECONDS);
        assertThatThrownBy(command::join)
                .hasCauseInstanceOf(org.spikeloop.server.engine.EngineRejectedException.class)
                .hasMessageContaining("session " + a.id() + ": its engine thread died");
        // Manageable: a new session goes to a fresh engine thread and decodes; the dead thread's
        // sessions can be stopped.
        Session c = m.create(grpcSession("c"), "test");
        assertThat(c.enginePool()).isNotSameAs(dying);
        push(c.openSampleStream(), 30);
        await(() -> c.steps() == 30, "the new session to step on the replacement thread");
        m.stop(a.id(), "test");
        m.stop(b.id(), "test");
        assertThat(m.list()).extracting(Session::id).containsExactly(c.id());
        assertThat(c.status()).isEqualTo(SessionStatus.RUNNING);
    }

    @Test
    void shouldPutASessionIntoErrorWhenItsPublisherRunsOutOfMemory() throws Exception {
        SessionManager m = manager(1);
        Session bad = m.create(grpcSession("bad"), "test");
        Session good = m.create(grpcSession("good"), "test");
        bad.addWatcher(
                new EndedSink() {
                    @Override
                    public void send(org.spikeloop.server.engine.Frame frame, long dropped) {
                        throw new OutOfMemoryError("injected: no heap for the frame message");
                    }
                },
                0,
                8);
        EndedSink other = new EndedSink(); // a well-behaved watcher of the same session
        bad.addWatcher(other, 0, 8);
        // One row: its frame fails the publisher, and the session takes no rows after that.
        push(bad.openSampleStream(), 1);
        await(() -> bad.status() == SessionStatus.ERROR, "the session to go to ERROR");
        assertThat(bad.statusReason())
                .startsWith("frame publisher failed")
                .contains("OutOfMemoryError");
        // The publisher is not called again: its failure hook ended the other watcher's stream.
        await(() -> other.failedWith != null, "the other watcher to be ended with the failure");
        assertThat(other.failedWith)
                .startsWith("session " + bad.id() + " is in ERROR: frame publisher");
        // The pool sets the state first and reports after (AgentPool.Guarded): wait for the report.
        await(() -> m.agentFailures() == 1, "the failure to be reported once");
        push(good.openSampleStream(), 40);
        await(() -> good.steps() == 40, "the other session on the thread to keep decoding");
        assertThat(good.status()).isEqualTo(SessionStatus.RUNNING);
        assertThat(m.agentFailures()).isEqualTo(1);
    }

    @Test
    void shouldRefuseASessionWhoseMemoryDoesNotFitTheHeapBudgetNamingItAndTheExcess() {
        SessionFootprint fp = manager(1).footprint(grpcSession("probe"));
        manager.close();
        // A heap whose 0.6 share holds one such session and a half.
        long heap = (long) (fp.totalBytes() * 1.5 / 0.6);
        SessionManager m = manager(1, true, new Properties(), heap);
        m.create(grpcSession("a"), "test");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.create(grpcSession("b"), "test"))
                .isInstanceOfSatisfying(
                        ServerException.class,
                        e ->
                                assertThat(e.kind())
                                        .isEqualTo(ServerException.Kind.RESOURCE_EXHAUSTED))
                .hasMessageContaining("admission: memory: the session needs")
                .hasMessageContaining("admission.heapFraction = 0.6")
                .hasMessageContaining("over by");
        assertThat(m.admissionRefusals("memory")).isEqualTo(1);
        assertThat(m.list()).hasSize(1);
        assertThat(m.memoryCommittedBytes()).isEqualTo(fp.totalBytes());
    }

    @Test
    void shouldEstimateTheMemoryOfAMaximumSizeSessionWithoutAllocatingIt() {
        SessionManager m = manager(1);
        SessionFootprint fp =
                m.footprint(
                        new SessionConfig(
                                "huge",
                                SessionFactory.MAX_CHANNELS,
                                1000.0,
                                new DecoderSource.Architecture(
                                        SessionFactory.MAX_HIDDEN,
                                        SessionFactory.MAX_CHANNELS,
                                        NeuronModel.ALIF,
                                        1),
                                false,
                                0,
                                0,
                                SessionConfig.SourceKind.GRPC,
                                null,
                                0));
        long n = 4096;
        assertThat(fp.synapses()).isEqualTo(3 * n * n);
        assertThat(fp.weightBytes()).isGreaterThan(4 * 3 * n * n);
        assertThat(fp.learnerBytes()).isGreaterThan(16 * (2 * n + 1) * n); // ALIF + Adam
        assertThat(fp.ringBytes()).isGreaterThan(8192 * n * 4 * 2);
        assertThat(fp.totalBytes()).isGreaterThan(4L << 30);
        // 50 M synapses at 0.1 ns: far more than a 1 ms step on one engine thread.
        assertThat(fp.cpuShare()).isGreaterThan(1.0);
    }

    @Test
    void shouldRefuseASessionWhoseStepsDoNotFitTheEngineThreadsTimeNamingTheCpuBudget() {
        Properties p = new Properties();
        // 8 -> 16 -> 2: 416 synapses; at 1 us each a step takes 418 us of a 1 ms period (41.8 %).
        p.setProperty("admission.stepNsPerSynapse", "1000");
        SessionManager m = manager(2, true, p, Runtime.getRuntime().maxMemory());
        Session a = m.create(grpcSession("a"), "test");
        Session b = m.create(grpcSession("b"), "test");
        assertThat(b.enginePool()).isNotSameAs(a.enginePool());
        assertThat(m.sessionsPerEngineThread()).containsExactly(1, 1);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> m.create(grpcSession("c"), "test"))
                .isInstanceOfSatisfying(
                        ServerException.class,
                        e ->
                                assertThat(e.kind())
                                        .isEqualTo(ServerException.Kind.RESOURCE_EXHAUSTED))
                .hasMessageContaining("admission: cpu")
                .hasMessageContaining("41.8 %")
                .hasMessageContaining("admission.engineCpuFraction = 80 %")
                .hasMessageContaining("over by 3.6 %");
        assertThat(m.admissionRefusals("cpu")).isEqualTo(1);
    }

    @Test
    void shouldWeighARunningSessionByItsMeasuredStepTimeOnceItHasStepped() throws Exception {
        Properties p = new Properties();
        p.setProperty("admission.stepNsPerSynapse", "1000"); // estimate: 41.8 % per session
        SessionManager m = manager(1, true, p, Runtime.getRuntime().maxMemory());
        Session a = m.create(grpcSession("a"), "test");
        assertThat(a.demandNs()).isEqualTo(a.footprint().stepNs());
        push(a.openSampleStream(), 2 * (int) Session.MEASURED_AFTER_STEPS);
        await(() -> a.steps() == 2 * Session.MEASURED_AFTER_STEPS, "a to step");
        // A 16-neuron step takes microseconds, far below the 418-us estimate: measured, the
        // thread has room for the next session, which the estimate alone would refuse.
        assertThat(a.demandNs()).isLessThan(a.footprint().stepNs() / 4);
        Session b = m.create(grpcSession("b"), "test");
        assertThat(b.enginePool()).isSameAs(a.enginePool());
    }
}
