package org.spikeloop.app.demo;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.spikeloop.adapters.sim.DriftSchedule;
import org.spikeloop.adapters.sim.IntracorticalDrift;
import org.spikeloop.adapters.sim.IntracorticalRig;
import org.spikeloop.app.SpikeloopApplication;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.engine.SessionStatus;
import org.spikeloop.server.io.LslLabelConfig;
import org.spikeloop.server.io.LslLabelView;
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.server.session.CheckpointStore;
import org.spikeloop.server.session.DecoderSource;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionConfig;

/**
 * {@code spikeloop demo}: the real server in-process (gRPC and Prometheus on loopback), a simulated
 * 96-unit intracortical rig publishing spikes and hand velocity over LSL, one session decoding the
 * spikes from a reference checkpoint with e-prop learning from the velocity labels, a rotation of
 * the units' preferred directions at {@code driftAtS}, the session recorded to XDF by the server
 * (its {@code samples}, {@code labels} and {@code outputs} streams, docs/server.md, as every served
 * session is: the demo shows the recording meters and writes what the training CronJob reads), and
 * one status line per second computed from the frames the demo watches.
 *
 * <p>Threading: {@link #run} on the caller's thread (the status loop); {@link #requestStop} from
 * any thread (Ctrl-C). The rig and the session's agents (its LSL sample source and LSL label
 * source, engine, publisher and recorder) run on their own threads.
 */
public final class ServerDemo {
    static final int UNITS = 96;
    static final double SAMPLE_RATE_HZ = 1000.0;
    private static final String STREAM_PREFIX = "spikeloop-demo";
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(5);

    /**
     * @param durationS seconds of streaming (0 = until {@link #requestStop})
     * @param driftAtS stream time of the rotation (negative = no drift)
     * @param rotationDeg rotation of the preferred directions
     * @param neurons hidden LIF neurons of the reference decoder
     * @param calibrationS seconds of simulated calibration data for the reference readout
     * @param eprop learning on from the start
     * @param learningRate e-prop (Adam) learning rate
     * @param updateIntervalSteps steps between e-prop weight updates
     * @param r2WindowS sliding window of the status lines' R²
     * @param chunkMs samples per LSL push of the rig, in ms
     * @param grpcPort gRPC port on 127.0.0.1 (0 = any free)
     * @param metricsPort Prometheus port on 127.0.0.1 (0 = any free, −1 = off)
     * @param checkpointsDir where the reference checkpoint is kept (and reused)
     * @param recordingsDir where the session's XDF recording (and the audit log) go
     * @param seed seeds the rig and the decoder
     */
    public record Settings(
            double durationS,
            double driftAtS,
            double rotationDeg,
            int neurons,
            double calibrationS,
            boolean eprop,
            double learningRate,
            int updateIntervalSteps,
            double r2WindowS,
            int chunkMs,
            int grpcPort,
            int metricsPort,
            Path checkpointsDir,
            Path recordingsDir,
            long seed) {}

    /** What the run ended with. */
    public record Summary(
            long frames,
            double lastR2,
            long deadlineMisses,
            long learningUpdates,
            Path recording) {}

    private final Settings settings;
    private final PrintWriter out;
    private final CountDownLatch stop = new CountDownLatch(1);

    public ServerDemo(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    /** Ends the run after the current status line (any thread). */
    public void requestStop() {
        stop.countDown();
    }

    /**
     * Runs the demo until the duration elapses or {@link #requestStop}; everything it started is
     * stopped and the recording finished before it returns.
     *
     * @throws org.spikeloop.server.config.ConfigException for a busy port (checked before anything
     *     is created) or another unusable setting
     */
    public Summary run() throws IOException, InterruptedException {
        Settings s = settings;
        ServerConfig config = serverConfig(s);
        List<AutoCloseable> opened = new ArrayList<>();
        SpikeloopApplication app = SpikeloopApplication.start(config, null);
        try {
            printEndpoints(app);
            ReferenceCheckpoint.Result ref =
                    ReferenceCheckpoint.loadOrCalibrate(
                            new CheckpointStore(config.checkpointDir()),
                            UNITS,
                            s.neurons(),
                            s.seed(),
                            s.calibrationS());
            out.printf(
                    Locale.ROOT,
                    "reference checkpoint %s (%s in %.1f s): %d -> %d LIF -> 2, readout fitted on"
                            + " %.0f s of calibration%n",
                    config.checkpointDir().resolve(ref.name()),
                    ref.reused() ? "reused" : "calibrated",
                    ref.seconds(),
                    UNITS,
                    s.neurons(),
                    s.calibrationS());
            return stream(app, ref.name(), opened);
        } finally {
            closeAll(opened);
            app.close();
        }
    }

    private Summary stream(SpikeloopApplication app, String checkpoint, List<AutoCloseable> opened)
            throws IOException, InterruptedException {
        Settings s = settings;
        // Stream names carry the pid: sessions bind LSL streams by name, and several demos (or a
        // demo and a test) may run on one machine.
        String pid = Long.toString(ProcessHandle.current().pid());
        String prefix = STREAM_PREFIX + "-" + pid;
        IntracorticalRig rig =
                ReferenceCheckpoint.rigAfterCalibration(UNITS, s.seed(), s.calibrationS());
        long maxSamples = s.durationS() > 0 ? Math.round(s.durationS() * SAMPLE_RATE_HZ) : 0;
        RigPublisher rigOut =
                new RigPublisher(
                        rig,
                        driftSchedule(s),
                        prefix,
                        pid,
                        (int) Math.round(s.chunkMs() * SAMPLE_RATE_HZ / 1000.0),
                        SAMPLE_RATE_HZ,
                        maxSamples,
                        1.0);
        opened.add(0, rigOut);
        DemoWatcher watcher =
                new DemoWatcher(
                        (int) Math.round(s.r2WindowS() * SAMPLE_RATE_HZ),
                        prefix,
                        pid,
                        SAMPLE_RATE_HZ);
        opened.add(0, watcher);
        // The session reads the spike stream (SOURCE_LSL) and its continuous kinematics labels
        // (lsl_labels) from LSL itself; its label source records the labels with the samples.
        Session session =
                app.sessions()
                        .create(
                                new SessionConfig(
                                        "demo: simulated intracortical rig over LSL",
                                        UNITS,
                                        SAMPLE_RATE_HZ,
                                        new DecoderSource.FromCheckpoint(checkpoint),
                                        s.eprop(),
                                        s.learningRate(),
                                        s.updateIntervalSteps(),
                                        SessionConfig.SourceKind.LSL,
                                        rigOut.spikesInfo().name(),
                                        0,
                                        null,
                                        new LslLabelConfig(
                                                rigOut.kinematicsInfo().name(),
                                                rigOut.kinematicsInfo().type(),
                                                LslLabelConfig.Kind.CONTINUOUS,
                                                SAMPLE_RATE_HZ,
                                                null,
                                                0,
                                                null),
                                        List.of()),
                                "demo");
        Runnable stopSession =
                () -> {
                    if (!session.isStopped()) {
                        app.sessions().stop(session.id(), "demo");
                    }
                };
        // Stopped before the watcher closes, so its publisher is done with the watcher.
        opened.add(opened.indexOf(watcher), stopSession::run);
        SessionRecording recording = session.recording();
        session.addWatcher(watcher, 0, app.config().maxWatchersPerSession());
        out.printf(
                Locale.ROOT,
                "session %s: decodes LSL '%s' (%d ch at %.0f Hz), labels from '%s', e-prop %s;"
                        + " %s%n",
                session.id(),
                rigOut.spikesInfo().name(),
                UNITS,
                SAMPLE_RATE_HZ,
                rigOut.kinematicsInfo().name(),
                s.eprop()
                        ? String.format(
                                Locale.ROOT,
                                "on (lr %.1e, update every %d steps)",
                                s.learningRate(),
                                s.updateIntervalSteps())
                        : "off",
                s.driftAtS() >= 0 && s.rotationDeg() != 0
                        ? String.format(
                                Locale.ROOT,
                                "drift: preferred directions rotate %.0f deg at t=%.0f s",
                                s.rotationDeg(),
                                s.driftAtS())
                        : "no drift");
        out.printf(Locale.ROOT, "recording samples, labels and outputs to %s%n", recording.file());
        out.flush();
        rigOut.start();

        StatusLoop status = new StatusLoop(rigOut, watcher, session);
        status.run();
        rigOut.stop();
        awaitDecoded(rigOut, session, watcher);
        status.printLineIfNew(); // the last partial second
        long updates = session.statistics().learningUpdates();
        // Stopping the session records its last labels and frames, then drains, finishes and
        // closes the file.
        stopSession.run();
        if (recording.failure() != null) {
            throw new IllegalStateException(
                    "recording " + recording.file() + " failed: " + recording.failure());
        }
        out.printf(
                Locale.ROOT,
                "recording complete: %s (%d samples published; %d chunks dropped)%n",
                recording.file(),
                rigOut.samplesPublished(),
                recording.droppedChunks());
        return new Summary(
                watcher.frames(),
                watcher.r2(),
                watcher.deadlineMisses(),
                updates,
                recording.file());
    }

    /** Prints one line per second until the rig is done or a stop is requested. */
    private final class StatusLoop {
        private final RigPublisher rig;
        private final DemoWatcher watcher;
        private final Session session;
        private boolean driftReported;
        private long framesAtLastLine;

        StatusLoop(RigPublisher rig, DemoWatcher watcher, Session session) {
            this.rig = rig;
            this.watcher = watcher;
            this.session = session;
        }

        void run() throws InterruptedException {
            long next = System.nanoTime();
            while (!rig.isFinished()) {
                next += TimeUnit.SECONDS.toNanos(1);
                long waitNs = next - System.nanoTime();
                if (waitNs > 0 && stop.await(waitNs, TimeUnit.NANOSECONDS)) {
                    return;
                }
                if (session.status() == SessionStatus.ERROR) {
                    throw new IllegalStateException(
                            "session " + session.id() + " failed: " + session.statusReason());
                }
                printLine();
            }
        }

        void printLineIfNew() {
            if (watcher.frames() > framesAtLastLine) {
                printLine();
            }
        }

        void printLine() {
            framesAtLastLine = watcher.frames();
            double first = rig.firstStampS();
            double last = watcher.lastSourceTimestampS();
            double t = Double.isNaN(first) || Double.isNaN(last) ? 0 : last - first + 0.001;
            double driftAtS = rig.driftAppliedAtS();
            // Reported once the decoded stream reaches it, so the lines stay in stream order.
            if (!driftReported && !Double.isNaN(driftAtS) && t >= driftAtS) {
                driftReported = true;
                out.printf(
                        Locale.ROOT,
                        "t=%5.1fs  DRIFT: preferred directions rotated by %.0f deg%n",
                        driftAtS,
                        settings.rotationDeg());
            }
            Histogram latency = watcher.takeLatencyInterval();
            out.printf(
                    Locale.ROOT,
                    "t=%5.1fs  R2(%.0fs)=%6.3f  latency p99(1s)=%9s  deadline misses=%d"
                            + "  learning updates=%d  frames=%d  dropped=%d%n",
                    t,
                    settings.r2WindowS(),
                    watcher.r2(),
                    latency.getTotalCount() == 0
                            ? "no frames" // the stream stalled for this whole second
                            : String.format(
                                    Locale.ROOT,
                                    "%7.1fus",
                                    latency.getValueAtPercentile(99.0) / 1000.0),
                    watcher.deadlineMisses(),
                    session.statistics().learningUpdates(),
                    watcher.frames(),
                    watcher.dropped());
            out.flush();
        }
    }

    /**
     * Waits (bounded) until every published sample went through the session to the watcher and
     * every published label reached the session's label source.
     */
    private static void awaitDecoded(RigPublisher rig, Session session, DemoWatcher watcher)
            throws InterruptedException {
        long published = rig.samplesPublished();
        long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
        while (System.nanoTime() < deadline
                && (labelsIn(session) < published
                        || watcher.frames() + watcher.dropped() < published)) {
            Thread.sleep(10);
        }
    }

    /** Labels the session's LSL label source has handed on (to the engine and the recording). */
    private static long labelsIn(Session session) {
        LslLabelView v = session.lslLabelView();
        return v == null ? 0 : v.labelsIn() + v.droppedRingFull();
    }

    private static DriftSchedule<IntracorticalRig> driftSchedule(Settings s) {
        if (s.driftAtS() < 0 || s.rotationDeg() == 0) {
            return DriftSchedule.none();
        }
        return new DriftSchedule<>(
                List.of(new IntracorticalDrift.Rotation(s.driftAtS(), s.rotationDeg())));
    }

    private void printEndpoints(SpikeloopApplication app) {
        ServerConfig c = app.config();
        out.printf(
                Locale.ROOT,
                "server: gRPC on %s:%d (point a gRPC client there, e.g. grpcurl -plaintext %s:%d"
                        + " list)%n",
                c.grpcHost(),
                app.grpcPort(),
                c.grpcHost(),
                app.grpcPort());
        if (app.metricsPort() >= 0) {
            out.printf(
                    Locale.ROOT,
                    "metrics: http://%s:%d/metrics (Prometheus scrape target %s:%d)%n",
                    c.metricsHost(),
                    app.metricsPort(),
                    c.metricsHost(),
                    app.metricsPort());
        } else {
            out.println("metrics: off");
        }
        if (app.statusPageUrl() != null) {
            out.printf(
                    Locale.ROOT, "status page: %s (open it in a browser)%n", app.statusPageUrl());
        }
        out.flush();
    }

    private static ServerConfig serverConfig(Settings s) {
        Properties p = new Properties();
        p.setProperty("grpc.port", Integer.toString(s.grpcPort()));
        p.setProperty("metrics.port", Integer.toString(s.metricsPort()));
        p.setProperty("checkpoints.dir", s.checkpointsDir().toString());
        p.setProperty("audit.log", s.recordingsDir().resolve("demo-audit.log").toString());
        // The server records the session (samples, labels, outputs), as it does every session.
        p.setProperty("recordings.dir", s.recordingsDir().toString());
        p.setProperty("recording.enabled", "true");
        return ServerConfig.apply(ServerConfig.defaults(), p);
    }

    private static void closeAll(List<AutoCloseable> opened) {
        for (AutoCloseable c : opened) {
            try {
                c.close();
            } catch (Exception e) {
                System.err.println("spikeloop demo: while stopping: " + e);
            }
        }
        opened.clear();
    }
}
