package org.spikeloop.server.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.spikeloop.server.config.ConfigException;
import org.spikeloop.server.config.ServerConfig;

/**
 * The safe default: gRPC may listen on a non-loopback address only with TLS and bearer tokens, or
 * when the operator says {@code --insecure} explicitly. The metrics endpoint carries no clinical
 * data but the same rule keeps it on loopback unless insecure is set or TLS and tokens are on.
 */
public final class BindPolicy {
    private BindPolicy() {}

    /**
     * @throws ConfigException naming the address and what is missing
     */
    public static void check(ServerConfig config) {
        boolean secured = config.tlsEnabled() && config.tokensEnabled();
        if (config.insecure() || secured) {
            return;
        }
        requireLoopback("grpc.host", config.grpcHost());
        if (config.metricsPort() >= 0) {
            requireLoopback("metrics.host", config.metricsHost());
        }
    }

    private static void requireLoopback(String key, String host) {
        InetAddress address;
        try {
            address = InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            throw new ConfigException(key + ": cannot resolve '" + host + "'");
        }
        if (!address.isLoopbackAddress()) {
            throw new ConfigException(
                    key
                            + ": refusing to listen on non-loopback address "
                            + host
                            + " without TLS (tls.cert/tls.key) and bearer tokens (auth.tokensFile);"
                            + " pass --insecure to override");
        }
    }
}
