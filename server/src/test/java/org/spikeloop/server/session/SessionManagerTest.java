package org.spikeloop.server.session;

import static org.assertj.core.api.Assertions.assertThat;

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
        Properties p = new Properties();
        p.setProperty("engine.colocate", Boolean.toString(colocate));
        p.setProperty("engine.threads", Integer.toString(engineThreads));
        p.setProperty("recording.enabled", "false");
        p.setProperty("audit.log", dir.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", dir.resolve("checkpoints").toString());
        ServerConfig cfg = ServerConfig.apply(ServerConfig.defaults(), p);
        SessionFactory factory =
                new SessionFactory(
                        cfg,
                        new CheckpointStore(cfg.checkpointDir()),
                        metrics,
                        EngineClock.system());
        manager = new SessionManager(cfg, factory, audit);
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
        push(bad.openSampleStream(), 10);
        Thread.sleep(50);
        assertThat(bad.steps()).isZero();
        m.stop(bad.id(), "test");
        assertThat(List.of(good.status())).containsExactly(SessionStatus.RUNNING);
    }
}
