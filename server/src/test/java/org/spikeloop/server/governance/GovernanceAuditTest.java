package org.spikeloop.server.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.metrics.GovernanceMetrics;
import org.spikeloop.server.security.AuditLog;

class GovernanceAuditTest {
    @TempDir Path dir;

    @Test
    void shouldStopCountingAForgottenSession() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        GovernanceAudit a = new GovernanceAudit(null);
        GovernanceMetrics s1 = new GovernanceMetrics("s1");
        s1.bindTo(meters);
        a.registerSession("s1", s1);
        a.record(event("s1", "promote"));
        a.forget("s1");
        a.record(event("s1", "promote"));

        assertThat(meters.get(GovernanceMetrics.PROMOTIONS).counter().count()).isEqualTo(1.0);
        assertThat(a.events("s1")).hasSize(2);
    }

    private static GovernanceEvent event(String session, String action) {
        return new GovernanceEvent(
                Instant.EPOCH, session, action, "alice", "", Double.NaN, Double.NaN, "", "");
    }

    @Test
    void shouldAppendToTheServerAuditLogAndCount() throws Exception {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (AuditLog log = new AuditLog(dir.resolve("audit.log"), Clock.systemUTC())) {
            GovernanceAudit a = new GovernanceAudit(log);
            GovernanceMetrics s1 = new GovernanceMetrics("s1");
            s1.bindTo(meters);
            a.registerSession("s1", s1);
            assertThat(
                            meters.get(GovernanceMetrics.ROLLBACKS)
                                    .tag("session", "s1")
                                    .counter()
                                    .count())
                    .isZero();
            a.record(
                    new GovernanceEvent(
                            Instant.EPOCH,
                            "s1",
                            "rollback",
                            "policy:auto-rollback",
                            "guard: non-finite weights",
                            Double.NaN,
                            0.5,
                            "aaa",
                            "bbb"));
            a.record(
                    new GovernanceEvent(
                            Instant.EPOCH,
                            "s2",
                            "policy",
                            "alice",
                            "manual -> x",
                            Double.NaN,
                            Double.NaN,
                            "",
                            ""));
            assertThat(a.events("s1")).hasSize(1);
            assertThat(a.events("")).hasSize(2);
            assertThat(
                            meters.get(GovernanceMetrics.ROLLBACKS)
                                    .tag("session", "s1")
                                    .counter()
                                    .count())
                    .isEqualTo(1.0);
            assertThat(
                            meters.get(GovernanceMetrics.ACTIONS)
                                    .tag("session", "s1")
                                    .tag("action", "rollback")
                                    .counter()
                                    .count())
                    .isEqualTo(1.0);
            // s2 has no meters here (a session the audit was never given): recorded, not counted.
            assertThat(meters.find(GovernanceMetrics.ACTIONS).tag("session", "s2").meters())
                    .isEmpty();
        }
        String text = Files.readString(dir.resolve("audit.log"));
        assertThat(text)
                .contains("\"who\":\"policy:auto-rollback\"")
                .contains("\"action\":\"governance.rollback\"")
                .contains("\"previous\":\"aaa\"")
                .contains("reason=guard: non-finite weights")
                .contains("reference_mse=0.500000");
    }
}
