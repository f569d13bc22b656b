package org.spikeloop.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @TempDir Path dir;

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void shouldDefaultToLoopbackWithoutTlsOrTokens() {
        ServerConfig c = ServerConfig.defaults();
        assertThat(c.grpcHost()).isEqualTo("127.0.0.1");
        assertThat(c.metricsHost()).isEqualTo("127.0.0.1");
        assertThat(c.metricsPort()).isEqualTo(9464);
        assertThat(c.tlsEnabled()).isFalse();
        assertThat(c.tokensEnabled()).isFalse();
    }

    @Test
    void shouldLoadAPropertiesFileOverTheDefaults() throws Exception {
        Path f = dir.resolve("server.properties");
        Files.writeString(f, "grpc.port = 7000\nlimits.maxSessions=3\nengine.idleStrategy=yield\n");
        ServerConfig c = ServerConfig.load(f);
        assertThat(c.grpcPort()).isEqualTo(7000);
        assertThat(c.maxSessions()).isEqualTo(3);
        assertThat(c.idleStrategy()).isEqualTo("yield");
        assertThat(c.maxWatchersPerSession())
                .isEqualTo(ServerConfig.defaults().maxWatchersPerSession());
    }

    @Test
    void shouldNameAnUnknownKey() {
        assertThatThrownBy(
                        () -> ServerConfig.apply(ServerConfig.defaults(), props("grpc.prot", "1")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("grpc.prot: unknown configuration key");
    }

    @Test
    void shouldNameAMalformedValue() {
        assertThatThrownBy(
                        () -> ServerConfig.apply(ServerConfig.defaults(), props("grpc.port", "x")))
                .hasMessage("grpc.port: not an integer: 'x'");
        assertThatThrownBy(
                        () -> ServerConfig.apply(ServerConfig.defaults(), props("insecure", "yes")))
                .hasMessageContaining("insecure: must be true or false");
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(), props("grpc.port", "70000")))
                .hasMessageContaining("grpc.port: not a port");
    }

    @Test
    void shouldTakeALiveEdgeBoundOrZeroForDecodingEverything() {
        assertThat(ServerConfig.defaults().liveEdgeMaxLagMs()).isEqualTo(50.0);
        assertThat(
                        ServerConfig.apply(
                                        ServerConfig.defaults(),
                                        props("session.liveEdgeMaxLagMs", "0"))
                                .liveEdgeMaxLagMs())
                .isZero();
        for (String bad : new String[] {"-1", "60001", "NaN"}) {
            assertThatThrownBy(
                            () ->
                                    ServerConfig.apply(
                                            ServerConfig.defaults(),
                                            props("session.liveEdgeMaxLagMs", bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(
                            "session.liveEdgeMaxLagMs: must be 0 (decode everything)");
        }
    }

    @Test
    void shouldTakeAWarmupOfUpTo100000StepsOrNone() {
        assertThat(ServerConfig.defaults().warmupSteps()).isEqualTo(3_000);
        assertThat(
                        ServerConfig.apply(
                                        ServerConfig.defaults(), props("session.warmupSteps", "0"))
                                .warmupSteps())
                .isZero();
        for (String bad : new String[] {"-1", "100001"}) {
            assertThatThrownBy(
                            () ->
                                    ServerConfig.apply(
                                            ServerConfig.defaults(),
                                            props("session.warmupSteps", bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessage("session.warmupSteps: must be in [0, 100000], got " + bad);
        }
    }

    @Test
    void shouldRequireCertificateAndKeyTogether() {
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(), props("tls.cert", "c.pem")))
                .hasMessageContaining("tls.key: required");
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(), props("tls.clientCa", "ca.pem")))
                .hasMessageContaining("tls.clientCa");
    }

    @Test
    void shouldRejectInconsistentLearningBounds() {
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(),
                                        props("learning.rate.default", "1")))
                .hasMessageContaining("learning.rate.*");
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(),
                                        props("learning.interval.min", "0")))
                .hasMessageContaining("learning.interval.*");
    }

    @Test
    void shouldBoundTheCredentialStrikesAndTheTransportThreadsNiceness() {
        ServerConfig.TransportConfig t = ServerConfig.defaults().transport();
        assertThat(t.maxCredentialFailuresPerConnection()).isEqualTo(16);
        assertThat(t.threadNice()).isEqualTo(10);
        for (String[] bad :
                new String[][] {
                    {"transport.maxCredentialFailuresPerConnection", "0"},
                    {"transport.threadNice", "20"},
                    {"transport.threadNice", "-1"}
                }) {
            assertThatThrownBy(
                            () ->
                                    ServerConfig.apply(
                                            ServerConfig.defaults(), props(bad[0], bad[1])))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith(bad[0] + ":");
        }
        assertThat(
                        ServerConfig.apply(
                                        ServerConfig.defaults(), props("transport.threadNice", "0"))
                                .transport()
                                .threadNice())
                .isZero();
    }

    @Test
    void shouldRecordToTheRecordingsDirByDefaultAndRequireItWhileRecording() {
        assertThat(ServerConfig.defaults().recordingsDir()).isEqualTo(Path.of("recordings"));
        assertThat(ServerConfig.defaults().recordingEnabled()).isTrue();
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(), props("recordings.dir", " ")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("recordings.dir:");
        Properties off = props("recordings.dir", "");
        off.setProperty("recording.enabled", "false");
        assertThat(ServerConfig.apply(ServerConfig.defaults(), off).recordingEnabled()).isFalse();
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(), props("recording.enabled", "no")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("recording.enabled:");
    }

    @Test
    void shouldDefaultEngineThreadsToHalfTheCoresAndRefuseOutOfRangeNamingTheKey() {
        assertThat(ServerConfig.defaults().engineThreads())
                .isEqualTo(Math.max(1, Runtime.getRuntime().availableProcessors() / 2));
        assertThat(
                        ServerConfig.apply(ServerConfig.defaults(), props("engine.threads", "3"))
                                .engineThreads())
                .isEqualTo(3);
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(), props("engine.threads", "0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("engine.threads:");
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(), props("engine.threads", "257")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("engine.threads:");
    }

    @Test
    void shouldColocateByDefaultAndRefuseANonBooleanNamingTheKey() {
        assertThat(ServerConfig.defaults().engineColocate()).isTrue();
        assertThat(
                        ServerConfig.apply(
                                        ServerConfig.defaults(), props("engine.colocate", "false"))
                                .engineColocate())
                .isFalse();
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(), props("engine.colocate", "yes")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("engine.colocate:");
    }

    @Test
    void shouldAskForAZeroCpuWakeLatencyByDefaultAndRefuseOutOfRangeNamingTheKey() {
        assertThat(ServerConfig.defaults().engineCpuWakeLatencyUs()).isZero();
        assertThat(
                        ServerConfig.apply(
                                        ServerConfig.defaults(),
                                        props("engine.cpuWakeLatencyUs", "-1"))
                                .engineCpuWakeLatencyUs())
                .isEqualTo(-1);
        for (String bad : new String[] {"-2", "100001"}) {
            assertThatThrownBy(
                            () ->
                                    ServerConfig.apply(
                                            ServerConfig.defaults(),
                                            props("engine.cpuWakeLatencyUs", bad)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("engine.cpuWakeLatencyUs: -1 (no request) or 0-100000")
                    .hasMessageEndingWith("got " + bad);
        }
    }

    @Test
    void shouldAskForRealtimeEnginesByDefaultOnlyWhereTheyLeaveACoreAndPark() {
        ServerConfig d = ServerConfig.defaults();
        assertThat(d.engineRealtimePriority()).isEqualTo(ServerConfig.REALTIME_AUTO);
        assertThat(d.idleStrategy()).isEqualTo("sleep");
        int cores = Runtime.getRuntime().availableProcessors();
        if (d.engineThreads() < cores) {
            assertThat(d.engineRealtimePriorityToAsk())
                    .isEqualTo(ServerConfig.AUTO_REALTIME_PRIORITY);
            assertThat(d.realtimeAutoDeclined()).isNull();
        } else {
            assertThat(d.engineRealtimePriorityToAsk()).isZero();
        }
        ServerConfig everyCore =
                ServerConfig.apply(d, props("engine.threads", Integer.toString(cores)));
        assertThat(everyCore.engineRealtimePriorityToAsk()).isZero();
        assertThat(everyCore.realtimeAutoDeclined()).contains("engine.threads=" + cores);
        ServerConfig spinning = ServerConfig.apply(d, props("engine.idleStrategy", "backoff"));
        assertThat(spinning.engineRealtimePriorityToAsk()).isZero();
        assertThat(spinning.realtimeAutoDeclined()).contains("engine.idleStrategy=backoff");
        ServerConfig off = ServerConfig.apply(d, props("engine.realtimePriority", "0"));
        assertThat(off.engineRealtimePriorityToAsk()).isZero();
        assertThat(off.realtimeAutoDeclined()).isNull();
        assertThat(
                        ServerConfig.apply(off, props("engine.realtimePriority", "auto"))
                                .engineRealtimePriority())
                .isEqualTo(ServerConfig.REALTIME_AUTO);
        if (Runtime.getRuntime().availableProcessors() >= 2) { // one engine thread, a core left
            ServerConfig rt =
                    ServerConfig.apply(
                            ServerConfig.defaults(),
                            props(
                                    "engine.realtimePriority",
                                    "10",
                                    "engine.idleStrategy",
                                    "sleep",
                                    "engine.threads",
                                    "1"));
            assertThat(rt.engineRealtimePriority()).isEqualTo(10);
            assertThat(rt.engineRealtimePriorityToAsk()).isEqualTo(10);
        }
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(),
                                        props("engine.realtimePriority", "100")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("engine.realtimePriority:");
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(),
                                        props("engine.realtimePriority", "-1")))
                .hasMessageStartingWith("engine.realtimePriority:");
    }

    @Test
    void shouldRefuseARealtimeEngineThatSpinsWhenIdle() {
        for (String spinning : new String[] {"busy", "yield", "backoff"}) {
            assertThatThrownBy(
                            () ->
                                    ServerConfig.apply(
                                            ServerConfig.defaults(),
                                            props(
                                                    "engine.realtimePriority",
                                                    "10",
                                                    "engine.idleStrategy",
                                                    spinning)))
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("engine.realtimePriority:")
                    .hasMessageContaining("engine.idleStrategy=" + spinning);
        }
    }

    @Test
    void shouldRefuseRealtimeEnginesOnEveryCore() {
        String cores = Integer.toString(Runtime.getRuntime().availableProcessors());
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(),
                                        props(
                                                "engine.realtimePriority",
                                                "10",
                                                "engine.idleStrategy",
                                                "sleep",
                                                "engine.threads",
                                                cores)))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("engine.realtimePriority:")
                .hasMessageContaining("engine.threads=" + cores);
    }

    @Test
    void shouldRejectAnUnknownIdleStrategy() {
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(),
                                        props("engine.idleStrategy", "nap")))
                .hasMessageContaining("engine.idleStrategy");
    }

    @Test
    void shouldLoadTheHealthPortAndRefuseABadOneNamingTheKey() {
        assertThat(ServerConfig.defaults().healthPort()).isZero();
        assertThat(
                        ServerConfig.apply(ServerConfig.defaults(), props("health.port", "50052"))
                                .healthPort())
                .isEqualTo(50052);
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(), props("health.port", "70000")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("health.port:");
        assertThatThrownBy(
                        () ->
                                ServerConfig.apply(
                                        ServerConfig.defaults(),
                                        props("grpc.port", "50051", "health.port", "50051")))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("health.port: must differ from grpc.port");
    }

    @Test
    void shouldAcceptADnsLabelAsReplicaId() {
        assertThat(ServerConfig.defaults().replicaId()).isNull();
        assertThat(
                        ServerConfig.apply(
                                        ServerConfig.defaults(), props("replica.id", "spikeloop-1"))
                                .replicaId())
                .isEqualTo("spikeloop-1");
        assertThat(
                        ServerConfig.apply(ServerConfig.defaults(), props("replica.id", " "))
                                .replicaId())
                .isNull();
    }

    @Test
    void shouldRefuseAReplicaIdThatIsNotADnsLabelNamingTheKey() {
        for (String bad :
                new String[] {"Spikeloop-1", "-r0", "r0-", "r.0", "r_0", "x".repeat(64)}) {
            assertThatThrownBy(
                            () ->
                                    ServerConfig.apply(
                                            ServerConfig.defaults(), props("replica.id", bad)))
                    .as(bad)
                    .isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("replica.id: must be a DNS label")
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void shouldAcceptTheShippedOpsConfigsWithoutUnknownKeys() {
        Path root = Path.of("").toAbsolutePath();
        while (root != null && !Files.isDirectory(root.resolve("ops"))) {
            root = root.getParent();
        }
        assertThat(root).as("repository root with ops/").isNotNull();
        for (String file :
                new String[] {
                    "ops/docker/spikeloop.properties", "ops/k8s/base/spikeloop.properties"
                }) {
            ServerConfig c = ServerConfig.load(root.resolve(file));
            assertThat(c.healthPort()).as(file).isEqualTo(50052);
            assertThat(c.grpcPort()).as(file).isEqualTo(50051);
            assertThat(c.tlsEnabled() && c.tokensEnabled()).as(file).isTrue();
        }
    }

    @Test
    void shouldKeepLslOnThisMachineAndOutletsOffByDefault() {
        ServerConfig.LslConfig lsl = ServerConfig.defaults().lsl();
        assertThat(lsl.outlets()).isFalse();
        assertThat(lsl.resolveScope()).isEqualTo("machine");
        assertThat(lsl.listenAddress()).isEqualTo("127.0.0.1");
        ServerConfig open =
                ServerConfig.apply(
                        ServerConfig.defaults(),
                        props(
                                "lsl.outlets",
                                "true",
                                "lsl.resolveScope",
                                "",
                                "lsl.listenAddress",
                                ""));
        assertThat(open.lsl()).isEqualTo(new ServerConfig.LslConfig(true, "", ""));
    }

    @Test
    void shouldDefaultTheAdmissionBudgets() {
        ServerConfig.AdmissionConfig a = ServerConfig.defaults().admission();
        assertThat(a.heapFraction()).isEqualTo(0.6);
        assertThat(a.engineCpuFraction()).isEqualTo(0.8);
        assertThat(a.stepNsPerSynapse()).isEqualTo(0.1);
    }

    /** Every limit key refuses a value outside its range, naming the key and the value. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource(
            delimiter = '|',
            value = {
                "admission.heapFraction | 0 | admission.heapFraction: must be in (0, 1], got 0.0",
                "admission.heapFraction | 1.5 | admission.heapFraction: must be in (0, 1], got 1.5",
                "admission.engineCpuFraction | -0.1 | admission.engineCpuFraction: must be in (0,"
                        + " 1], got -0.1",
                "admission.stepNsPerSynapse | NaN | admission.stepNsPerSynapse: must be a finite"
                        + " value >= 0, got NaN",
                "limits.maxIngestBytesPerSecond | 100 | limits.maxIngestBytesPerSecond: must be a"
                        + " finite value >= 1024, got 100.0",
                "limits.operatorWatchSlots | -1 | limits.operatorWatchSlots: must be >= 0, got -1",
                "limits.maxIdChars | 20 | limits.maxIdChars: must be >= 80, got 20",
                "transport.maxConnections | 0 | transport.maxConnections: must be >= 1, got 0",
                "transport.maxConnectionsPerPeer | 300 | transport.maxConnectionsPerPeer: must be <="
                        + " transport.maxConnections (256), got 300",
                "transport.maxConcurrentStreamsPerConnection | 0 |"
                        + " transport.maxConcurrentStreamsPerConnection: must be >= 1, got 0",
                "transport.handshakeTimeoutS | 0 | transport.handshakeTimeoutS: must be in [0.1,"
                        + " 300.0] s, got 0.0",
                "transport.keepAliveTimeS | 0.5 | transport.keepAliveTimeS: must be in [1.0,"
                        + " 86400.0] s, got 0.5",
                "transport.keepAliveTimeoutS | 1e9 | transport.keepAliveTimeoutS: must be in [1.0,"
                        + " 3600.0] s, got 1.0E9",
                "transport.permitKeepAliveTimeS | -1 | transport.permitKeepAliveTimeS: must be in"
                        + " [0.0, 86400.0] s, got -1.0",
                "transport.maxConnectionIdleS | 0 | transport.maxConnectionIdleS: must be in [1.0,"
                        + " 604800.0] s, got 0.0",
                "transport.maxRstStreamsPerSecond | 0 | transport.maxRstStreamsPerSecond: must be >="
                        + " 1, got 0",
                "transport.rpcThreads | 0 | transport.rpcThreads: must be >= 1, got 0",
                "transport.controlThreads | 0 | transport.controlThreads: must be >= 1, got 0",
                "http.maxConnections | 0 | http.maxConnections: must be >= 1, got 0",
                "http.maxConnectionsPerPeer | 65 | http.maxConnectionsPerPeer: must be <="
                        + " http.maxConnections (64), got 65",
                "http.requestTimeoutS | 301 | http.requestTimeoutS: must be in [0.1, 300.0] s, got"
                        + " 301.0",
                "http.maxHeaderBytes | 100 | http.maxHeaderBytes: must be >= 1024, got 100",
                "limits.maxNameChars | 0 | limits.maxNameChars: must be >= 16, got 0",
                "audit.refusalSummaryS | 0 | audit.refusalSummaryS: must be in [0.1, 3600], got 0.0",
                "audit.refusalSamples | 101 | audit.refusalSamples: must be in [0, 100], got 101",
                "lsl.resolveScope | galaxy | lsl.resolveScope: one of machine, link, site,"
                        + " organization, global, or empty for liblsl's own configuration, got"
                        + " 'galaxy'",
                "lsl.listenAddress | localhost | lsl.listenAddress: an IP address (liblsl does not"
                        + " resolve names here), or empty for liblsl's own configuration, got"
                        + " 'localhost'",
                "limits.operatorWatchSlots | 8 | limits.operatorWatchSlots: must be below"
                        + " limits.maxWatchersPerSession (8) so that viewers can watch too, got 8",
            })
    void shouldRefuseALimitOutsideItsRangeNamingTheKey(String key, String value, String message) {
        assertThatThrownBy(() -> ServerConfig.apply(ServerConfig.defaults(), props(key, value)))
                .isInstanceOf(ConfigException.class)
                .hasMessage(message);
    }

    /**
     * Lowering the watcher limit alone keeps a viewer's slot: the operator slots not given are
     * lowered to one below it; given explicitly they are checked (above).
     */
    @Test
    void shouldLowerTheOperatorWatchSlotsNotGivenBelowAFewerWatchersLimit() {
        ServerConfig two =
                ServerConfig.apply(
                        ServerConfig.defaults(), props("limits.maxWatchersPerSession", "2"));
        ServerConfig one =
                ServerConfig.apply(
                        ServerConfig.defaults(), props("limits.maxWatchersPerSession", "1"));

        assertThat(ServerConfig.defaults().requests().operatorWatchSlots()).isEqualTo(2);
        assertThat(two.requests().operatorWatchSlots()).isEqualTo(1);
        assertThat(one.requests().operatorWatchSlots()).isZero();
    }

    @Test
    void shouldCapEventStreamsWithinTheConnectionsAndTurnThePageOff() {
        ServerConfig d = ServerConfig.defaults();
        assertThat(d.http().maxEventStreams()).isEqualTo(16);
        assertThat(d.http().pageEnabled()).isTrue();
        Properties p = new Properties();
        p.setProperty("http.maxEventStreams", "4");
        p.setProperty("http.page", "false");
        ServerConfig c = ServerConfig.apply(d, p);
        assertThat(c.http().maxEventStreams()).isEqualTo(4);
        assertThat(c.http().pageEnabled()).isFalse();
        p.setProperty("http.maxEventStreams", "65");
        assertThatThrownBy(() -> ServerConfig.apply(d, p))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("http.maxEventStreams: must be <= http.maxConnections (64)");
        p.setProperty("http.maxEventStreams", "0");
        assertThatThrownBy(() -> ServerConfig.apply(d, p))
                .hasMessageContaining("http.maxEventStreams");
    }
}
