package org.spikeloop.server.security;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.spikeloop.server.config.ConfigException;
import org.spikeloop.server.config.ServerConfig;

/**
 * The safe default: gRPC may listen on a non-loopback address only with TLS and bearer tokens, or
 * when the operator says {@code --insecure} explicitly. The HTTP listener (metrics, status) never
 * serves plain HTTP off loopback, {@code --insecure} or not: it lists sessions and their counts, so
 * off loopback it needs TLS (it then serves HTTPS with {@code tls.cert}) and, like every listener,
 * the tokens when they are configured. With the status page on ({@code http.page}, default) it also
 * needs the tokens off loopback, {@code --insecure} or not: the page's actions stop sessions.
 */
public final class BindPolicy {
    private BindPolicy() {}

    /**
     * @throws ConfigException naming the address and what is missing
     */
    public static void check(ServerConfig config) {
        if (config.metricsPort() >= 0
                && !config.tlsEnabled()
                && !isLoopback("metrics.host", config.metricsHost())) {
            throw new ConfigException(
                    "metrics.host: refusing to serve metrics in plain HTTP on non-loopback address "
                            + config.metricsHost()
                            + " (--insecure does not change this); configure tls.cert/tls.key (the"
                            + " endpoint then serves HTTPS) or keep metrics.host on loopback");
        }
        if (config.metricsPort() >= 0
                && config.http().pageEnabled()
                && !config.tokensEnabled()
                && !isLoopback("metrics.host", config.metricsHost())) {
            throw new ConfigException(
                    "metrics.host: refusing to serve the status page on non-loopback address "
                            + config.metricsHost()
                            + " without bearer tokens (auth.tokensFile; --insecure does not change"
                            + " this: the page can stop sessions); configure tokens, set"
                            + " http.page=false or keep metrics.host on loopback");
        }
        boolean secured = config.tlsEnabled() && config.tokensEnabled();
        if (config.insecure() || secured) {
            return;
        }
        requireLoopback("grpc.host", config.grpcHost());
        if (config.metricsPort() >= 0) {
            requireLoopback("metrics.host", config.metricsHost());
        }
    }

    private static boolean isLoopback(String key, String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException(key + ": cannot resolve '" + host + "'");
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
