package org.spikeloop.app.bench;

import com.google.gson.GsonBuilder;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.spikeloop.adapters.xdf.XdfReader;
import org.spikeloop.adapters.xdf.XdfRecording;
import org.spikeloop.adapters.xdf.XdfStream;
import org.spikeloop.proto.v1.Architecture;
import org.spikeloop.proto.v1.CreateSessionRequest;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.IngestServiceGrpc;
import org.spikeloop.proto.v1.IngestSummary;
import org.spikeloop.proto.v1.ListSessionsRequest;
import org.spikeloop.proto.v1.ListSessionsResponse;
import org.spikeloop.proto.v1.SampleChunk;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionServiceGrpc;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SessionState;
import org.spikeloop.proto.v1.SessionStatistics;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.proto.v1.SourceSpec;
import org.spikeloop.proto.v1.WatchRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop bench abuse}: the hostile and careless clients of issue 16 against a running
 * {@code spikeloop serve} (a child process of this one, with tokens, on loopback), while a victim
 * session decodes a 1 kHz gRPC stream throughout. Each attack reports the status of every refusal,
 * the server's thread count and resident memory before and after (from {@code /proc}), and the
 * victim's steps and deadline misses during it and during as long a quiet window just before it
 * (the extra misses, attack minus quiet at the same rate: target ≤ 1 % of its steps); at the end
 * the victim's samples pushed, accepted, decoded and recorded (read back from its XDF file; target:
 * none lost or unrecorded) and whether any session reads RUNNING without stepping.
 *
 * <p>Attacks: maximum-size sessions (memory admission); unauthenticated call floods; thousands of
 * open streams on one connection; rapid stream resets; connections that never send the HTTP/2
 * preface; viewers taking every Watch slot; ingest over the limit by reconnecting and by empty
 * chunks; half-open connections to the metrics endpoint; a 3.9 MB session name, two authorization
 * headers, a quoted stream name and meaningless values. Timing under other load is only a check;
 * docs/benchmarks.md says where the numbers come from.
 */
@Command(
        name = "abuse",
        mixinStandardHelpOptions = true,
        description =
                "Hostile and careless clients against a running server while a session decodes"
                        + " (docs/benchmarks.md).")
public final class AbuseBenchCommand implements Callable<Integer> {
    private static final String OPERATOR = "abuse-operator-0123456789abcdef";
    private static final String VIEWER = "abuse-viewer-0123456789abcdef";
    private static final Pattern LINE =
            Pattern.compile("grpc=127\\.0\\.0\\.1:(\\d+) .*metrics=(http://\\S+)");

    @Mixin JsonOutput output;

    @Option(
            names = "--duration",
            defaultValue = "10",
            description = "Seconds each timed attack lasts. Default ${DEFAULT-VALUE}.")
    double seconds;

    @Option(
            names = "--heap",
            defaultValue = "1g",
            description = "The attacked server's -Xmx. Default ${DEFAULT-VALUE}.")
    String heap;

    @Option(
            names = "--channels",
            defaultValue = "16",
            description =
                    "Channels of the session that decodes throughout. Default ${DEFAULT-VALUE}.")
    int channels;

    @Option(
            names = "--only",
            split = ",",
            description = "Run only these attacks (names as in the report). Default: all.")
    List<String> only;

    @Option(
            names = "--clients-nice",
            defaultValue = "0",
            paramLabel = "N",
            description =
                    "Niceness (0-19) this process - the attackers and the victim's client - takes"
                            + " once the server runs: 19 leaves them only the CPU the server does"
                            + " not use, as if they ran on other machines; 0 shares the cores at"
                            + " equal priority. Default ${DEFAULT-VALUE}.")
    int clientsNice;

    @Option(
            names = "--server-config",
            paramLabel = "FILE",
            description =
                    "A properties file (keys in docs/server.md) the attacked server starts with, to"
                            + " measure a setting against the defaults. Default: none.")
    Path serverConfig;

    private Path dir;
    private Process server;
    private long serverPid;
    private int grpcPort;
    private String metricsUrl;
    private ManagedChannel channel;
    private String victimId;

    @Override
    public Integer call() throws Exception {
        if (!(seconds > 0) || !Double.isFinite(seconds)) {
            throw new IllegalArgumentException("--duration: must be > 0 seconds, got " + seconds);
        }
        if (serverConfig != null && !Files.isRegularFile(serverConfig)) {
            throw new IllegalArgumentException("--server-config: no file " + serverConfig);
        }
        if (channels < 1) {
            throw new IllegalArgumentException("--channels: must be >= 1, got " + channels);
        }
        if (clientsNice < 0 || clientsNice > 19) {
            throw new IllegalArgumentException(
                    "--clients-nice: must be in [0, 19], got " + clientsNice);
        }
        if (only != null) {
            List<String> known = attacks().stream().map(Attack::name).toList();
            for (String name : only) {
                if (!known.contains(name)) {
                    throw new IllegalArgumentException(
                            "--only: no attack '"
                                    + name
                                    + "' (attacks: "
                                    + String.join(", ", known)
                                    + ")");
                }
            }
        }
        dir = Files.createTempDirectory("spikeloop-abuse");
        startServer();
        if (clientsNice > 0) {
            reniceThisProcess(clientsNice);
        }
        channel = NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        Victim victim = new Victim();
        Map<String, Object> report = new LinkedHashMap<>();
        List<Map<String, Object>> attacks = new ArrayList<>();
        try {
            victim.start();
            Thread.sleep(5_000); // JIT warm-up of the victim's path before the first measurement
            for (Attack a : attacks()) {
                if (only != null && !only.contains(a.name)) {
                    continue;
                }
                attacks.add(measure(a, victim));
            }
            report.put("attacks", attacks);
            report.put("victim", victim.finish());
            report.put("sessions_running_without_steps", runningWithoutSteps());
        } finally {
            channel.shutdownNow();
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        report.put("server", Map.of("heap", heap, "dir", dir.toString()));
        report.put("clients_nice", clientsNice);
        if (output.json) {
            System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(report));
        } else {
            print(attacks, report);
        }
        return 0;
    }

    /**
     * Every thread of this process to niceness {@code n} (Linux niceness is per thread; threads
     * started later inherit their creator's), after the server child started at ours.
     */
    private static void reniceThisProcess(int n) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("renice", "-n", Integer.toString(n), "-p"));
        try (var tasks = Files.list(Path.of("/proc/self/task"))) {
            tasks.forEach(t -> cmd.add(t.getFileName().toString()));
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("renice failed: " + out.strip());
        }
    }

    // ---- the server under attack ----

    private void startServer() throws Exception {
        Files.writeString(
                dir.resolve("tokens"),
                "op operator " + OPERATOR + "\nviewer viewer " + VIEWER + "\n");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd =
                new ArrayList<>(
                        List.of(
                                java,
                                "-Xmx" + heap,
                                // the collector ./spikeloop serve runs with (the launcher's
                                // default, SPIKELOOP_GC to choose another, docs/benchmarks.md)
                                "-XX:+Use"
                                        + System.getenv().getOrDefault("SPIKELOOP_GC", "Shenandoah")
                                        + "GC"));
        // The launcher's way to hand the JVM more options (a flight recording, a heap dump).
        String javaOpts = System.getenv().getOrDefault("SPIKELOOP_JAVA_OPTS", "").strip();
        if (!javaOpts.isEmpty()) {
            cmd.addAll(List.of(javaOpts.split("\\s+")));
        }
        cmd.addAll(
                List.of(
                        "--add-exports",
                        "java.base/jdk.internal.misc=ALL-UNNAMED",
                        "-cp",
                        System.getProperty("java.class.path"),
                        org.spikeloop.app.Main.class.getName(),
                        "serve",
                        "--port",
                        "0",
                        "--metrics-port",
                        "0",
                        "--exit-with-parent",
                        "--tokens",
                        dir.resolve("tokens").toString(),
                        "--audit-log",
                        dir.resolve("audit.log").toString(),
                        "--checkpoints-dir",
                        dir.resolve("checkpoints").toString(),
                        "--recordings-dir",
                        dir.resolve("recordings").toString()));
        if (serverConfig != null) {
            cmd.addAll(List.of("--config", serverConfig.toAbsolutePath().toString()));
        }
        server = new ProcessBuilder(cmd).redirectError(dir.resolve("server.err").toFile()).start();
        serverPid = server.pid();
        BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
        // The JVM may print first (a flight recording's start line): the server's line is the one
        // that names its ports.
        StringBuilder seen = new StringBuilder();
        Matcher m = null;
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            m = LINE.matcher(line);
            if (m.find()) {
                break;
            }
            seen.append(line).append('\n');
            m = null;
        }
        if (m == null) {
            throw new IllegalStateException(
                    "the server did not start: "
                            + seen
                            + Files.readString(dir.resolve("server.err")));
        }
        grpcPort = Integer.parseInt(m.group(1));
        metricsUrl = m.group(2);
    }

    private static <S extends io.grpc.stub.AbstractStub<S>> S with(S stub, String token) {
        Metadata h = new Metadata();
        h.put(
                Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER),
                "Bearer " + token);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(h));
    }

    private SessionServiceGrpc.SessionServiceBlockingStub sessions() {
        return with(SessionServiceGrpc.newBlockingStub(channel), OPERATOR)
                .withDeadlineAfter(60, TimeUnit.SECONDS);
    }

    private static CreateSessionRequest spec(int ch, int hidden, int outputs) {
        return CreateSessionRequest.newBuilder()
                .setSpec(
                        SessionSpec.newBuilder()
                                .setName("abuse")
                                .setChannelCount(ch)
                                .setSampleRateHz(1000)
                                .setDecoder(
                                        DecoderSpec.newBuilder()
                                                .setArchitecture(
                                                        Architecture.newBuilder()
                                                                .setHidden(hidden)
                                                                .setOutputs(outputs)
                                                                .setSeed(1))))
                .build();
    }

    /** {@code Threads:} and {@code VmRSS:} of the server process. */
    private long[] threadsAndRssKib() throws Exception {
        long threads = -1;
        long rss = -1;
        for (String l : Files.readAllLines(Path.of("/proc/" + serverPid + "/status"))) {
            if (l.startsWith("Threads:")) {
                threads = Long.parseLong(l.substring(8).strip());
            } else if (l.startsWith("VmRSS:")) {
                rss = Long.parseLong(l.substring(6).strip().split("\\s+")[0]);
            }
        }
        return new long[] {threads, rss};
    }

    // ---- the victim: a session decoding a 1 kHz stream throughout ----

    /** Pushes 10 samples every 10 ms over one stream and watches every frame. */
    private final class Victim {
        private String id;
        private final AtomicLong pushed = new AtomicLong();
        private final AtomicLong frames = new AtomicLong();
        private final AtomicLong notSent = new AtomicLong();
        // Blocking calls below carry deadlines: a stuck connection is a finding, not a hang.
        private final AtomicBoolean running = new AtomicBoolean(true);
        private Thread feeder;
        private final List<String> ingestErrors = new ArrayList<>();

        void start() {
            id = sessions().createSession(spec(channels, 64, 2)).getId();
            victimId = id;
            with(DecodeServiceGrpc.newStub(channel), OPERATOR)
                    .watch(
                            WatchRequest.newBuilder().setSessionId(id).build(),
                            new StreamObserver<>() {
                                @Override
                                public void onNext(DecodedFrame f) {
                                    frames.incrementAndGet();
                                }

                                @Override
                                public void onError(Throwable t) {}

                                @Override
                                public void onCompleted() {}
                            });
            feeder = new Thread(this::feed, "abuse-victim-feeder");
            feeder.setDaemon(true);
            feeder.start();
        }

        private void feed() {
            CountDownLatch done = new CountDownLatch(1);
            ClientCallStreamObserver<SampleChunk> in =
                    (ClientCallStreamObserver<SampleChunk>)
                            with(IngestServiceGrpc.newStub(channel), OPERATOR)
                                    .pushSamples(
                                            new StreamObserver<>() {
                                                @Override
                                                public void onNext(IngestSummary s) {}

                                                @Override
                                                public void onError(Throwable t) {
                                                    synchronized (ingestErrors) {
                                                        ingestErrors.add(
                                                                Status.fromThrowable(t).toString());
                                                    }
                                                    done.countDown();
                                                }

                                                @Override
                                                public void onCompleted() {
                                                    done.countDown();
                                                }
                                            });
            SplittableRandom rng = new SplittableRandom(7);
            long next = System.nanoTime();
            while (running.get() && done.getCount() == 1) {
                SampleChunk.Builder b =
                        SampleChunk.newBuilder().setSessionId(id).setChannelCount(channels);
                double now = System.nanoTime() * 1e-9;
                for (int r = 0; r < 10; r++) {
                    for (int c = 0; c < channels; c++) {
                        b.addValues(rng.nextDouble() < 0.05 ? 1f : 0f);
                    }
                    b.addTimestamps(now - (9 - r) * 1e-3);
                }
                if (in.isReady()) { // HTTP/2 flow control: never buffer without bound here
                    in.onNext(b.build());
                    pushed.addAndGet(10);
                } else {
                    notSent.addAndGet(10);
                }
                next += 10_000_000L;
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    java.util.concurrent.locks.LockSupport.parkNanos(wait);
                }
            }
            in.onCompleted();
        }

        SessionStatistics stats() {
            return with(DecodeServiceGrpc.newBlockingStub(channel), OPERATOR)
                    .withDeadlineAfter(30, TimeUnit.SECONDS)
                    .getStatistics(SessionId.newBuilder().setSessionId(id).build());
        }

        /** Stops feeding, lets the session decode the rest, stops it and reads its recording. */
        Map<String, Object> finish() throws Exception {
            running.set(false);
            feeder.join(10_000);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            SessionStatistics s = stats();
            while (s.getSteps() < s.getSamplesIn() && System.nanoTime() < end) {
                Thread.sleep(50);
                s = stats();
            }
            sessions().stopSession(SessionId.newBuilder().setSessionId(id).build());
            long recorded = -1;
            try (Stream<Path> files = Files.list(dir.resolve("recordings"))) {
                Path file =
                        files.filter(p -> p.getFileName().toString().startsWith(id + "-"))
                                .findFirst()
                                .orElse(null);
                if (file != null) {
                    XdfRecording rec = XdfReader.read(file);
                    for (XdfStream st : rec.streams()) {
                        if (st.info().name().equals("samples")) {
                            recorded = st.sampleCount();
                        }
                    }
                }
            }
            Map<String, Object> v = new LinkedHashMap<>();
            v.put("session", id);
            v.put("samples_pushed", pushed.get());
            v.put("samples_accepted", s.getSamplesIn());
            v.put("samples_dropped", s.getSamplesDropped());
            v.put("steps", s.getSteps());
            v.put("samples_recorded", recorded);
            v.put("samples_lost", pushed.get() - s.getSteps());
            v.put("samples_unrecorded", s.getSamplesIn() - recorded);
            v.put("deadline_misses", s.getDeadlineMisses());
            v.put("frames_watched", frames.get());
            v.put("samples_not_sent_flow_control", notSent.get());
            v.put("ingest_errors", ingestErrors);
            return v;
        }
    }

    private List<String> runningWithoutSteps() throws Exception {
        Map<String, Long> before = new TreeMap<>();
        for (var s :
                sessions()
                        .listSessions(ListSessionsRequest.getDefaultInstance())
                        .getSessionsList()) {
            before.put(s.getId(), s.getSteps());
        }
        Thread.sleep(1000);
        List<String> stuck = new ArrayList<>();
        for (var s :
                sessions()
                        .listSessions(ListSessionsRequest.getDefaultInstance())
                        .getSessionsList()) {
            boolean running =
                    s.getState() == SessionState.SESSION_STATE_RUNNING
                            || s.getState() == SessionState.SESSION_STATE_LEARNING;
            // Running and fed (it stepped before) but no step in the last second.
            if (running
                    && s.getSteps() > 0
                    && s.getSteps() == before.getOrDefault(s.getId(), -1L)) {
                stuck.add(s.getId());
            }
        }
        return stuck;
    }

    // ---- attacks ----

    private record Attack(String name, String what, Callable<Map<String, Object>> run) {}

    private Map<String, Object> measure(Attack a, Victim victim) throws Exception {
        // The victim alone for as long as a timed attack lasts, just before it: the misses this
        // machine causes anyway (other processes, the hypervisor, the collector), which the
        // attack's figure is compared with.
        SessionStatistics q0 = victim.stats();
        Thread.sleep((long) (seconds * 1000));
        SessionStatistics q1 = victim.stats();
        long quietSteps = q1.getSteps() - q0.getSteps();
        long quietMisses = q1.getDeadlineMisses() - q0.getDeadlineMisses();
        double quietRatio = quietSteps == 0 ? 0 : (double) quietMisses / quietSteps;
        long[] tr0 = threadsAndRssKib();
        SessionStatistics s0 = victim.stats();
        long audit0 = auditLines();
        long t0 = System.nanoTime();
        Map<String, Object> outcome;
        try {
            outcome = a.run.call();
        } catch (Exception e) {
            // Reported, and the next attack runs: a failure here is a finding, not a crash.
            outcome = Map.of("bench_error", String.valueOf(e));
        }
        double elapsed = (System.nanoTime() - t0) * 1e-9;
        Thread.sleep(1000); // let the victim catch up with what queued during the attack
        SessionStatistics s1 = victim.stats();
        long[] tr1 = threadsAndRssKib();
        long steps = s1.getSteps() - s0.getSteps();
        long misses = s1.getDeadlineMisses() - s0.getDeadlineMisses();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("attack", a.name);
        r.put("what", a.what);
        r.put("seconds", round(elapsed));
        r.put("outcome", outcome);
        r.put("threads_before", tr0[0]);
        r.put("threads_after", tr1[0]);
        r.put("rss_mib_before", tr0[1] / 1024);
        r.put("rss_mib_after", tr1[1] / 1024);
        r.put("audit_lines_added", auditLines() - audit0);
        r.put("victim_steps", steps);
        r.put("victim_deadline_misses", misses);
        r.put("victim_miss_ratio", steps == 0 ? null : round((double) misses / steps));
        r.put("victim_quiet_steps", quietSteps);
        r.put("victim_quiet_deadline_misses", quietMisses);
        r.put("victim_quiet_miss_ratio", round(quietRatio));
        long extra = misses - Math.round(quietRatio * steps);
        r.put("victim_extra_deadline_misses", extra);
        r.put("victim_extra_miss_ratio", steps == 0 ? null : round((double) extra / steps));
        r.put("victim_samples_dropped", s1.getSamplesDropped() - s0.getSamplesDropped());
        return r;
    }

    private long auditLines() throws Exception {
        Path f = dir.resolve("audit.log");
        return Files.exists(f) ? Files.readAllLines(f).size() : 0;
    }

    private static double round(double v) {
        return Math.round(v * 1e4) / 1e4;
    }

    private static void count(Map<String, LongAdder> codes, String code) {
        codes.computeIfAbsent(code, k -> new LongAdder()).increment();
    }

    private static Map<String, Long> sums(Map<String, LongAdder> codes) {
        Map<String, Long> m = new TreeMap<>();
        codes.forEach((k, v) -> m.put(k, v.sum()));
        return m;
    }

    private static String code(Throwable t) {
        return Status.fromThrowable(t).getCode().name();
    }

    private List<Attack> attacks() {
        return List.of(
                new Attack(
                        "memory",
                        "four legal maximum-size sessions (4096 ch x 4096 hidden x 4096 outputs)",
                        this::maximumSessions),
                new Attack(
                        "unauthenticated-flood",
                        "8 clients calling ListSessions without a token as fast as they can",
                        this::unauthenticatedFlood),
                new Attack(
                        "open-streams",
                        "20 000 PushSamples streams opened on one connection and left open",
                        this::openStreams),
                new Attack(
                        "rapid-reset",
                        "calls started and cancelled at once on one connection",
                        this::rapidReset),
                new Attack(
                        "no-preface",
                        "2000 TCP connections that never send the HTTP/2 preface",
                        this::noPreface),
                new Attack(
                        "watch-slots",
                        "a viewer opening 10 Watch streams, then an operator one",
                        this::watchSlots),
                new Attack(
                        "ingest-bypass",
                        "reconnecting streams of 50 000 rows and floods of empty chunks",
                        this::ingestBypass),
                new Attack(
                        "metrics-half-open",
                        "200 half-open connections to the metrics endpoint, then a scrape",
                        this::metricsHalfOpen),
                new Attack(
                        "odd-values",
                        "3.9 MB name, two authorization headers, quoted stream name, rate"
                                + " 1e-300 Hz, stall 1e308 s, neuron enum 99",
                        this::oddValues));
    }

    private Map<String, Object> maximumSessions() {
        Map<String, LongAdder> codes = new ConcurrentHashMap<>();
        List<String> messages = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            try {
                var s = sessions().createSession(spec(4096, 4096, 4096));
                count(codes, "OK");
                sessions().stopSession(SessionId.newBuilder().setSessionId(s.getId()).build());
            } catch (RuntimeException e) {
                count(codes, code(e));
                if (messages.isEmpty()) {
                    messages.add(Status.fromThrowable(e).getDescription());
                }
            }
        }
        return Map.of("statuses", sums(codes), "first_refusal", messages);
    }

    private Map<String, Object> unauthenticatedFlood() throws Exception {
        Map<String, LongAdder> codes = new ConcurrentHashMap<>();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        List<Thread> clients = new ArrayList<>();
        for (int c = 0; c < 8; c++) {
            ManagedChannel ch =
                    NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
            Thread t =
                    new Thread(
                            () -> {
                                Semaphore inFlight = new Semaphore(200);
                                var stub = SessionServiceGrpc.newStub(ch);
                                while (System.nanoTime() < end) {
                                    inFlight.acquireUninterruptibly();
                                    stub.listSessions(
                                            ListSessionsRequest.getDefaultInstance(),
                                            new StreamObserver<ListSessionsResponse>() {
                                                @Override
                                                public void onNext(ListSessionsResponse v) {}

                                                @Override
                                                public void onError(Throwable e) {
                                                    count(codes, code(e));
                                                    inFlight.release();
                                                }

                                                @Override
                                                public void onCompleted() {
                                                    count(codes, "OK");
                                                    inFlight.release();
                                                }
                                            });
                                }
                                inFlight.acquireUninterruptibly(200);
                                ch.shutdownNow();
                            });
            t.start();
            clients.add(t);
        }
        for (Thread t : clients) {
            t.join();
        }
        return Map.of("statuses", sums(codes));
    }

    private Map<String, Object> openStreams() throws Exception {
        ManagedChannel ch =
                NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        Map<String, LongAdder> codes = new ConcurrentHashMap<>();
        List<ClientCallStreamObserver<SampleChunk>> calls = new ArrayList<>();
        var stub = with(IngestServiceGrpc.newStub(ch), OPERATOR);
        for (int i = 0; i < 20_000; i++) {
            stub.pushSamples(
                    new ClientResponseObserver<SampleChunk, IngestSummary>() {
                        @Override
                        public void beforeStart(ClientCallStreamObserver<SampleChunk> call) {
                            calls.add(call);
                        }

                        @Override
                        public void onNext(IngestSummary v) {}

                        @Override
                        public void onError(Throwable e) {
                            count(codes, code(e));
                        }

                        @Override
                        public void onCompleted() {
                            count(codes, "OK");
                        }
                    });
        }
        Thread.sleep((long) (seconds * 1000));
        for (var c : calls) {
            c.cancel("bench done", null);
        }
        ch.shutdownNow();
        ch.awaitTermination(10, TimeUnit.SECONDS);
        return Map.of("streams_opened", calls.size(), "statuses_after_cancel", sums(codes));
    }

    private Map<String, Object> rapidReset() throws Exception {
        ManagedChannel ch =
                NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        Map<String, LongAdder> codes = new ConcurrentHashMap<>();
        var method = SessionServiceGrpc.getListSessionsMethod();
        long end = System.nanoTime() + (long) (seconds * 1e9);
        long resets = 0;
        while (System.nanoTime() < end) {
            ClientCall<ListSessionsRequest, ListSessionsResponse> call =
                    ch.newCall(method, io.grpc.CallOptions.DEFAULT);
            call.start(
                    new ClientCall.Listener<ListSessionsResponse>() {
                        @Override
                        public void onClose(Status status, Metadata trailers) {
                            count(codes, status.getCode().name());
                        }
                    },
                    new Metadata());
            call.sendMessage(ListSessionsRequest.getDefaultInstance());
            call.cancel("rapid reset", null);
            resets++;
        }
        ch.shutdownNow();
        ch.awaitTermination(10, TimeUnit.SECONDS);
        return Map.of("calls_reset", resets, "statuses", sums(codes));
    }

    private Map<String, Object> noPreface() throws Exception {
        List<Socket> sockets = new ArrayList<>();
        int refusedAtConnect = 0;
        for (int i = 0; i < 2000; i++) {
            InetAddress from = InetAddress.getByName("127.0.0." + (2 + i % 8));
            try {
                sockets.add(new Socket(InetAddress.getLoopbackAddress(), grpcPort, from, 0));
            } catch (java.io.IOException e) {
                refusedAtConnect++;
            }
        }
        int closedAtOnce = closedCount(sockets, 200);
        // The handshake timeout (transport.handshakeTimeoutS, 10 s) closes the rest.
        Thread.sleep(12_000);
        int closedByTimeout = closedCount(sockets, 200) - closedAtOnce;
        int open = sockets.size() - closedAtOnce - closedByTimeout;
        for (Socket s : sockets) {
            s.close();
        }
        return Map.of(
                "statuses",
                Map.of(
                        "connect_refused", refusedAtConnect,
                        "closed_at_accept", closedAtOnce,
                        "closed_by_handshake_timeout", closedByTimeout,
                        "still_open", open));
    }

    /** How many of the sockets the server has closed (a read ends within {@code ms}). */
    private static int closedCount(List<Socket> sockets, int ms) throws Exception {
        int closed = 0;
        for (Socket s : sockets) {
            if (s.isClosed()) {
                closed++;
                continue;
            }
            s.setSoTimeout(ms);
            try {
                int b;
                do {
                    b = s.getInputStream().read();
                } while (b >= 0);
                closed++;
            } catch (java.net.SocketTimeoutException e) {
                // still open
            } catch (java.io.IOException e) {
                closed++;
            }
            if (closed > 0 && ms > 1) {
                ms = 1; // the first wait covered the others'
            }
        }
        return closed;
    }

    private Map<String, Object> watchSlots() throws Exception {
        ManagedChannel channel =
                NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        Map<String, LongAdder> viewer = new ConcurrentHashMap<>();
        List<ClientCallStreamObserver<WatchRequest>> calls = new ArrayList<>();
        WatchRequest watch =
                WatchRequest.newBuilder().setSessionId(victimId()).setMaxRateHz(1).build();
        for (int i = 0; i < 10; i++) {
            CountDownLatch settled = new CountDownLatch(1);
            with(DecodeServiceGrpc.newStub(channel), VIEWER)
                    .watch(watch, observer(calls, viewer, settled));
            settled.await(2, TimeUnit.SECONDS); // one at a time: the server sees them in order
        }
        Map<String, LongAdder> operator = new ConcurrentHashMap<>();
        CountDownLatch settled = new CountDownLatch(1);
        with(DecodeServiceGrpc.newStub(channel), OPERATOR)
                .watch(watch, observer(calls, operator, settled));
        settled.await(2, TimeUnit.SECONDS);
        for (var c : calls) {
            c.cancel("bench done", null);
        }
        channel.shutdownNow();
        return Map.of("viewer_statuses", sums(viewer), "operator_statuses", sums(operator));
    }

    /** Counts OPEN once the first frame arrives, or the refusal's code. */
    private static ClientResponseObserver<WatchRequest, DecodedFrame> observer(
            List<ClientCallStreamObserver<WatchRequest>> calls,
            Map<String, LongAdder> codes,
            CountDownLatch settled) {
        return new ClientResponseObserver<>() {
            private boolean counted;

            @Override
            public void beforeStart(ClientCallStreamObserver<WatchRequest> call) {
                calls.add(call);
            }

            @Override
            public void onNext(DecodedFrame f) {
                if (!counted) {
                    counted = true;
                    count(codes, "OPEN");
                    settled.countDown();
                }
            }

            @Override
            public void onError(Throwable e) {
                if (!counted) {
                    counted = true;
                    count(codes, code(e));
                    settled.countDown();
                }
            }

            @Override
            public void onCompleted() {}
        };
    }

    private String victimId() {
        return victimId;
    }

    private Map<String, Object> ingestBypass() throws Exception {
        String id = sessions().createSession(spec(16, 16, 2)).getId();
        // The attacker's own connection (another client), not the victim's.
        ManagedChannel channel =
                NettyChannelBuilder.forAddress("127.0.0.1", grpcPort).usePlaintext().build();
        Map<String, LongAdder> codes = new ConcurrentHashMap<>();
        AtomicLong accepted = new AtomicLong();
        long start = System.nanoTime();
        long end = start + (long) (seconds * 1e9);
        SampleChunk empty = SampleChunk.newBuilder().setSessionId(id).setChannelCount(16).build();
        SampleChunk.Builder full = SampleChunk.newBuilder().setSessionId(id).setChannelCount(16);
        for (int i = 0; i < 1000 * 16; i++) {
            full.addValues(0f);
        }
        SampleChunk thousand = full.build();
        int streams = 0;
        while (System.nanoTime() < end) {
            CountDownLatch done = new CountDownLatch(1);
            StreamObserver<SampleChunk> in =
                    with(IngestServiceGrpc.newStub(channel), OPERATOR)
                            .pushSamples(
                                    new StreamObserver<>() {
                                        @Override
                                        public void onNext(IngestSummary s) {
                                            accepted.addAndGet(s.getAccepted());
                                        }

                                        @Override
                                        public void onError(Throwable e) {
                                            count(codes, code(e));
                                            done.countDown();
                                        }

                                        @Override
                                        public void onCompleted() {
                                            count(codes, "OK");
                                            done.countDown();
                                        }
                                    });
            for (int i = 0; i < 50 && done.getCount() == 1; i++) {
                in.onNext(thousand);
                for (int k = 0; k < 20; k++) {
                    in.onNext(empty);
                }
            }
            in.onCompleted();
            done.await(10, TimeUnit.SECONDS);
            streams++;
        }
        double elapsed = (System.nanoTime() - start) * 1e-9;
        channel.shutdownNow();
        sessions().stopSession(SessionId.newBuilder().setSessionId(id).build());
        return Map.of(
                "streams",
                streams,
                "statuses",
                sums(codes),
                "rows_accepted_per_second",
                round(accepted.get() / elapsed),
                "limit_rows_per_second",
                50_000);
    }

    private Map<String, Object> metricsHalfOpen() throws Exception {
        int port = URI.create(metricsUrl).getPort();
        List<Socket> halfOpen = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            halfOpen.add(
                    new Socket(
                            InetAddress.getLoopbackAddress(),
                            port,
                            InetAddress.getByName("127.0.0.2"),
                            0));
        }
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        long t0 = System.nanoTime();
        int withToken =
                http.send(
                                HttpRequest.newBuilder(URI.create(metricsUrl))
                                        .header("Authorization", "Bearer " + VIEWER)
                                        .timeout(Duration.ofSeconds(20))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
        double scrapeS = (System.nanoTime() - t0) * 1e-9;
        int withoutToken =
                http.send(
                                HttpRequest.newBuilder(URI.create(metricsUrl))
                                        .timeout(Duration.ofSeconds(20))
                                        .build(),
                                HttpResponse.BodyHandlers.discarding())
                        .statusCode();
        int closed = closedCount(halfOpen, 200);
        for (Socket s : halfOpen) {
            s.close();
        }
        return Map.of(
                "scrape_with_token_status", withToken,
                "scrape_seconds", round(scrapeS),
                "scrape_without_token_status", withoutToken,
                "half_open_closed_at_accept", closed);
    }

    private Map<String, Object> oddValues() {
        Map<String, Object> r = new LinkedHashMap<>();
        var name = spec(4, 8, 2).toBuilder();
        name.getSpecBuilder().setName("n".repeat(3_900_000));
        r.put("name_3_9_mb", outcome(() -> sessions().createSession(name.build())));
        Metadata two = new Metadata();
        var key = Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
        two.put(key, "Bearer " + VIEWER);
        two.put(key, "Bearer " + OPERATOR);
        r.put(
                "two_authorization_headers",
                outcome(
                        () ->
                                SessionServiceGrpc.newBlockingStub(channel)
                                        .withInterceptors(
                                                MetadataUtils.newAttachHeadersInterceptor(two))
                                        .createSession(spec(4, 8, 2))));
        var quoted = spec(4, 8, 2).toBuilder();
        quoted.getSpecBuilder()
                .setSource(
                        SourceSpec.newBuilder()
                                .setKind(SourceKind.SOURCE_LSL)
                                .setLslStreamName("x' or '1'='1"));
        r.put("quoted_stream_name", outcome(() -> sessions().createSession(quoted.build())));
        var rate = spec(4, 8, 2).toBuilder();
        rate.getSpecBuilder().setSampleRateHz(1e-300);
        r.put("rate_1e-300", outcome(() -> sessions().createSession(rate.build())));
        var stall = spec(4, 8, 2).toBuilder();
        stall.getSpecBuilder().setStallAfterS(1e308);
        r.put("stall_1e308", outcome(() -> sessions().createSession(stall.build())));
        var neuron = spec(4, 8, 2).toBuilder();
        neuron.getSpecBuilder().getDecoderBuilder().getArchitectureBuilder().setNeuronValue(99);
        r.put("neuron_99", outcome(() -> sessions().createSession(neuron.build())));
        return r;
    }

    /** The call's status code, and a created session stopped again. */
    private String outcome(Callable<org.spikeloop.proto.v1.Session> call) {
        try {
            var s = call.call();
            sessions().stopSession(SessionId.newBuilder().setSessionId(s.getId()).build());
            return "OK (accepted!)";
        } catch (Exception e) {
            return code(e);
        }
    }

    private static void print(List<Map<String, Object>> attacks, Map<String, Object> report) {
        System.out.printf(
                "%-20s %8s %8s %9s %9s %8s %8s %8s %8s  %s%n",
                "attack", "threads", "->", "RSS MiB", "->", "steps", "misses", "quiet", "extra",
                "outcome");
        for (Map<String, Object> a : attacks) {
            System.out.printf(
                    "%-20s %8s %8s %9s %9s %8s %8s %8s %8s  %s%n",
                    a.get("attack"),
                    a.get("threads_before"),
                    a.get("threads_after"),
                    a.get("rss_mib_before"),
                    a.get("rss_mib_after"),
                    a.get("victim_steps"),
                    a.get("victim_deadline_misses"),
                    a.get("victim_quiet_miss_ratio"),
                    a.get("victim_extra_miss_ratio"),
                    a.get("outcome"));
        }
        System.out.println("victim: " + report.get("victim"));
        System.out.println(
                "sessions RUNNING without steps: " + report.get("sessions_running_without_steps"));
    }
}
