package org.spikeloop.server.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.config.ConfigException;

class TokenStoreTest {
    @TempDir Path dir;

    private Path file(String text) throws Exception {
        Path f = dir.resolve("tokens");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void shouldMapTokensToNamedRoles() throws Exception {
        TokenStore s =
                TokenStore.load(
                        file(
                                "# c\nalice operator aaaaaaaaaaaaaaaa1\n\nbob VIEWER bbbbbbbbbbbbbbbb2\n"));
        assertThat(s.size()).isEqualTo(2);
        assertThat(s.lookup("aaaaaaaaaaaaaaaa1")).isEqualTo(new Principal("alice", Role.OPERATOR));
        assertThat(s.lookup("bbbbbbbbbbbbbbbb2")).isEqualTo(new Principal("bob", Role.VIEWER));
        assertThat(s.lookup("aaaaaaaaaaaaaaaa")).isNull();
    }

    @Test
    void shouldNameTheLineButNeverTheTokenOfAShortToken() throws Exception {
        assertThatThrownBy(() -> TokenStore.load(file("alice operator short-secret\n")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("line 1")
                .hasMessageContaining("shorter than 16")
                .hasMessageNotContaining("short-secret");
    }

    @Test
    void shouldRejectAnUnknownRole() throws Exception {
        assertThatThrownBy(() -> TokenStore.load(file("alice admin aaaaaaaaaaaaaaaa1\n")))
                .hasMessageContaining("role must be viewer or operator, got 'admin'");
    }

    @Test
    void shouldRejectADuplicateTokenAndAWrongFieldCount() throws Exception {
        assertThatThrownBy(
                        () ->
                                TokenStore.load(
                                        file(
                                                "a viewer aaaaaaaaaaaaaaaa1\nb operator aaaaaaaaaaaaaaaa1\n")))
                .hasMessageContaining("line 2")
                .hasMessageContaining("repeats");
        assertThatThrownBy(() -> TokenStore.load(file("alice operator\n")))
                .hasMessageContaining("3 fields");
        assertThatThrownBy(() -> TokenStore.load(file("# nothing\n")))
                .hasMessageContaining("holds no tokens");
    }
}
