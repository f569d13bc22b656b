package org.spikeloop.app.cli;

import io.grpc.Channel;
import io.grpc.ChannelCredentials;
import io.grpc.ClientInterceptors;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.TlsChannelCredentials;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import picocli.CommandLine.Option;

/**
 * How a client command reaches a running {@code spikeloop serve}: the address, the bearer token and
 * TLS (the server side of each is {@code serve --tls-cert/--tls-key/--tls-client-ca/--tokens},
 * docs/server.md "Security"). A picocli mixin; {@link #open} checks the options and returns a
 * channel with the token attached to every call.
 *
 * <p>The token is read from a file or the {@code SPIKELOOP_TOKEN} environment variable, never from
 * the command line, where every user of the machine could read it in the process list.
 */
final class ServerConnectionOptions {
    /** The environment variable holding the bearer token when no {@code --token-file} is given. */
    static final String TOKEN_ENV = "SPIKELOOP_TOKEN";

    private static final Pattern HOST_PORT =
            Pattern.compile("(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9.-]+):([0-9]{1,5})");
    private static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);

    @Option(
            names = "--server",
            paramLabel = "HOST:PORT",
            defaultValue = "127.0.0.1:50051",
            description = "Address of the spikeloop server. Default: ${DEFAULT-VALUE}.")
    String server;

    @Option(
            names = "--token-file",
            paramLabel = "FILE",
            description =
                    "File whose first line is the bearer token (servers run with --tokens);"
                            + " default: the SPIKELOOP_TOKEN environment variable, else none.")
    Path tokenFile;

    @Option(
            names = "--tls-ca",
            paramLabel = "PEM",
            description =
                    "CA certificates that signed the server's certificate: connect with TLS"
                            + " (default: plaintext).")
    Path tlsCa;

    @Option(
            names = "--tls-client-cert",
            paramLabel = "PEM",
            description = "Client certificate chain for mutual TLS (with --tls-client-key).")
    Path tlsClientCert;

    @Option(
            names = "--tls-client-key",
            paramLabel = "PEM",
            description = "Client private key (PKCS#8) for mutual TLS.")
    Path tlsClientKey;

    @Option(
            names = "--tls-server-name",
            paramLabel = "NAME",
            description =
                    "Name to check the server's certificate against (default: the --server"
                            + " host).")
    String tlsServerName;

    /** An open connection: close it when done. */
    static final class Connection implements AutoCloseable {
        private final ManagedChannel managed;
        private final Channel channel;
        private final String target;

        private Connection(ManagedChannel managed, Channel channel, String target) {
            this.managed = managed;
            this.channel = channel;
            this.target = target;
        }

        /** The channel to build stubs on (the token, if any, is attached to every call). */
        Channel channel() {
            return channel;
        }

        String target() {
            return target;
        }

        @Override
        public void close() throws InterruptedException {
            managed.shutdownNow();
            managed.awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    /**
     * Checks the options and opens a channel (lazily: nothing is sent before the first call).
     *
     * @throws IllegalArgumentException naming the option, for an address, file or token that is not
     *     usable
     */
    Connection open() {
        if (!HOST_PORT.matcher(server).matches()
                || Integer.parseInt(server.substring(server.lastIndexOf(':') + 1)) > 65535) {
            throw new IllegalArgumentException(
                    "--server: HOST:PORT such as 127.0.0.1:50051, got '" + server + "'");
        }
        String token = token();
        NettyChannelBuilder b = NettyChannelBuilder.forTarget(server, credentials());
        if (tlsServerName != null) {
            b.overrideAuthority(tlsServerName);
        }
        ManagedChannel managed = b.maxInboundMessageSize(64 << 20).build();
        Channel channel = managed;
        if (token != null) {
            Metadata headers = new Metadata();
            headers.put(AUTHORIZATION, "Bearer " + token);
            channel =
                    ClientInterceptors.intercept(
                            managed, MetadataUtils.newAttachHeadersInterceptor(headers));
        }
        return new Connection(managed, channel, server);
    }

    private ChannelCredentials credentials() {
        if ((tlsClientCert == null) != (tlsClientKey == null)) {
            throw new IllegalArgumentException(
                    "--tls-client-cert and --tls-client-key: give both (mutual TLS) or neither");
        }
        if (tlsCa == null) {
            if (tlsClientCert != null || tlsServerName != null) {
                throw new IllegalArgumentException(
                        "--tls-ca: required with --tls-client-cert or --tls-server-name (TLS)");
            }
            return InsecureChannelCredentials.create();
        }
        TlsChannelCredentials.Builder tls = TlsChannelCredentials.newBuilder();
        try {
            tls.trustManager(readable("--tls-ca", tlsCa).toFile());
            if (tlsClientCert != null) {
                tls.keyManager(
                        readable("--tls-client-cert", tlsClientCert).toFile(),
                        readable("--tls-client-key", tlsClientKey).toFile());
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException(
                    "TLS files: " + String.valueOf(e.getMessage()).replace('\n', ' '), e);
        }
        return tls.build();
    }

    private String token() {
        String token;
        String from;
        if (tokenFile != null) {
            readable("--token-file", tokenFile);
            try {
                String text = Files.readString(tokenFile);
                int eol = text.indexOf('\n');
                token = (eol < 0 ? text : text.substring(0, eol)).trim();
            } catch (IOException e) {
                throw new IllegalArgumentException(
                        "--token-file: cannot read " + tokenFile + ": " + e.getMessage(), e);
            }
            from = "--token-file " + tokenFile;
        } else {
            token = System.getenv(TOKEN_ENV);
            if (token == null) {
                return null;
            }
            token = token.trim();
            from = TOKEN_ENV;
        }
        if (token.isEmpty() || !token.chars().allMatch(c -> c > ' ' && c < 127)) {
            throw new IllegalArgumentException(
                    from + ": the token must be one word of printable ASCII");
        }
        return token;
    }

    private static Path readable(String option, Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException(option + ": no readable file " + file);
        }
        return file;
    }
}
