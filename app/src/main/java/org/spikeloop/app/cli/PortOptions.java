package org.spikeloop.app.cli;

import picocli.CommandLine.Option;

/**
 * The ports a server listens on ({@code serve}, {@code demo}); the defaults are {@link
 * org.spikeloop.server.config.ServerConfig#defaults()}'s.
 */
final class PortOptions {
    @Option(
            names = "--port",
            paramLabel = "PORT",
            defaultValue = "50051",
            description = "gRPC port; 0 = any free port. Default: ${DEFAULT-VALUE}.")
    int grpc;

    @Option(
            names = "--metrics-port",
            paramLabel = "PORT",
            defaultValue = "9464",
            description =
                    "Prometheus endpoint port; 0 = any free port, -1 = off. Default:"
                            + " ${DEFAULT-VALUE}.")
    int metrics;

    /**
     * @throws IllegalArgumentException naming the option whose value is not a port
     */
    void validate() {
        if (grpc < 0 || grpc > 65535) {
            throw new IllegalArgumentException("--port: must be 0..65535, got " + grpc);
        }
        if (metrics < -1 || metrics > 65535) {
            throw new IllegalArgumentException("--metrics-port: must be -1..65535, got " + metrics);
        }
    }
}
