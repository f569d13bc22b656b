package org.spikeloop.app.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.app.SpikeloopApplication;
import org.spikeloop.proto.v1.Architecture;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.FrameField;
import org.spikeloop.proto.v1.IngestServiceGrpc;
import org.spikeloop.proto.v1.IngestSummary;
import org.spikeloop.proto.v1.LabelChunk;
import org.spikeloop.proto.v1.LearningSettings;
import org.spikeloop.proto.v1.NeuronModelKind;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SessionStatistics;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.proto.v1.SourceSpec;
import org.spikeloop.proto.v1.WatchRequest;
import org.spikeloop.server.config.ServerConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop bench e2e}: end-to-end latency of the whole server, LSL push → decoded frame
 * received by a gRPC watcher, on loopback in one process. Per session: an LSL outlet (the rig, a
 * thread of its own) pushes one sample of random spikes every 1/rate s on absolute deadlines, rig k
 * offset by k/K of a period, stamping it with the LSL clock just before the push; the server's LSL
 * source feeds a 1-layer ALIF decoder (e-prop on with a held label unless {@code --no-eprop}); a
 * Watch stream over Netty records, for every frame whose sample was pushed after the warm-up (and a
 * forced full GC and 5 s to settle), receive time − push stamp in an HdrHistogram (both clocks are
 * CLOCK_MONOTONIC on Linux), and splits it into three hops by the frame's own time stamps: push →
 * arrival charged by the LSL source, arrival → frame published, published → received, and the
 * engine's own step times (compute per step, from the session statistics). Reports the machine's
 * own noise measured in the same run by a busy-wait probe, resident memory, and the heap after a
 * full GC at the start and the end of the measured window (forced outside it) and after the JVM's
 * last own GC each minute. The heap is the whole process's: server and benchmark client.
 */
@Command(
        name = "e2e",
        mixinStandardHelpOptions = true,
        description =
                "End-to-end latency: LSL push -> frame received by a gRPC watcher (loopback).")
public final class E2eBenchCommand implements Callable<Integer> {
    @Option(
            names = "--sessions",
            paramLabel = "N",
            defaultValue = "1",
            description = "Sessions, each with its own rig and watcher. Default: ${DEFAULT-VALUE}.")
    int sessions;

    @Mixin StreamLoad load;

    // 20 s: on 2 cores C2 needs the first ~15 s to compile the e-prop kernels, competing with the
    // load for the cores; measuring earlier measures the compiler.
    @Option(
            names = "--warmup-s",
            paramLabel = "S",
            defaultValue = "20",
            description =
                    "Seconds of load before measuring (then a forced GC and 5 s to settle)."
                            + " Default: ${DEFAULT-VALUE}.")
    double warmupS;

    @Option(
            names = "--hidden",
            paramLabel = "N",
            defaultValue = "256",
            description = "Hidden ALIF neurons of each decoder. Default: ${DEFAULT-VALUE}.")
    int hidden;

    @Option(
            names = "--outputs",
            paramLabel = "N",
            defaultValue = "2",
            description = "Readout outputs of each decoder. Default: ${DEFAULT-VALUE}.")
    int outputs;

    @Option(
            names = "--spike-probability",
            paramLabel = "P",
            defaultValue = "0.02",
            description = "Chance of a spike per channel and sample. Default: ${DEFAULT-VALUE}.")
    double spikeProbability;

    @Option(
            names = "--no-eprop",
            negatable = true,
            description = "Learn online with e-prop (on a held label). Default: on.")
    boolean eprop = true;

    @Option(
            names = "--idle",
            paramLabel = "NAME",
            defaultValue = "backoff",
            description = "engine.idleStrategy. Default: ${DEFAULT-VALUE}.")
    String idle;

    @Option(
            names = "--engine-threads",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "engine.threads; 0 = the server's default for this machine. Default:"
                            + " ${DEFAULT-VALUE}.")
    int engineThreads;

    @Option(
            names = "--realtime-priority",
            paramLabel = "P",
            defaultValue = "0",
            description =
                    "engine.realtimePriority: 0 = off, 1-99 = SCHED_FIFO engine threads (needs"
                            + " CAP_SYS_NICE and --idle sleep). Default: ${DEFAULT-VALUE}.")
    int realtimePriority;

    @Option(
            names = "--colocate",
            paramLabel = "true|false",
            arity = "1",
            defaultValue = "true",
            description =
                    "engine.colocate: sources and publishers on the engine threads. Default:"
                            + " ${DEFAULT-VALUE}.")
    boolean colocate;

    @Option(
            names = "--client-executor",
            paramLabel = "NAME",
            defaultValue = "direct",
            description =
                    "The watcher channel's executor: direct (frames handled on the Netty event"
                            + " loop, no hand-off) or default (gRPC's cached thread pool). Default:"
                            + " ${DEFAULT-VALUE}.")
    String clientExecutor;

    @Mixin JsonOutput output;

    /** Time between the forced full GC and the start of the measured window. */
    static final long SETTLE_AFTER_GC_MS = 5_000;

    private volatile boolean pushing = true;

    /** One rig + session + watcher. */
    private final class Lane {
        final String name = "spikeloop-e2e-" + UUID.randomUUID();
        final Outlet outlet;
        final Histogram latencyNs = new Histogram(60_000_000_000L, 3);
        // The three hops of latencyNs, from the frame's own time stamps (one clock on Linux):
        final Histogram lslNs = new Histogram(60_000_000_000L, 3); // push -> LSL source pulled
        final Histogram engineNs = new Histogram(60_000_000_000L, 3); // pulled -> published
        final Histogram deliveryNs = new Histogram(60_000_000_000L, 3); // published -> received
        final AtomicLong pushed = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicLong missed = new AtomicLong();
        // Misses by second of the measured window (by arrival): bursts or a steady rate.
        final java.util.concurrent.atomic.AtomicLongArray missedBySecond =
                new java.util.concurrent.atomic.AtomicLongArray((int) Math.ceil(load.seconds) + 1);
        volatile long lastDropped;
        volatile double measureFromS = Double.MAX_VALUE;
        String sessionId;

        Lane(long seed) {
            rng = new SplittableRandom(seed);
            outlet =
                    new Outlet(
                            StreamInfo.builder(name, "Spikes", load.channels, ChannelFormat.FLOAT32)
                                    .nominalSrateHz(load.rateHz)
                                    .sourceId(name)
                                    .build());
        }

        void onFrame(DecodedFrame f) {
            long nowNs = System.nanoTime();
            if (f.getSourceTimestamp() >= measureFromS) {
                long pushNs = (long) (f.getSourceTimestamp() * 1e9);
                long arrivalNs = (long) (f.getArrivalTime() * 1e9);
                long decodeNs = (long) (f.getDecodeTime() * 1e9);
                record(latencyNs, nowNs - pushNs);
                record(lslNs, arrivalNs - pushNs);
                record(engineNs, decodeNs - arrivalNs);
                record(deliveryNs, nowNs - decodeNs);
                received.incrementAndGet();
                if (f.getDeadlineMissed()) {
                    missed.incrementAndGet();
                    int second = (int) (f.getArrivalTime() - measureFromS);
                    missedBySecond.incrementAndGet(
                            Math.max(0, Math.min(second, missedBySecond.length() - 1)));
                }
            }
            lastDropped = f.getFramesDropped();
        }

        private void record(Histogram h, long ns) {
            h.recordValue(Math.max(0, Math.min(ns, h.getHighestTrackableValue())));
        }

        private final SplittableRandom rng;
        private final float[] x = new float[load.channels];
        private final double[] ts = new double[1];

        /** Pushes one sample of random spikes, stamped with the LSL clock just before the push. */
        void pushOne() {
            for (int i = 0; i < load.channels; i++) {
                x[i] = rng.nextDouble() < spikeProbability ? 1f : 0f;
            }
            ts[0] = Lsl.localClockS();
            outlet.pushChunk(x, ts, 1);
            pushed.incrementAndGet();
        }
    }

    /**
     * One rig: pushes a sample to {@code lane}'s outlet every 1/rate s on absolute deadlines
     * (parking until 50 µs before each, then spinning) from {@code startNs} on. Lane k starts k/K
     * of a period after lane 0, as independent rigs have unrelated phases; rigs in lockstep would
     * hand the engine all K samples at once every period.
     */
    private void pushEvery(Lane lane, long startNs) {
        long periodNs = 1_000_000_000L / load.rateHz;
        long next = startNs;
        while (pushing) {
            next += periodNs;
            long wait;
            while ((wait = next - System.nanoTime()) > 0) {
                if (wait > 100_000) {
                    LockSupport.parkNanos(wait - 50_000);
                } else {
                    Thread.onSpinWait();
                }
            }
            lane.pushOne();
        }
    }

    @Override
    public Integer call() throws Exception {
        load.validate();
        NetworkSize.requirePositive("--sessions", sessions);
        NetworkSize.requirePositive("--hidden", hidden);
        NetworkSize.requirePositive("--outputs", outputs);
        if (!(warmupS >= 0)) {
            throw new IllegalArgumentException("--warmup-s: must be >= 0, got " + warmupS);
        }
        JitterProbe.Result noise = JitterProbe.run(20_000, 100_000); // 2 s, before the load starts
        Path tmp = Files.createTempDirectory("spikeloop-bench-e2e");
        Properties p = new Properties();
        p.setProperty("grpc.port", "0");
        p.setProperty("metrics.port", "-1");
        p.setProperty("audit.log", tmp.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", tmp.resolve("checkpoints").toString());
        // Sessions record to XDF as in service (part of the load), into the temporary directory.
        p.setProperty("recordings.dir", tmp.resolve("recordings").toString());
        p.setProperty("limits.maxSessions", Integer.toString(sessions));
        p.setProperty("engine.idleStrategy", idle);
        p.setProperty("engine.colocate", Boolean.toString(colocate));
        p.setProperty("engine.realtimePriority", Integer.toString(realtimePriority));
        if (engineThreads > 0) {
            p.setProperty("engine.threads", Integer.toString(engineThreads));
        }
        ServerConfig cfg = ServerConfig.apply(ServerConfig.defaults(), p);
        List<Lane> lanes = new ArrayList<>();
        try (SpikeloopApplication app = SpikeloopApplication.start(cfg, null)) {
            NettyChannelBuilder channelBuilder =
                    NettyChannelBuilder.forAddress("127.0.0.1", app.grpcPort()).usePlaintext();
            if (clientExecutor.equals("direct")) {
                channelBuilder.directExecutor(); // onFrame only records into histograms
            } else if (!clientExecutor.equals("default")) {
                throw new IllegalArgumentException(
                        "--client-executor: direct or default, got '" + clientExecutor + "'");
            }
            ManagedChannel channel = channelBuilder.build();
            var sessionsStub = SessionServiceGrpc.newBlockingStub(channel);
            for (int k = 0; k < sessions; k++) {
                Lane lane = new Lane(k);
                lanes.add(lane);
                lane.sessionId =
                        sessionsStub
                                .createSession(
                                        CreateSessionRequest.newBuilder()
                                                .setSpec(spec(lane.name, k))
                                                .build())
                                .getId();
                if (eprop) {
                    pushHeldLabel(channel, lane.sessionId);
                }
                DecodeServiceGrpc.newStub(channel)
                        .watch(
                                WatchRequest.newBuilder()
                                        .setSessionId(lane.sessionId)
                                        .addFields(FrameField.FRAME_FIELD_TIMES)
                                        .build(),
                                new StreamObserver<>() {
                                    @Override
                                    public void onNext(DecodedFrame f) {
                                        lane.onFrame(f);
                                    }

                                    @Override
                                    public void onError(Throwable t) {}

                                    @Override
                                    public void onCompleted() {}
                                });
                lane.outlet.waitForConsumers(10);
            }
            List<Thread> rigs = new ArrayList<>();
            long startNs = System.nanoTime();
            long periodNs = 1_000_000_000L / load.rateHz;
            for (int k = 0; k < lanes.size(); k++) {
                Lane lane = lanes.get(k);
                long laneStartNs = startNs + periodNs * k / lanes.size();
                Thread rig = new Thread(() -> pushEvery(lane, laneStartNs), "e2e-rig-" + k);
                rig.start();
                rigs.add(rig);
            }
            Thread.sleep((long) (warmupS * 1000));
            HeapAfterGc heap = HeapAfterGc.start();
            double heapStartMib = heap.forceGcMib(); // before the measured window, not inside it
            // The forced full GC stops the world for tens of ms; let its backlog drain first.
            Thread.sleep(SETTLE_AFTER_GC_MS);
            double measureFrom = Lsl.localClockS();
            long pushedAtStart = 0;
            for (Lane lane : lanes) {
                lane.measureFromS = measureFrom;
            }
            long endNs = System.nanoTime() + (long) (load.seconds * 1e9);
            List<Double> perMinuteMib = new ArrayList<>();
            long nextMinuteNs = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < endNs) {
                long left = Math.min(endNs, nextMinuteNs) - System.nanoTime();
                if (left > 0) {
                    Thread.sleep(Math.max(1, left / 1_000_000));
                }
                if (System.nanoTime() >= nextMinuteNs) {
                    perMinuteMib.add(heap.lastAfterGcMib()); // passive: no GC forced in-window
                    nextMinuteNs += 60_000_000_000L;
                }
            }
            pushing = false;
            for (Thread rig : rigs) {
                rig.join();
            }
            double heapEndMib = heap.forceGcMib();
            heap.close();
            Thread.sleep(2000); // drain
            long pushed = 0;
            long steps = 0;
            long misses = 0;
            long dropped = 0;
            long ringDropped = 0;
            long stepsMeasured = 0;
            long[] missesBySecond = new long[(int) Math.ceil(load.seconds) + 1];
            double stepP50SumUs = 0;
            double stepP99MaxUs = 0;
            double stepMaxUs = 0;
            Histogram all = new Histogram(60_000_000_000L, 3);
            Histogram lsl = new Histogram(60_000_000_000L, 3);
            Histogram engine = new Histogram(60_000_000_000L, 3);
            Histogram delivery = new Histogram(60_000_000_000L, 3);
            for (Lane lane : lanes) {
                pushed += lane.pushed.get() - pushedAtStart;
                SessionStatistics st =
                        DecodeServiceGrpc.newBlockingStub(channel)
                                .getStatistics(
                                        SessionId.newBuilder()
                                                .setSessionId(lane.sessionId)
                                                .build());
                steps += st.getSteps();
                stepP50SumUs += st.getStepLatency().getP50Us();
                stepP99MaxUs = Math.max(stepP99MaxUs, st.getStepLatency().getP99Us());
                stepMaxUs = Math.max(stepMaxUs, st.getStepLatency().getMaxUs());
                ringDropped += st.getSamplesDropped();
                dropped += st.getWatcherFramesDropped();
                misses += lane.missed.get();
                for (int i = 0; i < missesBySecond.length; i++) {
                    missesBySecond[i] += lane.missedBySecond.get(i);
                }
                stepsMeasured += lane.received.get();
                all.add(lane.latencyNs);
                lsl.add(lane.lslNs);
                engine.add(lane.engineNs);
                delivery.add(lane.deliveryNs);
            }
            long rssKb = rssKb();
            channel.shutdownNow();
            String out =
                    String.format(
                            Locale.ROOT,
                            "{\"sessions\": %d, \"channels\": %d, \"rate_hz\": %d, \"hidden\": %d,"
                                    + " \"outputs\": %d, \"eprop\": %b, \"seconds\": %.1f,"
                                    + " \"frames_measured\": %d, \"p50_us\": %.1f, \"p99_us\": %.1f,"
                                    + " \"p999_us\": %.1f, \"max_us\": %.1f,"
                                    + " \"deadline_misses\": %d, \"frames_dropped\": %d,"
                                    + " \"samples_pushed\": %d, \"samples_lost\": %d,"
                                    + " \"samples_dropped_ring_full\": %d,"
                                    + " \"noise_probe_p99_us\": %.1f, \"noise_probe_max_us\": %.1f,"
                                    + " \"hop_lsl_p50_us\": %.1f, \"hop_lsl_p99_us\": %.1f,"
                                    + " \"hop_engine_p50_us\": %.1f, \"hop_engine_p99_us\": %.1f,"
                                    + " \"hop_delivery_p50_us\": %.1f,"
                                    + " \"hop_delivery_p99_us\": %.1f,"
                                    + " \"step_p50_us_mean\": %.1f, \"step_p99_us_max\": %.1f,"
                                    + " \"step_max_us\": %.1f,"
                                    + " \"engine_threads\": %d, \"colocate\": %b,"
                                    + " \"idle\": \"%s\", \"realtime_priority\": %d,"
                                    + " \"client_executor\": \"%s\","
                                    + " \"rss_mib\": %.1f, \"heap_after_gc_start_mib\": %.1f,"
                                    + " \"heap_after_gc_end_mib\": %.1f, \"heap_growth_mib\": %.1f,"
                                    + " \"heap_after_gc_by_minute_mib\": %s,"
                                    + " \"deadline_misses_by_second\": %s,"
                                    + " \"load_average_1m\": %.2f}",
                            sessions,
                            load.channels,
                            load.rateHz,
                            hidden,
                            outputs,
                            eprop,
                            load.seconds,
                            stepsMeasured,
                            pct(all, 50),
                            pct(all, 99),
                            pct(all, 99.9),
                            all.getTotalCount() == 0 ? 0 : all.getMaxValue() / 1e3,
                            misses,
                            dropped,
                            pushed,
                            pushed - steps,
                            ringDropped,
                            noise.p99Us(),
                            noise.maxUs(),
                            pct(lsl, 50),
                            pct(lsl, 99),
                            pct(engine, 50),
                            pct(engine, 99),
                            pct(delivery, 50),
                            pct(delivery, 99),
                            stepP50SumUs / lanes.size(),
                            stepP99MaxUs,
                            stepMaxUs,
                            cfg.engineThreads(),
                            cfg.engineColocate(),
                            cfg.idleStrategy(),
                            cfg.engineRealtimePriority(),
                            clientExecutor,
                            rssKb / 1024.0,
                            heapStartMib,
                            heapEndMib,
                            heapEndMib - heapStartMib,
                            HeapAfterGc.jsonArray(perMinuteMib),
                            java.util.Arrays.toString(missesBySecond),
                            ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            if (output.json) {
                System.out.println(out);
            } else {
                System.out.println("spikeloop bench e2e: " + out);
            }
        } finally {
            pushing = false;
            for (Lane lane : lanes) {
                lane.outlet.close();
            }
            deleteTree(tmp);
        }
        return 0;
    }

    private SessionSpec spec(String lslName, int k) {
        return SessionSpec.newBuilder()
                .setName("bench-e2e-" + k)
                .setChannelCount(load.channels)
                .setSampleRateHz(load.rateHz)
                .setDecoder(
                        DecoderSpec.newBuilder()
                                .setArchitecture(
                                        Architecture.newBuilder()
                                                .setHidden(hidden)
                                                .setOutputs(outputs)
                                                .setNeuron(NeuronModelKind.NEURON_MODEL_ALIF)
                                                .setSeed(k + 1)))
                .setLearning(LearningSettings.newBuilder().setEnabled(eprop))
                .setSource(
                        SourceSpec.newBuilder()
                                .setKind(SourceKind.SOURCE_LSL)
                                .setLslStreamName(lslName))
                .build();
    }

    /** One label held from time 0 on, so e-prop learns on every step (its full per-step cost). */
    private void pushHeldLabel(ManagedChannel channel, String sessionId) throws Exception {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        var in =
                IngestServiceGrpc.newStub(channel)
                        .pushLabels(
                                new StreamObserver<IngestSummary>() {
                                    @Override
                                    public void onNext(IngestSummary s) {}

                                    @Override
                                    public void onError(Throwable t) {
                                        done.countDown();
                                    }

                                    @Override
                                    public void onCompleted() {
                                        done.countDown();
                                    }
                                });
        LabelChunk.Builder b =
                LabelChunk.newBuilder()
                        .setSessionId(sessionId)
                        .setLabelDim(outputs)
                        .addTimestamps(0.0);
        for (int o = 0; o < outputs; o++) {
            b.addValues(o % 2 == 0 ? 0.5f : -0.5f);
        }
        in.onNext(b.build());
        in.onCompleted();
        done.await(10, TimeUnit.SECONDS);
    }

    private static double pct(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1e3;
    }

    private static void deleteTree(Path dir) throws java.io.IOException {
        try (var paths = Files.walk(dir)) {
            for (Path f : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
    }

    private static long rssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
