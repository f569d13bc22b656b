package org.spikeloop.app.cli;

import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.spikeloop.app.SpikeloopApplication;
import org.spikeloop.server.config.ServerConfig;
import org.spikeloop.server.os.ParentProcess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code spikeloop serve}: runs the decoding server (gRPC API spikeloop.v1, Prometheus endpoint)
 * until Ctrl-C, {@code --duration} or, with {@code --exit-with-parent}, the parent process ends.
 * Prints one line to stdout once listening: {@code spikeloop serve: grpc=HOST:PORT tls=on|off
 * auth=on|off metrics=URL[ health=HOST:PORT]}.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        description =
                "Run the Spikeloop decoding server (docs/server.md). An option overrides its key"
                        + " in the --config file; the defaults shown are the server's own.")
public final class ServeCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(
            names = "--config",
            paramLabel = "FILE",
            description = "Properties file (keys in docs/server.md). Default: none.")
    Path config;

    @Option(
            names = "--host",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "gRPC bind address (grpc.host). Default: ${DEFAULT-VALUE}.")
    String host;

    @Mixin PortOptions ports;

    @Option(
            names = "--metrics-host",
            paramLabel = "ADDRESS",
            defaultValue = "127.0.0.1",
            description = "Prometheus endpoint address (metrics.host). Default: ${DEFAULT-VALUE}.")
    String metricsHost;

    @Option(
            names = "--tls-cert",
            paramLabel = "PEM",
            description = "PEM certificate chain; enables TLS (tls.cert). Default: none.")
    Path tlsCert;

    @Option(
            names = "--tls-key",
            paramLabel = "PEM",
            description = "PEM private key, PKCS#8 (tls.key). Default: none.")
    Path tlsKey;

    @Option(
            names = "--tls-client-ca",
            paramLabel = "PEM",
            description =
                    "PEM CA for client certificates: mutual TLS (tls.clientCa). Default: none.")
    Path tlsClientCa;

    @Option(
            names = "--tokens",
            paramLabel = "FILE",
            description =
                    "Bearer tokens file, 'name role token' per line (auth.tokensFile). Default:"
                            + " none (no authentication).")
    Path tokens;

    @Option(
            names = "--insecure",
            description = "Allow a non-loopback bind without TLS and tokens (insecure).")
    boolean insecure;

    @Option(
            names = "--replica-id",
            paramLabel = "ID",
            description =
                    "This replica's name (DNS label): session ids become ID.s-<hex> (replica.id)."
                            + " Default: none.")
    String replicaId;

    @Option(
            names = "--audit-log",
            paramLabel = "FILE",
            defaultValue = "spikeloop-audit.log",
            description = "Append-only audit log (audit.log). Default: ${DEFAULT-VALUE}.")
    Path auditLog;

    @Mixin DirectoryOptions dirs;

    @Option(
            names = "--max-sessions",
            paramLabel = "N",
            defaultValue = "16",
            description = "Sessions at once (limits.maxSessions). Default: ${DEFAULT-VALUE}.")
    int maxSessions;

    @Option(
            names = "--max-watchers",
            paramLabel = "N",
            defaultValue = "8",
            description =
                    "Watchers per session (limits.maxWatchersPerSession). Default:"
                            + " ${DEFAULT-VALUE}.")
    int maxWatchers;

    @Option(
            names = "--max-message-bytes",
            paramLabel = "BYTES",
            defaultValue = "4194304",
            description =
                    "Largest inbound message (limits.maxMessageBytes). Default: ${DEFAULT-VALUE}"
                            + " (4 MiB).")
    int maxMessageBytes;

    @Option(
            names = "--max-ingest-rate-hz",
            paramLabel = "HZ",
            defaultValue = "50000",
            description =
                    "Samples/s per ingest stream (limits.maxIngestSamplesPerSecond). Default:"
                            + " ${DEFAULT-VALUE}.")
    double maxIngestRateHz;

    @Mixin RunDuration duration;

    @Option(names = "--exit-with-parent", description = "Stop when the parent process exits.")
    boolean exitWithParent;

    @Override
    public Integer call() throws Exception {
        // The parent to follow, read before anything slow: one that exits during start-up is
        // then noticed (asking after start-up would find the process that adopted us).
        long parent = exitWithParent ? ParentProcess.current() : -1;
        ports.validate();
        double durationS = duration.seconds();
        ServerConfig cfg =
                ServerConfig.apply(
                        config == null ? ServerConfig.defaults() : ServerConfig.load(config),
                        settings(spec.commandLine().getParseResult()::hasMatchedOption));
        SpikeloopApplication app = SpikeloopApplication.start(cfg, null);
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
                "spikeloop serve: grpc=%s:%d tls=%s auth=%s metrics=%s%s%s%n",
                cfg.grpcHost(),
                app.grpcPort(),
                cfg.tlsEnabled() ? (cfg.tlsClientCa() != null ? "mutual" : "on") : "off",
                cfg.tokensEnabled() ? "on" : "off",
                app.metricsPort() < 0
                        ? "off"
                        : (cfg.tlsEnabled() ? "https://" : "http://")
                                + cfg.metricsHost()
                                + ":"
                                + app.metricsPort()
                                + "/metrics",
                app.healthPort() < 0 ? "" : " health=" + cfg.grpcHost() + ":" + app.healthPort(),
                app.statusPageUrl() == null ? "" : " page=" + app.statusPageUrl());
        System.out.flush();
        if (exitWithParent) {
            ParentProcess.watch(parent, stop::countDown);
        }
        if (durationS > 0) {
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

    /**
     * The config keys of the options {@code given} accepts (by option name), so that only options
     * on the command line override the config file.
     */
    Properties settings(Predicate<String> given) {
        Properties p = new Properties();
        Setter put =
                (key, option, value) -> {
                    if (given.test(option) && value != null) {
                        p.setProperty(key, value.toString());
                    }
                };
        put.set("grpc.host", "--host", host);
        put.set("grpc.port", "--port", ports.grpc);
        put.set("metrics.host", "--metrics-host", metricsHost);
        put.set("metrics.port", "--metrics-port", ports.metrics);
        put.set("tls.cert", "--tls-cert", tlsCert);
        put.set("tls.key", "--tls-key", tlsKey);
        put.set("tls.clientCa", "--tls-client-ca", tlsClientCa);
        put.set("auth.tokensFile", "--tokens", tokens);
        put.set("insecure", "--insecure", insecure);
        put.set("replica.id", "--replica-id", replicaId);
        put.set("audit.log", "--audit-log", auditLog);
        put.set("checkpoints.dir", "--checkpoints-dir", dirs.checkpoints);
        put.set("recordings.dir", "--recordings-dir", dirs.recordings);
        put.set("limits.maxSessions", "--max-sessions", maxSessions);
        put.set("limits.maxWatchersPerSession", "--max-watchers", maxWatchers);
        put.set("limits.maxMessageBytes", "--max-message-bytes", maxMessageBytes);
        put.set("limits.maxIngestSamplesPerSecond", "--max-ingest-rate-hz", maxIngestRateHz);
        return p;
    }

    private interface Setter {
        void set(String key, String option, Object value);
    }
}
