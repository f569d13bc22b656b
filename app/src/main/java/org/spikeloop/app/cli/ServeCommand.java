package org.spikeloop.app.cli;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.spikeloop.app.SpikeloopApplication;
import org.spikeloop.server.config.ConfigException;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.registry.RegistryException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code spikeloop serve}: runs the decoding server (gRPC API spikeloop.v1, Prometheus endpoint)
 * until Ctrl-C, {@code --duration} or, with {@code --exit-with-parent}, the parent process ends.
 * Prints one line to stdout once listening: {@code spikeloop serve: grpc=HOST:PORT tls=on|off
 * auth=on|off metrics=URL[ health=HOST:PORT]}.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description = "Run the Spikeloop decoding server (docs/server.md).")
public final class ServeCommand implements Callable<Integer> {
    @Option(names = "--config", description = "Properties file (keys in docs/server.md).")
    Path config;

    @Option(names = "--host", description = "gRPC bind address (default 127.0.0.1).")
    String host;

    @Option(names = "--port", description = "gRPC port (default 50051; 0 = any free port).")
    Integer port;

    @Option(
            names = "--metrics-host",
            description = "Prometheus endpoint address (default 127.0.0.1).")
    String metricsHost;

    @Option(
            names = "--metrics-port",
            description = "Prometheus endpoint port (default 9464; 0 = any; -1 = off).")
    Integer metricsPort;

    @Option(names = "--tls-cert", description = "PEM certificate chain (enables TLS).")
    Path tlsCert;

    @Option(names = "--tls-key", description = "PEM private key (PKCS#8).")
    Path tlsKey;

    @Option(names = "--tls-client-ca", description = "PEM CA for client certificates (mutual TLS).")
    Path tlsClientCa;

    @Option(names = "--tokens", description = "Bearer tokens file: 'name role token' per line.")
    Path tokens;

    @Option(names = "--insecure", description = "Allow a non-loopback bind without TLS and tokens.")
    boolean insecure;

    @Option(
            names = "--replica-id",
            paramLabel = "ID",
            description =
                    "This replica's name (DNS label): session ids become ID.s-<hex> (replica.id).")
    String replicaId;

    @Option(
            names = "--audit-log",
            description = "Append-only audit log (default spikeloop-audit.log).")
    Path auditLog;

    @Option(names = "--checkpoint-dir", description = "Checkpoint directory (default checkpoints).")
    Path checkpointDir;

    @Option(
            names = "--recordings-dir",
            description = "Directory of the sessions' XDF recordings (default recordings).")
    Path recordingsDir;

    @Option(names = "--max-sessions", description = "Sessions at once (default 16).")
    Integer maxSessions;

    @Option(names = "--max-watchers", description = "Watchers per session (default 8).")
    Integer maxWatchers;

    @Option(names = "--max-message-bytes", description = "Largest inbound message (default 4 MiB).")
    Integer maxMessageBytes;

    @Option(
            names = "--max-ingest-rate",
            description = "Samples/s per ingest stream (default 50000).")
    Double maxIngestRate;

    @Option(
            names = "--duration",
            description = "Stop after this many seconds (default: run until stopped).")
    Double durationS;

    @Option(names = "--exit-with-parent", description = "Stop when the parent process exits.")
    boolean exitWithParent;

    @Override
    public Integer call() throws Exception {
        ServerConfig cfg;
        try {
            cfg =
                    ServerConfig.apply(
                            config == null ? ServerConfig.defaults() : ServerConfig.load(config),
                            overrides());
        } catch (ConfigException e) {
            System.err.println("spikeloop serve: " + e.getMessage());
            return 2;
        }
        SpikeloopApplication app;
        try {
            app = SpikeloopApplication.start(cfg, null);
        } catch (ConfigException | RegistryException e) {
            // A damaged registry index is the operator's to repair (docs/jobs.md): one line.
            System.err.println("spikeloop serve: " + e.getMessage());
            return 2;
        }
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        // On SIGTERM/Ctrl-C the JVM halts once hooks return: wait in the hook for a clean close.
        Thread hook =
                new Thread(
                        () -> {
                            stop.countDown();
                            try {
                                closed.await(15, TimeUnit.SECONDS);
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "spikeloop-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        System.out.printf(
                "spikeloop serve: grpc=%s:%d tls=%s auth=%s metrics=%s%s%n",
                cfg.grpcHost(),
                app.grpcPort(),
                cfg.tlsEnabled() ? (cfg.tlsClientCa() != null ? "mutual" : "on") : "off",
                cfg.tokensEnabled() ? "on" : "off",
                app.metricsPort() < 0
                        ? "off"
                        : "http://" + cfg.metricsHost() + ":" + app.metricsPort() + "/metrics",
                app.healthPort() < 0 ? "" : " health=" + cfg.grpcHost() + ":" + app.healthPort());
        System.out.flush();
        if (exitWithParent) {
            ProcessHandle.current().parent().ifPresent(p -> p.onExit().thenRun(stop::countDown));
        }
        if (durationS != null) {
            stop.await((long) (durationS * 1000), TimeUnit.MILLISECONDS);
        } else {
            stop.await();
        }
        try {
            app.close();
        } finally {
            System.err.println("spikeloop serve: stopped");
            closed.countDown();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // Already shutting down (signal): the hook is running and the JVM exits after it.
        }
        return 0;
    }

    private Properties overrides() {
        Properties p = new Properties();
        put(p, "grpc.host", host);
        put(p, "grpc.port", port);
        put(p, "metrics.host", metricsHost);
        put(p, "metrics.port", metricsPort);
        put(p, "tls.cert", tlsCert);
        put(p, "tls.key", tlsKey);
        put(p, "tls.clientCa", tlsClientCa);
        put(p, "auth.tokensFile", tokens);
        if (insecure) {
            p.setProperty("insecure", "true");
        }
        put(p, "replica.id", replicaId);
        put(p, "audit.log", auditLog);
        put(p, "checkpoints.dir", checkpointDir);
        put(p, "recordings.dir", recordingsDir);
        put(p, "limits.maxSessions", maxSessions);
        put(p, "limits.maxWatchersPerSession", maxWatchers);
        put(p, "limits.maxMessageBytes", maxMessageBytes);
        put(p, "limits.maxIngestSamplesPerSecond", maxIngestRate);
        return p;
    }

    private static void put(Properties p, String key, Object value) {
        if (value != null) {
            p.setProperty(key, value.toString());
        }
    }
}
