package org.spikeloop.app;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.adapters.sim.IntracorticalRig;
import org.spikeloop.adapters.sim.RigConfig;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.engine.NetworkDecoder;
import org.spikeloop.server.engine.SessionStatus;
import org.spikeloop.server.governance.EngineSessionControl;
import org.spikeloop.server.governance.GovernanceAudit;
import org.spikeloop.server.governance.GovernanceEvent;
import org.spikeloop.server.governance.GovernancePolicy;
import org.spikeloop.server.governance.Governor;
import org.spikeloop.server.governance.WeightGuard;
import org.spikeloop.server.governance.XdfRecentData;
import org.spikeloop.server.io.SampleIngest;
import org.spikeloop.server.jobs.JobExecutor;
import org.spikeloop.server.jobs.JobHandle;
import org.spikeloop.server.jobs.JobManager;
import org.spikeloop.server.jobs.JobState;
import org.spikeloop.server.jobs.PeriodicTrigger;
import org.spikeloop.server.jobs.RecordingSource;
import org.spikeloop.server.jobs.RigRecordings;
import org.spikeloop.server.jobs.TrainingJob;
import org.spikeloop.server.jobs.TrainingJobRequest;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.Lineage;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.server.registry.SessionRoles;
import org.spikeloop.server.session.DecoderSource;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionConfig;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;

/**
 * Issue 8's end-to-end scenario on the real server (sessions, engines, commands): a session starts
 * from a checkpoint trained before a drift; the rig drifts (preferred directions rotated 90°) and
 * the session's recording holds the drifted data; a periodic job (every M labelled samples) trains
 * on it; the reference beats the stale start on held-out data and is promoted automatically
 * (audited); a fault (live weights set non-finite) triggers a rollback within the configured
 * window; decoding continues.
 */
class GovernanceEndToEndTest {
    private static final long EVALUATION_PERIOD_MS = 200;
    private static final Duration ROLLBACK_WINDOW = Duration.ofSeconds(2);

    @TempDir Path dir;

    @Test
    void shouldPromoteAPeriodicJobsReferenceAndRollBackAfterAFault() throws Exception {
        Properties p = new Properties();
        p.setProperty("metrics.port", "-1");
        p.setProperty("audit.log", dir.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", dir.resolve("checkpoints").toString());
        p.setProperty("recordings.dir", dir.resolve("session-recordings").toString());
        ServerConfig cfg = ServerConfig.apply(ServerConfig.defaults(), p);
        CheckpointRegistry registry = CheckpointRegistry.open(dir.resolve("registry"));

        // 1. The stale start: trained on the rig before the drift.
        Path before = dir.resolve("before-drift.xdf");
        RigRecordings.write(before, 12.0, 1000.0, 5, 0, true, RigRecordings.UNITS);
        RegistryEntry init =
                registry.register(
                        Checkpoint.create(
                                RigRecordings.spec(),
                                Initializer.initialise(RigRecordings.spec(), InitSpec.seeded(2)),
                                Provenance.now("tester", "init")),
                        new Lineage("", "init", null, "", DataRange.none(), "tester"));
        String staleId =
                new TrainingJob("job-stale", request("", List.of(before), init.id()), registry, 1)
                        .run(e -> {}, () -> false)
                        .checkpoint()
                        .id();
        java.nio.file.Files.createDirectories(cfg.checkpointDir());
        registry.load(staleId).write(cfg.checkpointDir().resolve("stale.ckpt"));

        try (SpikeloopApplication app =
                        SpikeloopApplication.start(
                                cfg,
                                InProcessServerBuilder.forName(
                                        InProcessServerBuilder.generateName()));
                JobExecutor executor = new JobExecutor(1, 4, 1, 10);
                Governor governor =
                        new Governor(registry, new GovernanceAudit(null), Clock.systemUTC())) {
            Session session =
                    app.sessions()
                            .create(
                                    new SessionConfig(
                                            "rig",
                                            RigRecordings.UNITS,
                                            1000.0,
                                            new DecoderSource.FromCheckpoint("stale.ckpt"),
                                            false,
                                            0,
                                            0,
                                            SessionConfig.SourceKind.GRPC,
                                            null,
                                            30.0),
                                    "tester");
            String sid = session.id();
            AtomicBoolean feeding = new AtomicBoolean(true);
            Thread feeder = new Thread(() -> feed(session, feeding), "test-rig-feeder");
            feeder.start();
            try {
                // 2. The drifted session's recording (the server does not record sessions yet).
                Path recording = dir.resolve("session-drifted.xdf");
                RigRecordings.write(recording, 16.0, 2000.0, 9, 90, true, RigRecordings.UNITS);
                RecordingSource source =
                        new RecordingSource() {
                            @Override
                            public List<Path> recordings() {
                                return List.of(recording);
                            }

                            @Override
                            public long labelledSamples() {
                                return 16_000;
                            }
                        };
                GovernancePolicy policy = new GovernancePolicy(true, 0.10, true, 0.25, 3, 1e4);
                RegistryEntry start =
                        governor.govern(
                                new EngineSessionControl(session),
                                new XdfRecentData(
                                        source::recordings,
                                        RigRecordings.SPIKES,
                                        RigRecordings.KINEMATICS,
                                        3.0,
                                        RigRecordings.UNITS,
                                        2),
                                policy,
                                "tester");
                // The live weights are the stale checkpoint's, rounded to the engine's float32.
                assertThat(start.lineage().kind()).isEqualTo("snapshot");
                assertThat(registry.roles(sid))
                        .isEqualTo(new SessionRoles(start.id(), null, start.id()));
                double[] stale = registry.load(staleId).params().get("readout.w_out").data();
                double[] live = registry.load(start.id()).params().get("readout.w_out").data();
                for (int i = 0; i < stale.length; i++) {
                    assertThat(live[i]).isEqualTo((double) (float) stale[i]);
                }

                // 3. A periodic job every 10 000 labelled samples; a finished job is evaluated at
                // once.
                JobManager jobs = new JobManager(registry, executor, Clock.systemUTC());
                jobs.onFinished(
                        h -> {
                            if (h.state() == JobState.SUCCEEDED) {
                                governor.evaluate(sid);
                            }
                        });
                PeriodicTrigger trigger =
                        new PeriodicTrigger(
                                sid,
                                0,
                                10_000,
                                new CountingSource(source),
                                files -> request(sid, files, registry.roles(sid).active()),
                                jobs,
                                Clock.systemUTC());
                JobHandle job = null;
                for (int i = 0; i < 100 && job == null; i++) {
                    job = trigger.poll();
                    Thread.sleep(20);
                }
                assertThat(job).as("the periodic trigger submitted a job").isNotNull();
                awaitTerminal(job, 300);
                assertThat(job.state()).as(job.error()).isEqualTo(JobState.SUCCEEDED);
                String referenceId = job.result().checkpoint().id();
                assertThat(job.result().checkpoint().lineage().parentId()).isEqualTo(start.id());

                // 4. Promotion, audited, with the reference beating the stale start on held-out
                // data.
                GovernanceEvent promote = awaitEvent(governor, sid, "promote", 30);
                assertThat(promote.who()).startsWith("policy:auto-promote");
                assertThat(promote.referenceMse()).isLessThan(0.9 * promote.liveMse());
                assertThat(promote.fromId()).isEqualTo(start.id());
                assertThat(promote.toId()).isEqualTo(referenceId);
                SessionRoles roles = registry.roles(sid);
                assertThat(roles.active()).isEqualTo(referenceId);
                assertThat(roles.reference()).isEqualTo(referenceId);
                assertThat(roles.lastGood()).isEqualTo(referenceId);
                String engineActive =
                        session.command(e -> e.learningState().activeCheckpoint()).get();
                assertThat(engineActive).isEqualTo(referenceId);
                System.out.printf(
                        "e2e: stale live mse %.4f, reference mse %.4f (job %s, %d epochs)%n",
                        promote.liveMse(),
                        promote.referenceMse(),
                        job.id(),
                        job.result().outcome().trainLoss().size());

                // 5. Fault: the live weights go non-finite; the periodic evaluation must roll back.
                governor.start(EVALUATION_PERIOD_MS);
                Instant faultAt = Instant.now();
                session.command(
                                e -> {
                                    ((NetworkDecoder) e.decoder())
                                                    .network()
                                                    .liveParameter("readout.w_out")[0] =
                                            Float.NaN;
                                    return null;
                                })
                        .get();
                GovernanceEvent rollback = awaitEvent(governor, sid, "rollback", 10);
                assertThat(Duration.between(faultAt, rollback.time())).isLessThan(ROLLBACK_WINDOW);
                assertThat(rollback.reason()).contains("guard").contains("non-finite");
                assertThat(rollback.toId()).isEqualTo(referenceId);
                assertThat(WeightGuard.check(new EngineSessionControl(session).exportLive(), 1e4))
                        .isNull();

                // 6. Decoding continues.
                long steps = session.steps();
                Thread.sleep(1000);
                assertThat(session.steps()).isGreaterThan(steps + 200);
                assertThat(session.status()).isNotEqualTo(SessionStatus.ERROR);
                assertThat(governor.audit(sid).stream().map(GovernanceEvent::action))
                        .containsSubsequence("snapshot", "policy", "promote", "rollback");
            } finally {
                feeding.set(false);
                feeder.join(5000);
            }
        }
    }

    private static TrainingJobRequest request(String session, List<Path> files, String startId) {
        return new TrainingJobRequest(
                session,
                files,
                RigRecordings.SPIKES,
                RigRecordings.KINEMATICS,
                Double.NaN,
                Double.NaN,
                null,
                startId,
                0.25,
                250,
                3,
                session.isEmpty() ? "tester" : "policy:periodic");
    }

    /**
     * Labelled samples appear once the test starts polling (new data since the trigger was made).
     */
    private static final class CountingSource implements RecordingSource {
        private final RecordingSource inner;
        private int calls;

        CountingSource(RecordingSource inner) {
            this.inner = inner;
        }

        @Override
        public List<Path> recordings() {
            return inner.recordings();
        }

        @Override
        public synchronized long labelledSamples() {
            return calls++ == 0 ? 0 : inner.labelledSamples();
        }
    }

    /** Streams the drifted rig's spikes into the session at about real time. */
    private static void feed(Session session, AtomicBoolean feeding) {
        IntracorticalRig rig =
                new IntracorticalRig(
                        new RigConfig(RigRecordings.UNITS, 1.0, 10.0, 60.0, 0.1, 1.0, 21));
        rig.rotatePreferredDirections(90);
        float[] spikes = new float[RigRecordings.UNITS];
        double[] vel = new double[2];
        try (SampleIngest in = session.openSampleStream()) {
            double t = 3000.0;
            while (feeding.get()) {
                int rows = in.beginChunk(RigRecordings.UNITS, 50 * RigRecordings.UNITS, 50, 1000.0);
                for (int r = 0; r < rows; r++) {
                    rig.step(spikes, vel);
                    System.arraycopy(spikes, 0, in.rowBuffer(), 0, spikes.length);
                    in.offerRow(t);
                    t += 0.001;
                }
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitTerminal(JobHandle h, int seconds) throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (!h.state().terminal() && System.nanoTime() < end) {
            Thread.sleep(50);
        }
    }

    private static GovernanceEvent awaitEvent(Governor g, String sid, String action, int seconds)
            throws InterruptedException {
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        while (System.nanoTime() < end) {
            for (GovernanceEvent e : g.audit(sid)) {
                if (e.action().equals(action)) {
                    return e;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError(
                "no " + action + " within " + seconds + " s; audit: " + g.audit(sid));
    }
}
