package org.spikeloop.app;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.spikeloop.server.config.ConfigException;
import org.spikeloop.server.config.ServerConfig;

/**
 * Checks that every address the server is to listen on is free, before a start creates anything: a
 * busy port is the commonest reason a start fails, and refused here it costs no file, directory or
 * thread. A port taken between this check and the bind still fails the start, which then undoes
 * itself ({@link SpikeloopApplication#start}).
 */
final class ListenAddresses {
    private ListenAddresses() {}

    /**
     * @param grpc whether the gRPC port is bound here (not with an in-process transport)
     * @throws ConfigException naming the key, the address and the way out, for the first address
     *     that cannot be bound
     */
    static void requireFree(ServerConfig config, boolean grpc) {
        if (grpc) {
            requireFree("gRPC", config.grpcHost(), config.grpcPort(), "grpc.port", "--port");
        }
        requireFree("health", config.grpcHost(), config.healthPort(), "health.port", null);
        requireFree(
                "metrics",
                config.metricsHost(),
                config.metricsPort(),
                "metrics.port",
                "--metrics-port");
    }

    private static void requireFree(String what, String host, int port, String key, String option) {
        if (port <= 0) {
            return; // 0: any free port; -1: off
        }
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(host, port));
        } catch (IOException e) {
            String address = host + ":" + port;
            String wayOut =
                    option == null
                            ? "set " + key + " to another port"
                            : "pass "
                                    + option
                                    + " N for another port, or "
                                    + option
                                    + " 0 for any"
                                    + " free port (config key "
                                    + key
                                    + ")";
            if (e instanceof BindException && String.valueOf(e.getMessage()).contains("in use")) {
                throw new ConfigException(
                        what
                                + " port "
                                + address
                                + " is in use (another spikeloop serve or demo?): "
                                + wayOut);
            }
            throw new ConfigException(
                    what
                            + " address "
                            + address
                            + " cannot be bound ("
                            + e.getMessage()
                            + "): "
                            + wayOut);
        }
    }
}
