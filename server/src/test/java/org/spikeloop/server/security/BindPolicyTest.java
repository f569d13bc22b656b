package org.spikeloop.server.security;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.config.ConfigException;
import org.spikeloop.server.config.ServerConfig;

class BindPolicyTest {
    private static ServerConfig config(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return ServerConfig.apply(ServerConfig.defaults(), p);
    }

    @Test
    void shouldAllowLoopbackWithoutTlsOrTokens() {
        assertThatCode(() -> BindPolicy.check(config())).doesNotThrowAnyException();
        assertThatCode(() -> BindPolicy.check(config("grpc.host", "localhost")))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldRefuseAnyOtherAddressWithoutTlsAndTokens() {
        assertThatThrownBy(() -> BindPolicy.check(config("grpc.host", "0.0.0.0")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining(
                        "grpc.host: refusing to listen on non-loopback address 0.0.0.0")
                .hasMessageContaining("--insecure");
        assertThatThrownBy(
                        () ->
                                BindPolicy.check(
                                        config(
                                                "grpc.host",
                                                "0.0.0.0",
                                                "tls.cert",
                                                "c",
                                                "tls.key",
                                                "k")))
                .hasMessageContaining("auth.tokensFile");
        assertThatThrownBy(() -> BindPolicy.check(config("metrics.host", "0.0.0.0")))
                .hasMessageContaining("metrics.host");
    }

    @Test
    void shouldAllowItWithTlsAndTokensOrWhenInsecureIsExplicit() {
        assertThatCode(() -> BindPolicy.check(config("grpc.host", "0.0.0.0", "insecure", "true")))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                BindPolicy.check(
                                        config(
                                                "grpc.host",
                                                "0.0.0.0",
                                                "tls.cert",
                                                "c",
                                                "tls.key",
                                                "k",
                                                "auth.tokensFile",
                                                "t")))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldNeverServeMetricsInPlainHttpOffLoopbackEvenWhenInsecure() {
        // TLS + tokens for gRPC used to let the metrics listen on 0.0.0.0 in plain HTTP.
        assertThatThrownBy(
                        () ->
                                BindPolicy.check(
                                        config(
                                                "grpc.host",
                                                "0.0.0.0",
                                                "metrics.host",
                                                "0.0.0.0",
                                                "insecure",
                                                "true")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("metrics.host: refusing to serve metrics in plain HTTP")
                .hasMessageContaining("--insecure does not change this");
        assertThatCode(
                        () ->
                                BindPolicy.check(
                                        config(
                                                "metrics.host",
                                                "0.0.0.0",
                                                "tls.cert",
                                                "c",
                                                "tls.key",
                                                "k",
                                                "auth.tokensFile",
                                                "t")))
                .doesNotThrowAnyException();
        assertThatCode(
                        () ->
                                BindPolicy.check(
                                        config("metrics.host", "0.0.0.0", "metrics.port", "-1")))
                .doesNotThrowAnyException();
    }

    @Test
    void shouldServeTheStatusPageOffLoopbackOnlyWithTokensEvenWhenInsecure() {
        // TLS without tokens, --insecure: the metrics alone may listen off loopback; the page
        // (which can stop sessions) may not.
        String[] tlsInsecure = {
            "metrics.host", "0.0.0.0", "tls.cert", "c", "tls.key", "k", "insecure", "true"
        };
        assertThatThrownBy(() -> BindPolicy.check(config(tlsInsecure)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("refusing to serve the status page on non-loopback address")
                .hasMessageContaining("http.page=false");
        String[] withoutPage = java.util.Arrays.copyOf(tlsInsecure, tlsInsecure.length + 2);
        withoutPage[tlsInsecure.length] = "http.page";
        withoutPage[tlsInsecure.length + 1] = "false";
        assertThatCode(() -> BindPolicy.check(config(withoutPage))).doesNotThrowAnyException();
    }
}
