package org.spikeloop.server.security;

import io.grpc.ServerCredentials;
import io.grpc.TlsServerCredentials;
import java.io.IOException;
import org.spikeloop.server.config.ConfigException;
import org.spikeloop.server.config.ServerConfig;

/** gRPC server credentials from the configured PEM files (TLS, or mutual TLS with a client CA). */
public final class TlsCredentials {
    private TlsCredentials() {}

    /** TLS credentials, or null when TLS is off. @throws ConfigException naming the bad file */
    public static ServerCredentials from(ServerConfig config) {
        if (!config.tlsEnabled()) {
            return null;
        }
        try {
            TlsServerCredentials.Builder b =
                    TlsServerCredentials.newBuilder()
                            .keyManager(
                                    config.tlsCertChain().toFile(),
                                    config.tlsPrivateKey().toFile());
            if (config.tlsClientCa() != null) {
                b.trustManager(config.tlsClientCa().toFile())
                        .clientAuth(TlsServerCredentials.ClientAuth.REQUIRE);
            }
            return b.build();
        } catch (IOException | IllegalArgumentException e) {
            throw new ConfigException(
                    "tls.cert/tls.key/tls.clientCa: cannot load PEM files ("
                            + config.tlsCertChain()
                            + ", "
                            + config.tlsPrivateKey()
                            + ", "
                            + config.tlsClientCa()
                            + "): "
                            + e.getMessage());
        }
    }
}
