package org.spikeloop.server.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuditLogTest {
    @TempDir Path dir;
    private final Clock clock = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

    @Test
    void shouldAppendOneJsonLinePerActionWithWhoWhenWhatAndPreviousValue() throws Exception {
        Path f = dir.resolve("audit.log");
        try (AuditLog log = new AuditLog(f, clock)) {
            log.record("alice", "learning.mode", "s-1", "PAUSED", "ENABLED");
        }
        assertThat(Files.readAllLines(f))
                .containsExactly(
                        "{\"time\":\"2026-01-02T03:04:05Z\",\"who\":\"alice\",\"action\":\"learning.mode\","
                                + "\"session\":\"s-1\",\"previous\":\"PAUSED\",\"next\":\"ENABLED\"}");
    }

    @Test
    void shouldStayOpenForEveryoneWhenAThreadIsInterruptedWhileAppending() throws Exception {
        Path f = dir.resolve("audit.log");
        try (AuditLog log = new AuditLog(f, clock)) {
            // An interrupted thread (an executor shut down with shutdownNow while it appends)
            // writes its line, keeps its interrupt, and the log goes on taking other lines.
            Thread.currentThread().interrupt();
            try {
                log.record("refusals", "refused.summary", "", "interval 20 ms", "1 refused");
                assertThat(Thread.currentThread().isInterrupted()).isTrue();
            } finally {
                Thread.interrupted();
            }
            log.record("alice", "session.create", "s-1", "", "created");
        }
        assertThat(Files.readAllLines(f))
                .hasSize(2)
                .anySatisfy(l -> assertThat(l).contains("\"action\":\"refused.summary\""))
                .anySatisfy(l -> assertThat(l).contains("\"action\":\"session.create\""));
    }

    @Test
    void shouldNeverTruncateWhenReopened() throws Exception {
        Path f = dir.resolve("audit.log");
        try (AuditLog log = new AuditLog(f, clock)) {
            log.record("a", "x", "", "", "");
        }
        try (AuditLog log = new AuditLog(f, clock)) {
            log.record("b", "y", "", "", "");
        }
        List<String> lines = Files.readAllLines(f);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).contains("\"who\":\"a\"");
        assertThat(lines.get(1)).contains("\"who\":\"b\"");
    }

    @Test
    void shouldEscapeQuotesAndNewlines() throws Exception {
        Path f = dir.resolve("audit.log");
        try (AuditLog log = new AuditLog(f, clock)) {
            log.record("a\"b", "x\ny", "", "", "");
        }
        assertThat(Files.readAllLines(f)).hasSize(1);
        assertThat(Files.readString(f)).contains("a\\\"b").contains("x\\ny");
    }
}
