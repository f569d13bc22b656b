package org.spikeloop.app.bench;

import io.grpc.inprocess.InProcessServerBuilder;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import org.HdrHistogram.Histogram;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.sim.IntracorticalRig;
import org.spikeloop.adapters.sim.RigConfig;
import org.spikeloop.adapters.xdf.XdfWriter;
import org.spikeloop.app.SpikeloopApplication;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.io.SampleIngest;
import org.spikeloop.server.jobs.JobHandle;
import org.spikeloop.server.jobs.TrainingJobRequest;
import org.spikeloop.server.session.DecoderSource;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionConfig;
import org.spikeloop.server.session.SessionStatistics;
import org.spikeloop.snn.spec.NeuronModel;

/**
 * Decode step latency of K sessions with and without an SG-BPTT job running on the server's job
 * executor (issue 8). Each run starts a fresh in-process server with K sessions (C channels at 1
 * kHz from a simulated rig, C → H ALIF → 2, e-prop on with velocity labels), feeds them in 10 ms
 * chunks at real time, warms up, then reads each session's step-latency histogram over the
 * measurement window (all sessions merged). "With job" runs submit a training job (default config
 * around the sessions' architecture, on a recording of the same rig) before the warm-up and cancel
 * it after the window. Runs alternate without/with so that slow drifts of the machine's load hit
 * both alike; the result is the median over runs of each condition's p99.
 *
 * <p>Control-plane harness: allocates freely; never run by the unit tests.
 */
public final class JobInterferenceBench {
    private static final String SPIKES = "bench-spikes";
    private static final String LABELS = "bench-velocity";

    /** Settings. */
    public record Settings(
            int sessions,
            int channels,
            int hidden,
            int pairs,
            double warmupS,
            double seconds,
            Path workDir) {}

    /** One run. */
    public record Run(
            boolean withJob,
            long steps,
            double p50Us,
            double p99Us,
            double p999Us,
            double maxUs,
            long deadlineMisses,
            int jobEpochs,
            String jobState,
            double probeP99Us,
            double loadAverage) {}

    private JobInterferenceBench() {}

    public static List<Run> run(Settings s, PrintWriter log) throws Exception {
        Files.createDirectories(s.workDir());
        Path recordings = s.workDir().resolve("recordings");
        Files.createDirectories(recordings);
        writeRecording(recordings.resolve("bench.xdf"), s.channels(), 30.0);
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < 2 * s.pairs(); i++) {
            boolean withJob = i % 2 == 1;
            Run r = once(s, withJob, i, recordings);
            runs.add(r);
            log.printf(
                    Locale.ROOT,
                    "{\"run\":%d,\"with_job\":%b,\"steps\":%d,\"p50_us\":%.2f,\"p99_us\":%.2f,"
                            + "\"p999_us\":%.2f,\"max_us\":%.1f,\"deadline_misses\":%d,"
                            + "\"job_epochs\":%d,\"job_state\":\"%s\",\"probe_p99_us\":%.1f,"
                            + "\"load_average\":%.2f}%n",
                    i + 1,
                    withJob,
                    r.steps(),
                    r.p50Us(),
                    r.p99Us(),
                    r.p999Us(),
                    r.maxUs(),
                    r.deadlineMisses(),
                    r.jobEpochs(),
                    r.jobState(),
                    r.probeP99Us(),
                    r.loadAverage());
            log.flush();
        }
        return runs;
    }

    /** Median of the p99s of the runs with {@code withJob}. */
    public static double medianP99(List<Run> runs, boolean withJob) {
        double[] v =
                runs.stream().filter(r -> r.withJob() == withJob).mapToDouble(Run::p99Us).toArray();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static Run once(Settings s, boolean withJob, int index, Path recordings)
            throws Exception {
        Path dir = s.workDir().resolve("run-" + index);
        Properties p = new Properties();
        p.setProperty("metrics.port", "-1");
        p.setProperty("audit.log", dir.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", dir.resolve("checkpoints").toString());
        Files.createDirectories(dir);
        ServerConfig cfg = ServerConfig.apply(ServerConfig.defaults(), p);
        try (SpikeloopApplication app =
                SpikeloopApplication.start(
                        cfg,
                        InProcessServerBuilder.forName(InProcessServerBuilder.generateName()))) {
            List<Session> sessions = new ArrayList<>();
            for (int k = 0; k < s.sessions(); k++) {
                sessions.add(
                        app.sessions()
                                .create(
                                        new SessionConfig(
                                                "bench-" + k,
                                                s.channels(),
                                                1000.0,
                                                new DecoderSource.Architecture(
                                                        s.hidden(), 2, NeuronModel.ALIF, 10 + k),
                                                true,
                                                0,
                                                0,
                                                SessionConfig.SourceKind.GRPC,
                                                null,
                                                30.0),
                                        "bench"));
            }
            AtomicBoolean feeding = new AtomicBoolean(true);
            List<Thread> feeders = new ArrayList<>();
            for (int k = 0; k < sessions.size(); k++) {
                Session session = sessions.get(k);
                long seed = 100 + k;
                Thread t =
                        new Thread(
                                () -> feed(session, s.channels(), seed, feeding),
                                "bench-feeder-" + k);
                t.setDaemon(true);
                t.start();
                feeders.add(t);
            }
            JobHandle job = null;
            if (withJob) {
                // The job starts from the first session's weights: its architecture, real work.
                Session first = sessions.get(0);
                String id =
                        app.governance()
                                .registry()
                                .register(
                                        org.spikeloop.snn.checkpoint.Checkpoint.create(
                                                first.spec(),
                                                first.command(e -> e.exportParams()).get(),
                                                org.spikeloop.snn.checkpoint.Provenance.now(
                                                        "bench", "start")),
                                        new org.spikeloop.server.registry.Lineage(
                                                "", "init", null, "", null, "bench"))
                                .id();
                String config =
                        "{\"network\":"
                                + org.spikeloop.snn.spec.SpecJson.write(first.spec())
                                + ",\"loss\":{\"name\":\"readout_mse\"},"
                                + "\"training\":{\"learningRate\":1e-3,\"epochs\":100000,"
                                + "\"batchSize\":16,\"clipNorm\":1.0}}";
                job =
                        app.governance()
                                .jobs()
                                .submit(
                                        new TrainingJobRequest(
                                                "",
                                                List.of(recordings.resolve("bench.xdf")),
                                                SPIKES,
                                                LABELS,
                                                Double.NaN,
                                                Double.NaN,
                                                config,
                                                id,
                                                0.25,
                                                500,
                                                100000,
                                                "bench"));
            }
            Thread.sleep((long) (s.warmupS() * 1000));
            if (job != null && job.state().terminal()) {
                throw new IllegalStateException("the benchmark job ended early: " + job.error());
            }
            List<Histogram> start = new ArrayList<>();
            long[] missesStart = new long[sessions.size()];
            for (int k = 0; k < sessions.size(); k++) {
                SessionStatistics st = sessions.get(k).statistics();
                start.add(st.stepLatencyNs());
                missesStart[k] = st.deadlineMisses();
            }
            // The machine's own noise during the window: a busy-wait probe on this thread.
            long windowEnd = System.nanoTime() + (long) (s.seconds() * 1e9);
            org.spikeloop.app.bench.JitterProbe.Result probe =
                    org.spikeloop.app.bench.JitterProbe.run(
                            (int) Math.max(1, s.seconds() * 1e6 / 50 / 4), 50_000);
            long rest = windowEnd - System.nanoTime();
            if (rest > 0) {
                Thread.sleep(rest / 1_000_000);
            }
            double load =
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean()
                            .getSystemLoadAverage();
            Histogram merged = new Histogram(1, 60_000_000_000L, 3);
            long misses = 0;
            for (int k = 0; k < sessions.size(); k++) {
                SessionStatistics st = sessions.get(k).statistics();
                Histogram h = st.stepLatencyNs().copy();
                h.subtract(start.get(k));
                merged.add(h);
                misses += st.deadlineMisses() - missesStart[k];
            }
            int epochs = 0;
            String state = "none";
            if (job != null) {
                state = job.state().name();
                epochs = job.lastProgress() == null ? 0 : job.lastProgress().epoch();
                app.governance().jobs().cancel(job.id());
            }
            feeding.set(false);
            for (Thread t : feeders) {
                t.join(2000);
            }
            if (job != null) {
                for (int i = 0; i < 600 && !job.state().terminal(); i++) {
                    Thread.sleep(50);
                }
            }
            return new Run(
                    withJob,
                    merged.getTotalCount(),
                    merged.getValueAtPercentile(50) / 1e3,
                    merged.getValueAtPercentile(99) / 1e3,
                    merged.getValueAtPercentile(99.9) / 1e3,
                    merged.getMaxValue() / 1e3,
                    misses,
                    epochs,
                    state,
                    probe.p99Us(),
                    load);
        }
    }

    /** Streams the rig's spikes and velocity labels in 10-sample chunks, paced at 1 kHz. */
    private static void feed(Session session, int channels, long seed, AtomicBoolean feeding) {
        IntracorticalRig rig =
                new IntracorticalRig(new RigConfig(channels, 1.0, 10.0, 20.0, 0.1, 1.0, seed));
        float[] spikes = new float[channels];
        double[] vel = new double[2];
        try (SampleIngest in = session.openSampleStream();
                SampleIngest labels = session.openLabelStream()) {
            long t0 = System.nanoTime();
            long n = 0;
            while (feeding.get()) {
                int rows = in.beginChunk(channels, 10 * channels, 10, 1000.0);
                labels.beginChunk(2, 20, 10, 0);
                for (int r = 0; r < rows; r++) {
                    rig.step(spikes, vel);
                    double ts = (n + r) / 1000.0;
                    System.arraycopy(spikes, 0, in.rowBuffer(), 0, channels);
                    labels.rowBuffer()[0] = (float) (vel[0] * 10);
                    labels.rowBuffer()[1] = (float) (vel[1] * 10);
                    labels.offerRow(ts);
                    in.offerRow(ts);
                }
                n += rows;
                long due = t0 + n * 1_000_000L;
                long sleepNs = due - System.nanoTime();
                if (sleepNs > 0) {
                    Thread.sleep(sleepNs / 1_000_000, (int) (sleepNs % 1_000_000));
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void writeRecording(Path file, int channels, double seconds) throws IOException {
        IntracorticalRig rig =
                new IntracorticalRig(new RigConfig(channels, 1.0, 10.0, 20.0, 0.1, 1.0, 1));
        try (XdfWriter w = new XdfWriter(file)) {
            w.streamHeader(
                    1,
                    StreamInfo.builder(SPIKES, "Spikes", channels, ChannelFormat.FLOAT32)
                            .nominalSrateHz(1000)
                            .build());
            w.streamHeader(
                    2,
                    StreamInfo.builder(LABELS, "Kinematics", 2, ChannelFormat.FLOAT32)
                            .nominalSrateHz(1000)
                            .build());
            int chunk = 1000;
            float[] sp = new float[channels];
            double[] vel = new double[2];
            float[] sBuf = new float[chunk * channels];
            float[] vBuf = new float[chunk * 2];
            double[] stamps = new double[chunk];
            for (int i = 0; i < seconds * 1000; i += chunk) {
                for (int k = 0; k < chunk; k++) {
                    rig.step(sp, vel);
                    System.arraycopy(sp, 0, sBuf, k * channels, channels);
                    vBuf[2 * k] = (float) (vel[0] * 10);
                    vBuf[2 * k + 1] = (float) (vel[1] * 10);
                    stamps[k] = (i + k) / 1000.0;
                }
                w.samples(1, sBuf, stamps, chunk);
                w.samples(2, vBuf, stamps, chunk);
            }
            w.streamFooters();
        }
    }
}
