package org.spikeloop.app.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.app.SpikeloopApplication;
import org.spikeloop.proto.v1.Session;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.io.SampleIngest;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.Lineage;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

/**
 * {@code spikeloop session ...} run through the real command line against the real application on
 * 127.0.0.1 (Netty, port 0): the commands' output, and every failure as one line and exit code 2.
 */
class SessionCommandTest {
    private static final String OPERATOR_TOKEN = "operator-token-0123456789";
    private static final String VIEWER_TOKEN = "viewer-token-0123456789ab";
    private static final Pattern LINE =
            Pattern.compile("^(s-[0-9a-f]+)  ([A-Z]+)  steps (\\d+)  watchers (\\d+)  .*$");
    private static final Pattern FRAME =
            Pattern.compile(
                    "^step (\\d+)  outputs (-?\\d+\\.\\d{5}) (-?\\d+\\.\\d{5})"
                            + "(  label (-?\\d+\\.\\d{5}) (-?\\d+\\.\\d{5}))?  latency -?\\d+ us.*$");

    @TempDir Path dir;
    private SpikeloopApplication app;

    private String start(boolean tokens) throws Exception {
        Properties p = new Properties();
        p.setProperty("grpc.port", "0");
        p.setProperty("metrics.port", "-1");
        p.setProperty("audit.log", dir.resolve("audit.log").toString());
        p.setProperty("checkpoints.dir", dir.resolve("checkpoints").toString());
        p.setProperty("recordings.dir", dir.resolve("recordings").toString());
        if (tokens) {
            Path file = dir.resolve("tokens");
            Files.writeString(
                    file,
                    "alice operator " + OPERATOR_TOKEN + "\nbob viewer " + VIEWER_TOKEN + "\n");
            p.setProperty("auth.tokensFile", file.toString());
        }
        app = SpikeloopApplication.start(ServerConfig.apply(ServerConfig.defaults(), p), null);
        return "127.0.0.1:" + app.grpcPort();
    }

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    /** A gRPC-fed session: 4 channels at 1 kHz, a fresh 16-neuron decoder, 2 outputs. */
    private Path spec(String decoder) throws Exception {
        Path f = dir.resolve("spec-" + Math.abs(decoder.hashCode()) + ".json");
        Files.writeString(
                f,
                "{\"spec\": {\"name\": \"cli test\", \"channel_count\": 4, \"sample_rate_hz\": 1000,"
                        + decoder
                        + " \"source\": {\"kind\": \"SOURCE_GRPC\"}}}");
        return f;
    }

    private Path freshDecoderSpec() throws Exception {
        return spec(
                " \"decoder\": {\"architecture\": {\"hidden\": 16, \"outputs\": 2, \"neuron\":"
                        + " \"NEURON_MODEL_LIF\", \"seed\": 3}},");
    }

    private static CliRun session(String server, String... args) {
        String[] all = new String[args.length + 3];
        all[0] = "session";
        System.arraycopy(args, 0, all, 1, 1);
        all[2] = "--server";
        all[3] = server;
        System.arraycopy(args, 1, all, 4, args.length - 1);
        return CliRun.of(all);
    }

    private static void assertOneLineExitTwo(CliRun r, String... parts) {
        assertThat(r.exitCode()).as(r.err()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines()).hasSize(1);
        assertThat(r.err()).startsWith("spikeloop session ");
        for (String p : parts) {
            assertThat(r.err()).contains(p);
        }
    }

    @Test
    void shouldCreateListGetAndStopASessionFromASpecFile() throws Exception {
        String server = start(false);

        CliRun created = session(server, "create", "--spec", freshDecoderSpec().toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        Matcher m = LINE.matcher(created.out().strip());
        assertThat(m.matches()).as(created.out()).isTrue();
        String id = m.group(1);
        assertThat(m.group(2)).isEqualTo("RUNNING");
        assertThat(created.out())
                .contains("gRPC 4 ch @ 1000 Hz")
                .contains("decoder fresh 16 hidden -> 2")
                .contains("\"cli test\"");

        CliRun list = session(server, "list");
        assertThat(list.exitCode()).as(list.err()).isZero();
        assertThat(list.out().strip().lines()).hasSize(1).first().asString().startsWith(id + "  ");

        CliRun get = session(server, "get", id, "--json");
        assertThat(get.exitCode()).as(get.err()).isZero();
        Session.Builder parsed = Session.newBuilder();
        JsonFormat.parser().merge(get.out(), parsed);
        assertThat(parsed.getId()).isEqualTo(id);
        assertThat(parsed.getSpec().getDecoder().getArchitecture().getSeed()).isEqualTo(3);
        assertThat(parsed.getSpec().getName()).isEqualTo("cli test");
        assertThat(get.out()).contains("\"channel_count\":4"); // the .proto's field names

        CliRun stopped = session(server, "stop", id);
        assertThat(stopped.exitCode()).as(stopped.err()).isZero();
        assertThat(stopped.out()).startsWith(id + "  STOPPED  ");
        assertThat(session(server, "list").out()).isEmpty();
        assertOneLineExitTwo(session(server, "get", id), "NOT_FOUND", id);
    }

    @Test
    void shouldStartFromARegistryCheckpointAndOverrideTheName() throws Exception {
        String server = start(false);
        NetworkSpec net = NetworkSpec.recurrent(4, 8, 2, NeuronSpec.lif());
        CheckpointRegistry registry = app.governance().registry();
        RegistryEntry e =
                registry.register(
                        Checkpoint.create(
                                net,
                                Initializer.initialise(net, InitSpec.seeded(4)),
                                Provenance.now("tester", "init")),
                        new Lineage("", "init", null, "", DataRange.none(), "tester"));
        Path specFile = spec("");

        CliRun r =
                session(
                        server,
                        "create",
                        "--spec",
                        specFile.toString(),
                        "--registry-id",
                        e.id(),
                        "--name",
                        "from the registry",
                        "--json");

        assertThat(r.exitCode()).as(r.err()).isZero();
        Session.Builder s = Session.newBuilder();
        JsonFormat.parser().merge(r.out(), s);
        assertThat(s.getSpec().getDecoder().getRegistryId()).isEqualTo(e.id());
        assertThat(s.getSpec().getName()).isEqualTo("from the registry");
        assertThat(registry.roles(s.getId()).active()).isEqualTo(e.id());
        // without --registry-id this spec names no decoder: said before anything is sent
        assertOneLineExitTwo(
                session(server, "create", "--spec", specFile.toString()),
                "spec.decoder: the spec names no decoder",
                "--registry-id");
        assertOneLineExitTwo(
                session(
                        server,
                        "create",
                        "--spec",
                        specFile.toString(),
                        "--registry-id",
                        "e".repeat(64)),
                "NOT_FOUND");
        assertThat(app.sessions().list()).hasSize(1);
    }

    @Test
    void shouldPrintOneLinePerFrameWithOutputsLabelAndLatency() throws Exception {
        String server = start(false);
        String id =
                session(server, "create", "--spec", freshDecoderSpec().toString())
                        .out()
                        .split(" ")[0];
        AtomicBoolean feeding = new AtomicBoolean(true);
        Thread feeder = new Thread(() -> feed(app.sessions().get(id), feeding), "test-feeder");
        feeder.start();
        CliRun r;
        try {
            r = session(server, "watch", id, "--frames", "5", "--rate-hz", "200");
        } finally {
            feeding.set(false);
            feeder.join(5000);
        }

        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> lines = r.out().strip().lines().toList();
        assertThat(lines).hasSize(5);
        long previous = -1;
        for (String line : lines) {
            Matcher m = FRAME.matcher(line);
            assertThat(m.matches()).as(line).isTrue();
            assertThat(m.group(4)).as("the session has labels: " + line).isNotNull();
            assertThat(Float.parseFloat(m.group(5))).isEqualTo(0.25f);
            long step = Long.parseLong(m.group(1));
            assertThat(step).isGreaterThan(previous);
            previous = step;
        }
        // The watch ended: the server lets go of its watcher (the call was cancelled).
        long until = System.nanoTime() + 5_000_000_000L;
        while (app.sessions().get(id).watchers() > 0 && System.nanoTime() < until) {
            Thread.sleep(10);
        }
        assertThat(app.sessions().get(id).watchers()).isZero();
    }

    @Test
    void shouldWatchUntilTheSessionStopsWithoutAFrameLimit() throws Exception {
        String server = start(false);
        String id =
                session(server, "create", "--spec", freshDecoderSpec().toString())
                        .out()
                        .split(" ")[0];
        AtomicBoolean feeding = new AtomicBoolean(true);
        Thread feeder = new Thread(() -> feed(app.sessions().get(id), feeding), "test-feeder");
        feeder.start();
        CliRun[] watched = new CliRun[1];
        Thread watcher =
                new Thread(() -> watched[0] = session(server, "watch", id, "--rate-hz", "50"));
        watcher.start();
        try {
            long until = System.nanoTime() + 10_000_000_000L;
            while (app.sessions().get(id).watchers() == 0 && System.nanoTime() < until) {
                Thread.sleep(10);
            }
            Thread.sleep(300); // some frames
            assertThat(session(server, "stop", id).exitCode()).isZero();
            watcher.join(10_000);
        } finally {
            feeding.set(false);
            feeder.join(5000);
        }

        assertThat(watcher.isAlive())
                .as("the watch ends when the server ends the stream")
                .isFalse();
        assertThat(watched[0].exitCode()).as(watched[0].err()).isZero();
        assertThat(watched[0].out().lines()).isNotEmpty().allMatch(l -> FRAME.matcher(l).matches());
    }

    /** Spikes on channel 0 and a constant label (0.25, -0.5), about in real time. */
    private static void feed(org.spikeloop.server.session.Session s, AtomicBoolean feeding) {
        double t = 100.0;
        try (SampleIngest labels = s.openLabelStream();
                SampleIngest samples = s.openSampleStream()) {
            labels.beginChunk(2, 2, 1, 0);
            labels.rowBuffer()[0] = 0.25f;
            labels.rowBuffer()[1] = -0.5f;
            labels.offerRow(t);
            labels.endChunk();
            while (feeding.get()) {
                int rows = samples.beginChunk(4, 10 * 4, 10, 1000.0);
                for (int k = 0; k < rows; k++) {
                    java.util.Arrays.fill(samples.rowBuffer(), 0f);
                    samples.rowBuffer()[0] = k % 2;
                    samples.offerRow(t);
                    t += 0.001;
                }
                samples.endChunk();
                Thread.sleep(10);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldNameTheFieldProtobufCannotPlaceInTheSpec() throws Exception {
        String server = start(false);
        Path typo = dir.resolve("typo.json");
        Files.writeString(typo, "{\"spec\": {\"chanel_count\": 4}}");
        assertOneLineExitTwo(
                session(server, "create", "--spec", typo.toString()),
                "spikeloop session create: --spec " + typo,
                "chanel_count");
        Path notJson = dir.resolve("broken.json");
        Files.writeString(notJson, "{\"spec\": {\"channel_count\": 4,");
        assertOneLineExitTwo(
                session(server, "create", "--spec", notJson.toString()),
                "not a CreateSessionRequest in JSON");
        Path noSpec = dir.resolve("bare.json");
        Files.writeString(noSpec, "{}");
        assertOneLineExitTwo(
                session(server, "create", "--spec", noSpec.toString()), "top-level field \"spec\"");
        assertOneLineExitTwo(
                session(server, "create", "--spec", dir.resolve("missing.json").toString()),
                "--spec: no such file");
        assertThat(app.sessions().list()).isEmpty();
    }

    @Test
    void shouldPrintTheServersMessageForARefusedSpec() throws Exception {
        String server = start(false);
        Path zero = dir.resolve("zero.json");
        Files.writeString(
                zero,
                "{\"spec\": {\"channel_count\": 0, \"sample_rate_hz\": 1000, \"decoder\":"
                        + " {\"architecture\": {\"hidden\": 4, \"outputs\": 1}}}}");
        assertOneLineExitTwo(
                session(server, "create", "--spec", zero.toString()),
                "INVALID_ARGUMENT: spec.channel_count: must be 1..");
        assertOneLineExitTwo(session(server, "stop", "s-0000"), "NOT_FOUND");
        assertOneLineExitTwo(session(server, "watch", "s-0000", "--frames", "1"), "NOT_FOUND");
        assertOneLineExitTwo(
                session(server, "watch", "s-0000", "--frames", "-1"), "--frames: must be >= 0");
    }

    @Test
    void shouldSayWhenNoServerListens() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        assertOneLineExitTwo(
                session("127.0.0.1:" + closed, "list"),
                "spikeloop session list: UNAVAILABLE: cannot reach a spikeloop server at 127.0.0.1:"
                        + closed);
        assertOneLineExitTwo(
                session("no-port", "list"), "--server: HOST:PORT such as 127.0.0.1:50051");
    }

    @Test
    void shouldSendTheTokenFromItsFileAndPrintRefusals() throws Exception {
        String server = start(true);
        Path spec = freshDecoderSpec();
        Path operator = Files.writeString(dir.resolve("operator.token"), OPERATOR_TOKEN + "\n");
        Path viewer = Files.writeString(dir.resolve("viewer.token"), VIEWER_TOKEN);

        assertOneLineExitTwo(session(server, "list"), "UNAUTHENTICATED");
        CliRun created =
                session(
                        server,
                        "create",
                        "--spec",
                        spec.toString(),
                        "--token-file",
                        operator.toString());
        assertThat(created.exitCode()).as(created.err()).isZero();
        String id = created.out().split(" ")[0];
        CliRun listed = session(server, "list", "--token-file", viewer.toString());
        assertThat(listed.out()).startsWith(id + "  ");
        assertOneLineExitTwo(
                session(server, "stop", id, "--token-file", viewer.toString()),
                "PERMISSION_DENIED");
        assertThat(app.sessions().get(id).status().toString()).isNotEqualTo("STOPPED");
        assertOneLineExitTwo(
                session(server, "list", "--token-file", dir.resolve("nope").toString()),
                "--token-file: no readable file");
        Path blank = Files.writeString(dir.resolve("blank.token"), "\n");
        assertOneLineExitTwo(
                session(server, "list", "--token-file", blank.toString()),
                "the token must be one word of printable ASCII");
    }

    @Test
    void shouldRefuseTlsOptionsThatDoNotGoTogether() throws Exception {
        String server = start(false);
        assertOneLineExitTwo(
                session(server, "list", "--tls-client-cert", "c.pem"),
                "--tls-client-cert and --tls-client-key: give both");
        assertOneLineExitTwo(
                session(server, "list", "--tls-server-name", "spikeloop"), "--tls-ca: required");
        assertOneLineExitTwo(
                session(server, "list", "--tls-ca", dir.resolve("ca.pem").toString()),
                "--tls-ca: no readable file");
    }
}
