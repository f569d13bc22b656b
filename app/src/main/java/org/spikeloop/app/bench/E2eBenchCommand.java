package org.spikeloop.app.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.spikeloop.adapters.lsl.Lsl;
import org.spikeloop.app.SpikeloopApplication;
import org.spikeloop.proto.v1.Architecture;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.IngestServiceGrpc;
import org.spikeloop.proto.v1.IngestSummary;
import org.spikeloop.proto.v1.LabelChunk;
import org.spikeloop.proto.v1.LearningSettings;
import org.spikeloop.proto.v1.LiveEdgeSpec;
import org.spikeloop.proto.v1.LslOutletSpec;
import org.spikeloop.proto.v1.NeuronModelKind;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.proto.v1.SourceSpec;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.session.SessionStatistics;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop bench e2e}: end-to-end latency of the whole server, LSL push → decoded frame
 * received by a gRPC watcher over Netty on 127.0.0.1, for one or several session counts.
 *
 * <p>Per session: a rig (an LSL outlet of random spikes at the session's rate: a process of its own
 * by default, {@link ExternalRigs}, or a thread of this one, {@link InProcessRigs}), a session
 * decoding it with a 1-layer ALIF decoder (e-prop on with a held label unless {@code
 * --no-learning}) and recording to XDF as in service, and a Watch stream (from a watcher process of
 * its own by default, {@link ExternalWatcher}, or this one). After the warm-up, a forced full GC
 * and 5 s to settle, the measured window: every frame whose sample was stamped in it is measured by
 * the watcher ({@link FrameStats}: latency, hops, deadline misses); meanwhile this process records
 * what each thread role allocates and computes ({@link ThreadRoles}), the collector's pauses
 * ({@link GcPauseLog}) and what a sleeping thread with the engine's period suffers ({@link
 * DeadlineProbe}). Deadline misses are split by cause: those whose wait overlapped a GC pause, the
 * rest (the engine was behind: queueing, compute, preemption), and frames published in time but
 * received late (delivery). One JSON object per session count (docs/benchmarks.md lists the
 * fields).
 */
@Command(
        name = "e2e",
        mixinStandardHelpOptions = true,
        description =
                "End-to-end latency: LSL push -> frame received by a gRPC watcher (loopback), with"
                        + " allocation by thread role, GC pauses and a deadline probe.")
public final class E2eBenchCommand implements Callable<Integer> {
    @Option(
            names = "--sessions",
            paramLabel = "N[,N...]",
            defaultValue = "1",
            description =
                    "Sessions, each with its own rig and watcher; a list (1,2,4,8,16) runs each"
                            + " count in turn on a fresh server. Default: ${DEFAULT-VALUE}.")
    String sessions;

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
            names = "--decode-everything",
            description =
                    "The sessions decode every sample however late (no live edge: they never"
                            + " skip).")
    boolean decodeEverything;

    @Option(
            names = "--idle",
            paramLabel = "NAME",
            defaultValue = "sleep",
            description = "engine.idleStrategy. Default: ${DEFAULT-VALUE} (the server's).")
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
            defaultValue = "auto",
            description =
                    "engine.realtimePriority: auto = SCHED_FIFO engine threads where the OS allows"
                            + " them, 0 = off, 1-99 = at this priority (needs an rtprio limit or"
                            + " CAP_SYS_NICE, and --idle sleep). Default: ${DEFAULT-VALUE} (the"
                            + " server's).")
    String realtimePriority;

    @Option(
            names = "--cpu-wake-latency-us",
            paramLabel = "US",
            defaultValue = "0",
            description =
                    "engine.cpuWakeLatencyUs: the CPU wake-up latency the server asks Linux for"
                            + " while sessions run (/dev/cpu_dma_latency; 0 = idle CPUs poll), -1 ="
                            + " no request. Default: ${DEFAULT-VALUE} (the server's).")
    int cpuWakeLatencyUs;

    @Option(
            names = "--colocate",
            paramLabel = "true|false",
            arity = "1",
            defaultValue = "true",
            description =
                    "engine.colocate: sources, recorders and outlets on the engine threads."
                            + " Default: ${DEFAULT-VALUE}.")
    boolean colocate;

    @Option(
            names = "--rigs",
            paramLabel = "external|internal",
            defaultValue = "external",
            description =
                    "external: each rig a process of its own; internal: a thread of this process."
                            + " Default: ${DEFAULT-VALUE}.")
    String rigs;

    @Option(
            names = "--rig-program",
            paramLabel = "pylsl|sim",
            defaultValue = "pylsl",
            description =
                    "External rigs: pylsl (a small pylsl publisher, stamped at the push) or sim"
                            + " (spikeloop sim intracortical --chunk-ms 1; 1000 Hz only). Default:"
                            + " ${DEFAULT-VALUE}.")
    String rigProgram;

    @Option(
            names = "--rig-nice",
            paramLabel = "N",
            defaultValue = "10",
            description =
                    "Niceness of external rig processes (0 = as this process). Default:"
                            + " ${DEFAULT-VALUE}.")
    int rigNice;

    @Option(
            names = "--rig-cpus",
            paramLabel = "LIST",
            defaultValue = "",
            description = "taskset -c CPU list for external rigs. Default: any CPU.")
    String rigCpus;

    @Option(
            names = "--rig-python",
            paramLabel = "PATH",
            defaultValue = "",
            description =
                    "Python with pylsl for pylsl rigs. Default:"
                            + " $SPIKELOOP_HOME/clients/python/.venv/bin/python, else python3.")
    String rigPython;

    @Option(
            names = "--watcher",
            paramLabel = "external|internal",
            defaultValue = "external",
            description =
                    "external: a watcher process of its own; internal: this process. Default:"
                            + " ${DEFAULT-VALUE}.")
    String watcher;

    @Option(
            names = "--watcher-nice",
            paramLabel = "N",
            defaultValue = "0",
            description =
                    "Niceness of the external watcher (it stamps the receipt). Default:"
                            + " ${DEFAULT-VALUE}.")
    int watcherNice;

    @Mixin WatchOptions watch;

    @Option(
            names = "--page-clients",
            paramLabel = "N[,N...]",
            defaultValue = "0",
            description =
                    "Status page clients (Server-Sent Events readers of the sessions' live feeds,"
                            + " in this process on niced threads); a list (0,10) runs each count in"
                            + " turn for every session count, alternating. Default:"
                            + " ${DEFAULT-VALUE}.")
    String pageClients;

    @Option(
            names = "--page-client-nice",
            paramLabel = "N",
            defaultValue = "10",
            description = "Niceness of the page clients' threads. Default: ${DEFAULT-VALUE}.")
    int pageClientNice;

    @Option(
            names = "--scrape-interval-s",
            paramLabel = "S",
            defaultValue = "0",
            description =
                    "Fetch GET /metrics every S seconds, as Prometheus would (a niced thread in"
                            + " this process, one connection per scrape); 0 = no scrapes."
                            + " Default: ${DEFAULT-VALUE}.")
    double scrapeIntervalS;

    @Option(
            names = "--server-config",
            paramLabel = "FILE",
            description =
                    "A properties file (keys in docs/server.md) the server starts with, to measure a"
                            + " setting against the defaults. Its engine keys take precedence over"
                            + " --idle, --colocate, --realtime-priority and --engine-threads; the"
                            + " harness keeps its own ports, directories and session limit. Default:"
                            + " none.")
    Path serverConfigFile;

    /** The --server-config file's keys, read and checked once before any rig starts. */
    private Properties fileConfig = new Properties();

    @Mixin JsonOutput output;

    /** Time between the forced full GC and the start of the measured window. */
    static final long SETTLE_AFTER_GC_MS = 5_000;

    /** Time for the last frames to reach the watcher after the rigs stopped. */
    static final long DRAIN_MS = 2_000;

    /**
     * Longest wait, after {@link #DRAIN_MS}, for the samples still in flight when the rigs stopped:
     * rigs starved of CPU hold a backlog in their outlets that is late, not lost.
     */
    static final long DRAIN_MAX_MS = 30_000;

    /** The drain ends once the sessions took in nothing more for this long. */
    static final long DRAIN_QUIET_MS = 2_000;

    @Override
    public Integer call() throws Exception {
        List<Integer> counts = sessionCounts();
        load.validate();
        if (serverConfigFile != null) {
            fileConfig = readConfig(); // a bad file fails before any rig starts
        }
        NetworkSize.requirePositive("--hidden", hidden);
        NetworkSize.requirePositive("--outputs", outputs);
        if (!(warmupS >= 0) || Double.isInfinite(warmupS)) {
            throw new IllegalArgumentException("--warmup-s: must be >= 0, got " + warmupS);
        }
        if (rigNice < 0 || rigNice > 19 || watcherNice < 0 || watcherNice > 19) {
            throw new IllegalArgumentException(
                    "--rig-nice, --watcher-nice: 0 to 19, got " + rigNice + ", " + watcherNice);
        }
        if (!List.of("internal", "external").contains(rigs)) {
            throw new IllegalArgumentException("--rigs: internal or external, got '" + rigs + "'");
        }
        if (!List.of("pylsl", "sim").contains(rigProgram)) {
            throw new IllegalArgumentException(
                    "--rig-program: pylsl or sim, got '" + rigProgram + "'");
        }
        if (rigs.equals("external") && rigProgram.equals("sim") && load.rateHz != 1000) {
            throw new IllegalArgumentException(
                    "--rig-program sim: the simulated array runs at 1000 Hz, got --rate-hz "
                            + load.rateHz);
        }
        if (!List.of("internal", "external").contains(watcher)) {
            throw new IllegalArgumentException(
                    "--watcher: internal or external, got '" + watcher + "'");
        }
        watch.validate();
        List<Integer> pages = pageClientCounts();
        if (!(scrapeIntervalS >= 0 && scrapeIntervalS <= 3600)) {
            throw new IllegalArgumentException(
                    "--scrape-interval-s: 0 (none) to 3600, got " + scrapeIntervalS);
        }
        if (pageClientNice < 0 || pageClientNice > 19) {
            throw new IllegalArgumentException(
                    "--page-client-nice: 0 to 19, got " + pageClientNice);
        }
        for (int k : counts) {
            for (int c : pages) {
                JsonObject result = run(k, c);
                System.out.println(
                        output.json ? result.toString() : "spikeloop bench e2e: " + result);
                System.out.flush();
            }
        }
        return 0;
    }

    /** {@code --page-clients} as a list of counts ≥ 0. */
    List<Integer> pageClientCounts() {
        List<Integer> counts = new ArrayList<>();
        for (String s : pageClients.split(",")) {
            int c;
            try {
                c = Integer.parseInt(s.trim());
            } catch (NumberFormatException e) {
                c = -1;
            }
            if (c < 0 || c > MAX_PAGE_CLIENTS) {
                throw new IllegalArgumentException(
                        "--page-clients: a count in [0, "
                                + MAX_PAGE_CLIENTS
                                + "] or a comma-separated list of them, got '"
                                + pageClients
                                + "'");
            }
            counts.add(c);
        }
        return counts;
    }

    /** The most page clients one run opens (each is a connection and an event stream). */
    static final int MAX_PAGE_CLIENTS = 256;

    /** {@code --sessions} as a list of counts ≥ 1. */
    List<Integer> sessionCounts() {
        List<Integer> counts = new ArrayList<>();
        for (String s : sessions.split(",")) {
            try {
                counts.add(Integer.parseInt(s.trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "--sessions: a count or a comma-separated list of counts, got '"
                                + sessions
                                + "'");
            }
        }
        for (int k : counts) {
            NetworkSize.requirePositive("--sessions", k);
        }
        return counts;
    }

    /**
     * One run with {@code k} sessions and {@code pages} page clients on a fresh server; returns its
     * report.
     */
    private JsonObject run(int k, int pages) throws Exception {
        JitterProbe.Result noise = JitterProbe.run(20_000, 100_000); // 2 s, before the load starts
        Path tmp = Files.createTempDirectory("spikeloop-bench-e2e");
        ServerConfig cfg = serverConfig(tmp, k, pages);
        PageClients pageSet = null;
        MetricsScraper scraper = null;
        long dtNs = 1_000_000_000L / load.rateHz;
        List<String> ids = new ArrayList<>();
        try (GcPauseLog gcLog = GcPauseLog.start();
                E2eRigs rigSet = rigs(k, tmp);
                SpikeloopApplication app = SpikeloopApplication.start(cfg, null)) {
            ManagedChannel channel =
                    NettyChannelBuilder.forAddress("127.0.0.1", app.grpcPort())
                            .usePlaintext()
                            .build();
            var sessionStub = SessionServiceGrpc.newBlockingStub(channel);
            String refusal = null;
            for (int i = 0; i < k && refusal == null; i++) {
                try {
                    ids.add(
                            sessionStub
                                    .createSession(
                                            CreateSessionRequest.newBuilder()
                                                    .setSpec(spec(rigSet.streamNames().get(i), i))
                                                    .build())
                                    .getId());
                } catch (StatusRuntimeException e) {
                    if (e.getStatus().getCode() != Status.Code.RESOURCE_EXHAUSTED) {
                        throw e;
                    }
                    // Admission control said no (docs/server.md, "Limits"): a point of the curve,
                    // not a failure of the run. The rest of the rigs keep streaming unheard.
                    refusal = e.getStatus().getDescription();
                    break;
                }
                if (eprop) {
                    pushHeldLabel(channel, ids.get(i));
                }
            }
            int windowSeconds = (int) Math.ceil(load.seconds);
            boolean overLsl = watch.overLsl();
            List<String> watched = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                watched.add(overLsl ? outletName(rigSet.streamNames().get(i)) : ids.get(i));
            }
            FrameWatch inProcess =
                    watcher.equals("internal")
                            ? watch.open(app.grpcPort(), watched, outputs, windowSeconds)
                            : null;
            ExternalWatcher outside =
                    inProcess == null
                            ? new ExternalWatcher(
                                    app.grpcPort(),
                                    watched,
                                    windowSeconds,
                                    watch,
                                    outputs,
                                    watcherNice,
                                    tmp)
                            : null;
            if (pages > 0) {
                pageSet = new PageClients(app.metricsPort(), ids, pages, pageClientNice);
            }
            if (scrapeIntervalS > 0) {
                scraper = new MetricsScraper(app.metricsPort(), scrapeIntervalS, pageClientNice);
            }
            // One probe scheduled as the engines are (real-time just below them where they are
            // real-time), the reference for their misses; one ordinary thread beside it, as every
            // probe was until this one came (docs/benchmarks.md, "idle CPUs that wake late"), so
            // that older figures stay comparable.
            int enginePriority = cfg.engineRealtimePriorityToAsk();
            int probePriority = enginePriority > 1 ? enginePriority - 1 : enginePriority;
            try (DeadlineProbe probe = new DeadlineProbe(dtNs, "e2e-probe", probePriority);
                    DeadlineProbe ordinaryProbe =
                            new DeadlineProbe(dtNs, "e2e-probe-ordinary", 0)) {
                Thread.sleep(100); // the watchers subscribe from the next frame on
                rigSet.startPushing();
                Thread.sleep((long) (warmupS * 1000));
                HeapAfterGc heap = HeapAfterGc.start();
                double heapStartMib = heap.forceGcMib(); // before the window, not inside it
                // The forced full GC stops the world for tens of ms; let its backlog drain first.
                Thread.sleep(SETTLE_AFTER_GC_MS);

                // ---- the measured window ----
                double fromS = Lsl.localClockS();
                double toS = fromS + load.seconds;
                long fromNs = System.nanoTime();
                long toNs = fromNs + (long) (load.seconds * 1e9);
                if (inProcess != null) {
                    inProcess.window(fromS, toS, dtNs);
                } else {
                    outside.window(fromS, toS, dtNs);
                }
                probe.window(fromNs, toNs);
                ordinaryProbe.window(fromNs, toNs);
                // While the sessions run: held, refused (why) or off (engine.cpuWakeLatencyUs).
                String cpuWakeLatency = app.sessions().cpuWakeLatency();
                Counts start = counts(app, ids);
                long pageFramesStart = pageSet == null ? 0 : pageSet.frames();
                long pageBytesStart = pageSet == null ? 0 : pageSet.bytes();
                int scrapesStart = scraper == null ? 0 : scraper.durationsNs().size();
                List<ProcessHandle> rigProcesses = rigSet.processes();
                List<ProcessHandle> watcherProcess =
                        outside == null ? List.of() : List.of(outside.process());
                MachineCpu.Snapshot machineStart = MachineCpu.snapshot();
                long rigsStartNs = MachineCpu.processesCpuNs(rigProcesses);
                long watcherStartNs = MachineCpu.processesCpuNs(watcherProcess);
                ThreadRoles.Snapshot rolesStart = ThreadRoles.snapshot();
                long cpuStartNs = processCpuNs();
                List<Double> perMinuteMib = new ArrayList<>();
                long nextMinuteNs = fromNs + 60_000_000_000L;
                while (System.nanoTime() < toNs) {
                    long left = Math.min(toNs, nextMinuteNs) - System.nanoTime();
                    if (left > 0) {
                        Thread.sleep(Math.max(1, left / 1_000_000));
                    }
                    if (System.nanoTime() >= nextMinuteNs) {
                        perMinuteMib.add(heap.lastAfterGcMib()); // passive: no GC forced
                        nextMinuteNs += 60_000_000_000L;
                    }
                }
                long cpuNs = processCpuNs() - cpuStartNs;
                ThreadRoles.Snapshot rolesEnd = ThreadRoles.snapshot();
                MachineCpu.Snapshot machineEnd = MachineCpu.snapshot();
                long rigsEndNs = MachineCpu.processesCpuNs(rigProcesses);
                long watcherEndNs = MachineCpu.processesCpuNs(watcherProcess);
                Counts end = counts(app, ids);
                long pageFrames = pageSet == null ? 0 : pageSet.frames() - pageFramesStart;
                long pageBytes = pageSet == null ? 0 : pageSet.bytes() - pageBytesStart;
                int pagesConnected = pageSet == null ? 0 : pageSet.connected();
                List<Long> scrapeNs = scraper == null ? List.of() : scraper.durationsNs();
                scrapeNs =
                        scrapeNs.subList(Math.min(scrapesStart, scrapeNs.size()), scrapeNs.size());
                long rssKb = rssKb();
                // ---- after the window ----
                long[] pushed = rigSet.stop();
                double heapEndMib = heap.forceGcMib();
                heap.close();
                long drainStartNs = System.nanoTime();
                Thread.sleep(DRAIN_MS);
                drain(app, ids, pushed);
                double drainS = (System.nanoTime() - drainStartNs) / 1e9;
                List<GcPauseLog.Pause> pauses = gcLog.pausesBetween(fromNs, toNs, 1_500);
                List<FrameStats> lanes = inProcess != null ? inProcess.lanes() : outside.report();
                FrameStats all = new FrameStats(windowSeconds);
                for (FrameStats lane : lanes) {
                    all.add(lane);
                }
                List<SessionStatistics> finals = new ArrayList<>();
                for (String id : ids) {
                    finals.add(app.sessions().get(id).statistics());
                }
                JsonObject r = new JsonObject();
                describe(r, k, cfg, rigSet);
                r.addProperty("sessions_admitted", ids.size());
                r.addProperty("admission_refusal", refusal);
                latency(r, all, finals);
                if (overLsl) {
                    overLsl(r, start, end);
                }
                // The rigs of admitted sessions (rig i feeds session i); the others were not heard.
                samples(r, java.util.Arrays.copyOf(pushed, ids.size()), finals);
                r.addProperty("drain_s", drainS);
                if (!overLsl) {
                    causes(r, all, pauses);
                }
                probe.close();
                ordinaryProbe.close();
                probe(r, probe, ordinaryProbe, pauses, noise);
                allocation(r, rolesStart, rolesEnd, end.steps - start.steps);
                cpu(r, rolesStart, rolesEnd, cpuNs, ids.size());
                besideTheServer(
                        r,
                        machineStart,
                        machineEnd,
                        cpuNs,
                        processCores(rigProcesses, rigsStartNs, rigsEndNs),
                        processCores(watcherProcess, watcherStartNs, watcherEndNs));
                pauses(r, pauses, fromNs);
                r.addProperty("page_clients", pages);
                r.addProperty("page_clients_connected", pagesConnected);
                r.addProperty("page_client_nice", pageClientNice);
                r.addProperty("page_frames_received", pageFrames);
                r.addProperty("page_bytes_received", pageBytes);
                scrapes(r, scraper, scrapeNs);
                r.addProperty("rss_mib", rssKb / 1024.0);
                r.addProperty("heap_after_gc_start_mib", heapStartMib);
                r.addProperty("heap_after_gc_end_mib", heapEndMib);
                r.addProperty("heap_growth_mib", heapEndMib - heapStartMib);
                r.add("heap_after_gc_by_minute_mib", numbers(perMinuteMib));
                r.addProperty(
                        "load_average_1m",
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                // Whether the OS granted what realtime_priority_asked for: only engine threads ask.
                r.addProperty("sched_fifo_threads", fifoThreads());
                r.addProperty("cpu_wake_latency", cpuWakeLatency);
                return r;
            } finally {
                if (scraper != null) {
                    scraper.close();
                }
                if (pageSet != null) {
                    pageSet.close();
                }
                if (inProcess != null) {
                    inProcess.close();
                }
                if (outside != null) {
                    outside.close();
                }
                channel.shutdownNow();
            }
        } finally {
            ScratchDirectory.delete(tmp);
        }
    }

    /** The scrapes that ended in the window: how many, how long, how big, and any failure. */
    private void scrapes(JsonObject r, MetricsScraper scraper, List<Long> windowNs) {
        r.addProperty("scrape_interval_s", scrapeIntervalS);
        if (scraper == null) {
            return;
        }
        long[] sorted = windowNs.stream().mapToLong(Long::longValue).sorted().toArray();
        r.addProperty("scrapes_in_window", sorted.length);
        if (sorted.length > 0) {
            r.addProperty("scrape_ms_p50", sorted[sorted.length / 2] / 1e6);
            r.addProperty("scrape_ms_max", sorted[sorted.length - 1] / 1e6);
        }
        r.addProperty("scrape_bytes", scraper.lastBodyBytes());
        r.addProperty("scrape_failure", scraper.failure());
    }

    private Properties readConfig() {
        if (!Files.isRegularFile(serverConfigFile)) {
            throw new IllegalArgumentException("--server-config: no file " + serverConfigFile);
        }
        Properties p = new Properties();
        try (java.io.Reader r = Files.newBufferedReader(serverConfigFile)) {
            p.load(r);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(
                    "--server-config: cannot read " + serverConfigFile + ": " + e.getMessage());
        }
        ServerConfig.apply(ServerConfig.defaults(), p); // a bad key or value names itself
        return p;
    }

    private ServerConfig serverConfig(Path tmp, int k, int pages) {
        Properties p = new Properties();
        p.setProperty("engine.idleStrategy", idle);
        p.setProperty("engine.colocate", Boolean.toString(colocate));
        p.setProperty("engine.realtimePriority", realtimePriority);
        p.setProperty("engine.cpuWakeLatencyUs", Integer.toString(cpuWakeLatencyUs));
        if (engineThreads > 0) {
            p.setProperty("engine.threads", Integer.toString(engineThreads));
        }
        p.putAll(fileConfig);
        p.setProperty("grpc.port", "0");
        // The HTTP listener only when page clients read the status page's feeds (sized for them)
        // or a scraper reads /metrics.
        p.setProperty("metrics.port", pages > 0 || scrapeIntervalS > 0 ? "0" : "-1");
        if (pages > 0) {
            p.setProperty("http.maxConnections", Integer.toString(Math.max(64, pages + 8)));
            p.setProperty("http.maxConnectionsPerPeer", Integer.toString(Math.max(8, pages + 4)));
            p.setProperty("http.maxEventStreams", Integer.toString(Math.max(16, pages)));
        }
        p.setProperty("audit.log", tmp.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", tmp.resolve("checkpoints").toString());
        // Sessions record to XDF as in service (part of the load), into the run's directory.
        p.setProperty("recordings.dir", tmp.resolve("recordings").toString());
        p.setProperty("limits.maxSessions", Integer.toString(k));
        if (watch.overLsl()) {
            p.setProperty("lsl.outlets", "true"); // the operator's consent to LSL outlets
        }
        return ServerConfig.apply(ServerConfig.defaults(), p);
    }

    /** Threads of this process under SCHED_FIFO ({@code /proc/self/task/<tid>/stat}, policy). */
    private static int fifoThreads() throws java.io.IOException {
        int n = 0;
        try (var tasks = java.nio.file.Files.list(Path.of("/proc/self/task"))) {
            for (Path t : (Iterable<Path>) tasks::iterator) {
                String stat;
                try {
                    stat = java.nio.file.Files.readString(t.resolve("stat"));
                } catch (java.nio.file.NoSuchFileException gone) {
                    continue; // the thread ended while listed
                }
                // Fields after the parenthesised name, from field 3; policy is field 41.
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                if (f.length > 38 && f[38].equals("1")) {
                    n++;
                }
            }
        }
        return n;
    }

    private E2eRigs rigs(int k, Path tmp) throws java.io.IOException {
        if (rigs.equals("internal")) {
            return new InProcessRigs(k, load.channels, load.rateHz, spikeProbability);
        }
        return new ExternalRigs(
                k,
                load.channels,
                load.rateHz,
                spikeProbability,
                rigProgram,
                rigNice,
                rigCpus,
                python(),
                tmp);
    }

    /** The interpreter for pylsl rigs: the option, the project's virtualenv, or python3. */
    private String python() {
        if (!rigPython.isEmpty()) {
            return rigPython;
        }
        String home = System.getenv("SPIKELOOP_HOME");
        if (home != null) {
            Path venv = Path.of(home, "clients", "python", ".venv", "bin", "python");
            if (Files.isExecutable(venv)) {
                return venv.toString();
            }
        }
        return "python3";
    }

    private SessionSpec spec(String lslName, int k) {
        SessionSpec.Builder b =
                SessionSpec.newBuilder()
                        .setName("bench-e2e-" + k)
                        .setChannelCount(load.channels)
                        .setSampleRateHz(load.rateHz)
                        .setDecoder(
                                DecoderSpec.newBuilder()
                                        .setArchitecture(
                                                Architecture.newBuilder()
                                                        .setHidden(hidden)
                                                        .setOutputs(outputs)
                                                        .setNeuron(
                                                                NeuronModelKind.NEURON_MODEL_ALIF)
                                                        .setSeed(k + 1)))
                        .setLearning(LearningSettings.newBuilder().setEnabled(eprop))
                        .setSource(
                                SourceSpec.newBuilder()
                                        .setKind(SourceKind.SOURCE_LSL)
                                        .setLslStreamName(lslName));
        if (decodeEverything) {
            b.setLiveEdge(LiveEdgeSpec.newBuilder().setDecodeEverything(true));
        }
        if (watch.overLsl()) {
            b.setLslOutlet(LslOutletSpec.newBuilder().setName(outletName(lslName)));
        }
        return b.build();
    }

    /** The LSL outlet of decoded outputs of the session that decodes stream {@code lslName}. */
    static String outletName(String lslName) {
        return lslName + "-decoded";
    }

    /** One label held from time 0 on, so e-prop learns on every step (its full per-step cost). */
    private void pushHeldLabel(ManagedChannel channel, String sessionId) throws Exception {
        CountDownLatch done = new CountDownLatch(1);
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

    /** Sums over the sessions: steps, deadline misses, frames their LSL outlets dropped. */
    private record Counts(long steps, long deadlineMisses, long outletFramesDropped) {}

    /**
     * Waits until the admitted sessions have taken in (decoded or skipped) every sample their rigs
     * pushed, or took in nothing for {@link #DRAIN_QUIET_MS}, at most {@link #DRAIN_MAX_MS}; so a
     * sample counts as lost only when it never arrived.
     */
    private static void drain(SpikeloopApplication app, List<String> ids, long[] pushed)
            throws InterruptedException {
        long want = 0;
        for (int i = 0; i < ids.size(); i++) {
            if (pushed[i] < 0) {
                return; // the rigs do not count: nothing to wait for
            }
            want += pushed[i];
        }
        long endNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DRAIN_MAX_MS);
        long last = -1;
        long lastChangeNs = System.nanoTime();
        while (System.nanoTime() < endNs) {
            long taken = 0;
            for (String id : ids) {
                SessionStatistics st = app.sessions().get(id).statistics();
                taken += st.steps() + st.samplesSkipped() + st.samplesSkippedAtStart();
            }
            if (taken >= want) {
                return;
            }
            if (taken != last) {
                last = taken;
                lastChangeNs = System.nanoTime();
            } else if (System.nanoTime() - lastChangeNs
                    >= TimeUnit.MILLISECONDS.toNanos(DRAIN_QUIET_MS)) {
                return;
            }
            Thread.sleep(100);
        }
    }

    private static Counts counts(SpikeloopApplication app, List<String> ids) {
        long steps = 0;
        long misses = 0;
        long outletDropped = 0;
        for (String id : ids) {
            var session = app.sessions().get(id);
            steps += session.steps();
            misses += session.statistics().deadlineMisses();
            var outlet = session.lslOutletView();
            outletDropped += outlet == null ? 0 : outlet.framesDropped();
        }
        return new Counts(steps, misses, outletDropped);
    }

    private void describe(JsonObject r, int k, ServerConfig cfg, E2eRigs rigSet) {
        r.addProperty("sessions", k);
        r.addProperty("channels", load.channels);
        r.addProperty("rate_hz", load.rateHz);
        r.addProperty("hidden", hidden);
        r.addProperty("outputs", outputs);
        r.addProperty("eprop", eprop);
        r.addProperty("seconds", load.seconds);
        r.addProperty("rigs", rigSet.describe());
        r.addProperty("rig_nice", rigs.equals("external") ? rigNice : 0);
        r.addProperty("rig_cpus", rigs.equals("external") ? rigCpus : "");
        r.addProperty("watcher", watcher);
        r.addProperty("client_executor", watch.clientExecutor);
        r.addProperty("watch_rpc", watch.watchRpc);
        r.addProperty("watch_batch_ms", watch.watchBatchMs);
        r.addProperty("watch_over", watch.watchOver);
        r.addProperty(
                "live_edge",
                decodeEverything
                        ? "decode everything"
                        : "skip beyond " + cfg.liveEdgeMaxLagMs() + " ms");
        r.addProperty("engine_threads", cfg.engineThreads());
        r.addProperty("colocate", cfg.engineColocate());
        r.addProperty("idle", cfg.idleStrategy());
        r.addProperty(
                "realtime_priority",
                cfg.engineRealtimePriority() == ServerConfig.REALTIME_AUTO
                        ? "auto"
                        : Integer.toString(cfg.engineRealtimePriority()));
        r.addProperty("realtime_priority_asked", cfg.engineRealtimePriorityToAsk());
        r.addProperty("transport_thread_nice", cfg.transport().threadNice());
        r.addProperty("server_config", serverConfigFile == null ? "" : serverConfigFile.toString());
        List<String> gcs = new ArrayList<>();
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            gcs.add(gc.getName());
        }
        r.addProperty("gc", String.join(", ", gcs));
    }

    private static void latency(JsonObject r, FrameStats all, List<SessionStatistics> finals) {
        r.addProperty("frames_measured", all.received);
        r.addProperty("p50_us", pct(all.latencyNs, 50));
        r.addProperty("p99_us", pct(all.latencyNs, 99));
        r.addProperty("p999_us", pct(all.latencyNs, 99.9));
        r.addProperty(
                "max_us",
                all.latencyNs.getTotalCount() == 0 ? 0 : all.latencyNs.getMaxValue() / 1e3);
        r.addProperty("deadline_misses", all.missed);
        r.add("deadline_misses_by_second", numbers(all.missedBySecond));
        r.addProperty("frames_dropped", all.framesDropped);
        r.addProperty("hop_lsl_p50_us", pct(all.lslNs, 50));
        r.addProperty("hop_lsl_p99_us", pct(all.lslNs, 99));
        r.addProperty("hop_engine_p50_us", pct(all.engineNs, 50));
        r.addProperty("hop_engine_p99_us", pct(all.engineNs, 99));
        r.addProperty("hop_delivery_p50_us", pct(all.deliveryNs, 50));
        r.addProperty("hop_delivery_p99_us", pct(all.deliveryNs, 99));
        double stepP50Sum = 0;
        double stepP99Max = 0;
        double stepMax = 0;
        for (SessionStatistics st : finals) {
            Histogram h = st.stepLatencyNs();
            if (h.getTotalCount() > 0) {
                stepP50Sum += h.getValueAtPercentile(50) / 1e3;
                stepP99Max = Math.max(stepP99Max, h.getValueAtPercentile(99) / 1e3);
                stepMax = Math.max(stepMax, h.getMaxValue() / 1e3);
            }
        }
        r.addProperty("step_p50_us_mean", stepP50Sum / finals.size());
        r.addProperty("step_p99_us_max", stepP99Max);
        r.addProperty("step_max_us", stepMax);
    }

    /**
     * With the watcher on the sessions' LSL outlets: the frames carry no deadline flag or hop
     * stamps, so the misses are the sessions' own counts over the window (frames decoded in it, not
     * stamped in it), the dropped frames the outlets', and the hops and causes are unknown.
     */
    private static void overLsl(JsonObject r, Counts start, Counts end) {
        r.addProperty("deadline_misses", end.deadlineMisses() - start.deadlineMisses());
        r.add("deadline_misses_by_second", JsonNull.INSTANCE);
        r.addProperty("frames_dropped", end.outletFramesDropped() - start.outletFramesDropped());
        for (String hop : List.of("lsl", "engine", "delivery")) {
            r.add("hop_" + hop + "_p50_us", JsonNull.INSTANCE);
            r.add("hop_" + hop + "_p99_us", JsonNull.INSTANCE);
        }
        r.add("misses_by_cause", JsonNull.INSTANCE);
    }

    /** Pushed, decoded, skipped, lost (pushed and neither decoded nor skipped), ring drops. */
    private static void samples(JsonObject r, long[] pushed, List<SessionStatistics> finals) {
        long steps = 0;
        long skipped = 0;
        long atStart = 0;
        long skips = 0;
        long ringDropped = 0;
        for (SessionStatistics st : finals) {
            steps += st.steps();
            skipped += st.samplesSkipped();
            atStart += st.samplesSkippedAtStart();
            skips += st.liveEdgeSkips();
            ringDropped += st.samplesDropped();
        }
        long total = 0;
        boolean known = true;
        for (long p : pushed) {
            known &= p >= 0;
            total += p;
        }
        r.addProperty("samples_pushed", known ? total : -1);
        r.addProperty("samples_decoded", steps);
        r.addProperty("samples_skipped", skipped);
        r.addProperty("live_edge_skips", skips);
        r.addProperty("samples_skipped_at_start", atStart);
        r.addProperty("samples_lost", known ? total - steps - skipped - atStart : -1);
        r.addProperty("samples_dropped_ring_full", ringDropped);
    }

    /**
     * Deadline misses by cause: a GC pause overlapped the frame's wait (arrival → published), or
     * not (the engine was behind: queueing, compute, preemption); and frames published in time but
     * received after their deadline (delivery).
     */
    private static void causes(JsonObject r, FrameStats all, List<GcPauseLog.Pause> pauses) {
        long inPauses = all.missedInPauses(pauses);
        JsonObject c = new JsonObject();
        c.addProperty("gc_pause", inPauses);
        c.addProperty("engine_behind", all.missed - inPauses);
        c.addProperty("delivery", all.lateAtWatcher);
        r.add("misses_by_cause", c);
    }

    private static void probe(
            JsonObject r,
            DeadlineProbe probe,
            DeadlineProbe ordinary,
            List<GcPauseLog.Pause> pauses,
            JitterProbe.Result noise) {
        r.addProperty("probe_deadline_misses", probe.misses());
        r.addProperty("probe_sched_fifo", probe.realtime());
        r.addProperty("probe_ordinary_deadline_misses", ordinary.misses());
        r.addProperty("probe_ordinary_lateness_p99_us", pct(ordinary.latenessNs(), 99));
        r.addProperty("probe_boundaries", probe.boundaries());
        r.addProperty("probe_misses_in_gc_pauses", probe.missesInPauses(pauses));
        r.addProperty("probe_lateness_p99_us", pct(probe.latenessNs(), 99));
        r.addProperty(
                "probe_lateness_max_us",
                probe.latenessNs().getTotalCount() == 0
                        ? 0
                        : probe.latenessNs().getMaxValue() / 1e3);
        r.addProperty("noise_probe_p99_us", noise.p99Us());
        r.addProperty("noise_probe_max_us", noise.maxUs());
    }

    /** Bytes allocated per decoded frame in the window, by thread role and over the server. */
    private static void allocation(
            JsonObject r, ThreadRoles.Snapshot start, ThreadRoles.Snapshot end, long frames) {
        Map<String, Long> bytes = end.bytesSince(start);
        JsonObject perFrame = new JsonObject();
        long server = 0;
        for (Map.Entry<String, Long> e : bytes.entrySet()) {
            if (!e.getKey().equals("bench")) {
                server += e.getValue();
            }
        }
        perFrame.addProperty("total", frames == 0 ? 0 : (double) server / frames);
        for (Map.Entry<String, Long> e : bytes.entrySet()) {
            perFrame.addProperty(e.getKey(), frames == 0 ? 0 : (double) e.getValue() / frames);
        }
        r.add("alloc_bytes_per_frame", perFrame);
        r.addProperty("alloc_frames", frames);
    }

    private void cpu(
            JsonObject r,
            ThreadRoles.Snapshot start,
            ThreadRoles.Snapshot end,
            long processCpuNs,
            int k) {
        Map<String, Long> cpu = end.cpuNsSince(start);
        double windowNs = load.seconds * 1e9;
        JsonObject byRole = new JsonObject();
        for (Map.Entry<String, Long> e : cpu.entrySet()) {
            byRole.addProperty(e.getKey(), e.getValue() / windowNs);
        }
        r.addProperty("cpu_cores_process", processCpuNs / windowNs);
        r.addProperty("cpu_cores_per_session", (processCpuNs - cpu.get("bench")) / windowNs / k);
        r.add("cpu_cores_by_role", byRole);
    }

    /**
     * Cores the processes used between two readings of their CPU time; null when there are none
     * (threads of this process instead) or a reading is unknown.
     */
    private Double processCores(List<ProcessHandle> processes, long startNs, long endNs) {
        if (processes.isEmpty() || startNs < 0 || endNs < 0) {
            return null;
        }
        return (endNs - startNs) / (load.seconds * 1e9);
    }

    /**
     * Where the rest of the machine's CPU went in the window: the whole machine busy, the
     * hypervisor's steal, the external rigs and watcher (null when they are threads of this
     * process), and what else ran (page clients, other processes).
     */
    private void besideTheServer(
            JsonObject r,
            MachineCpu.Snapshot start,
            MachineCpu.Snapshot end,
            long processCpuNs,
            Double rigsCores,
            Double watcherCores) {
        r.addProperty("cpu_cores_rigs", rigsCores);
        r.addProperty("cpu_cores_watcher", watcherCores);
        if (start == null || end == null) {
            r.add("cpu_cores_machine", null);
            r.add("cpu_cores_steal", null);
            r.add("cpu_cores_elsewhere", null);
            return;
        }
        double machine = end.busyCoresSince(start);
        r.addProperty("cpu_cores_machine", machine);
        r.addProperty("cpu_cores_steal", end.stealCoresSince(start));
        double known =
                processCpuNs / (load.seconds * 1e9)
                        + (rigsCores == null ? 0 : rigsCores)
                        + (watcherCores == null ? 0 : watcherCores);
        r.addProperty("cpu_cores_elsewhere", Math.max(0, machine - known));
    }

    private static void pauses(JsonObject r, List<GcPauseLog.Pause> pauses, long fromNs) {
        JsonArray list = new JsonArray();
        double maxMs = 0;
        for (GcPauseLog.Pause p : pauses) {
            JsonObject o = new JsonObject();
            o.addProperty("at_s", Math.round((p.startNs() - fromNs) / 1e6) / 1e3);
            o.addProperty("ms", p.durationNs() / 1e6);
            o.addProperty("name", p.name());
            list.add(o);
            maxMs = Math.max(maxMs, p.durationNs() / 1e6);
        }
        r.add("gc_pauses_in_window", list);
        r.addProperty("gc_pause_max_ms", maxMs);
    }

    private static double pct(Histogram h, double p) {
        return h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(p) / 1e3;
    }

    private static JsonArray numbers(List<Double> values) {
        JsonArray a = new JsonArray();
        for (double v : values) {
            if (Double.isNaN(v)) {
                a.add((Number) null);
            } else {
                a.add(Math.round(v * 10) / 10.0);
            }
        }
        return a;
    }

    private static JsonArray numbers(long[] values) {
        JsonArray a = new JsonArray();
        for (long v : values) {
            a.add(v);
        }
        return a;
    }

    private static long processCpuNs() {
        return ((com.sun.management.OperatingSystemMXBean)
                        ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
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
