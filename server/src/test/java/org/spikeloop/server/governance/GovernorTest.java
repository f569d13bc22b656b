package org.spikeloop.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.jobs.RigRecordings;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.Lineage;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.server.registry.RetentionPolicy;
import org.spikeloop.server.registry.Role;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;

class GovernorTest {
    @TempDir Path dir;
    CheckpointRegistry registry;
    Governor governor;
    KernelSessionControl control;
    RecentData data;
    NetworkParams good;
    final TestClock clock = new TestClock();

    /** The governor's time, advanced by the tests. */
    static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        registry = CheckpointRegistry.open(dir.resolve("registry"));
        governor = new Governor(registry, new GovernanceAudit(null), clock);
        Path rec = dir.resolve("rec.xdf");
        RigRecordings.write(rec, 3.0, 7, 0);
        data =
                new XdfRecentData(
                        () -> List.of(rec),
                        RigRecordings.SPIKES,
                        RigRecordings.KINEMATICS,
                        2.0,
                        RigRecordings.UNITS,
                        2);
        // A decoder that predicts 0 (MSE = the labels' variance): a modest but sane baseline.
        good = Initializer.initialise(RigRecordings.spec(), InitSpec.seeded(1));
        Arrays.fill(good.get("readout.w_out").data(), 0);
        control = new KernelSessionControl(RigRecordings.spec(), good);
    }

    private RegistryEntry reference(NetworkParams p) throws Exception {
        RegistryEntry e =
                registry.register(
                        Checkpoint.create(RigRecordings.spec(), p, Provenance.now("job", "test")),
                        new Lineage("k1", "job", null, "j", DataRange.none(), "job"));
        registry.setRole("k1", Role.REFERENCE, e.id());
        return e;
    }

    private static NetworkParams bad(NetworkParams base) {
        NetworkParams p = base.copy();
        double[] w = p.get("readout.w_out").data();
        for (int i = 0; i < w.length; i++) {
            w[i] = (i % 3 - 1) * 10.0;
        }
        p.get("readout.bias").data()[0] = 3.0;
        return p;
    }

    @Test
    void shouldRollBackOnlyAfterTheSustainedNumberOfBadEvaluations() throws Exception {
        RegistryEntry start =
                governor.govern(
                        control, data, new GovernancePolicy(false, 0.1, true, 0.25, 3, 1e6), "op");
        reference(good);
        control.load(bad(good), "bad");
        governor.evaluate("k1");
        governor.evaluate("k1");
        assertThat(governor.audit("k1"))
                .extracting(GovernanceEvent::action)
                .doesNotContain("rollback");
        ShadowScores s = governor.evaluate("k1");
        assertThat(s.liveMse()).isGreaterThan(1.25 * s.referenceMse());
        GovernanceEvent r = governor.audit("k1").get(governor.audit("k1").size() - 1);
        assertThat(r.action()).isEqualTo("rollback");
        assertThat(r.who()).startsWith("policy:");
        assertThat(r.reason()).contains("3 consecutive evaluations");
        assertThat(r.toId()).isEqualTo(start.id());
        assertThat(control.activeId).isEqualTo(start.id());
        assertThat(registry.roles("k1").active()).isEqualTo(start.id());
    }

    @Test
    void shouldResetTheBadCountWhenAnEvaluationIsGood() throws Exception {
        governor.govern(control, data, new GovernancePolicy(false, 0.1, true, 0.25, 2, 1e6), "op");
        reference(good);
        control.load(bad(good), "bad");
        governor.evaluate("k1");
        control.load(good, "good-again");
        governor.evaluate("k1");
        control.load(bad(good), "bad");
        governor.evaluate("k1");
        assertThat(governor.audit("k1"))
                .extracting(GovernanceEvent::action)
                .doesNotContain("rollback");
    }

    @Test
    void shouldRollBackAtOnceWhenTheWeightNormGuardFires() throws Exception {
        governor.govern(control, data, new GovernancePolicy(false, 0.1, true, 0.25, 5, 50.0), "op");
        control.load(bad(good), "bad"); // norm of w_out alone is > 50
        ShadowScores s = governor.evaluate("k1");
        assertThat(s.guard()).contains("weight norm").contains("above the limit 50.0");
        assertThat(governor.audit("k1")).extracting(GovernanceEvent::action).endsWith("rollback");
    }

    @Test
    void shouldOnlyReportUnderAManualPolicy() throws Exception {
        governor.govern(control, data, GovernancePolicy.manual(), "op");
        reference(good);
        control.load(bad(good), "bad");
        for (int i = 0; i < 5; i++) {
            governor.evaluate("k1");
        }
        assertThat(governor.scores("k1").liveMse())
                .isGreaterThan(governor.scores("k1").referenceMse());
        assertThat(governor.audit("k1"))
                .extracting(GovernanceEvent::action)
                .containsExactly("snapshot", "policy");
        assertThat(control.activeId).isEqualTo("bad");
    }

    @Test
    void shouldAutoPromoteOnlyByMoreThanTheMargin() throws Exception {
        governor.govern(control, data, new GovernancePolicy(true, 0.99, false, 0.25, 1, 1e6), "op");
        control.load(bad(good), "bad");
        RegistryEntry ref = reference(good);
        governor.evaluate("k1");
        assertThat(control.activeId).isEqualTo("bad"); // better, but not by 99 %
        governor.setPolicy("k1", new GovernancePolicy(true, 0.1, false, 0.25, 1, 1e6), "op");
        governor.evaluate("k1");
        assertThat(control.activeId).isEqualTo(ref.id());
        assertThat(registry.roles("k1").lastGood()).isEqualTo(ref.id());
    }

    /** The good weights after some (simulated) e-prop updates of the readout. */
    private NetworkParams evolved() {
        NetworkParams p = good.copy();
        Arrays.fill(p.get("readout.w_out").data(), 0.01);
        return p;
    }

    @Test
    void shouldSnapshotTheLiveWeightsOnceThePeriodHasElapsed() throws Exception {
        RegistryEntry start = governor.govern(control, data, GovernancePolicy.manual(), "op");
        int before = registry.list().size();
        control.load(evolved(), "evolving");
        clock.now = clock.now.plusSeconds(GovernancePolicy.DEFAULT_SNAPSHOT_EVERY_S - 1);
        governor.tick();
        assertThat(registry.list()).hasSize(before);
        assertThat(registry.roles("k1").active()).isEqualTo(start.id());

        clock.now = clock.now.plusSeconds(2);
        governor.tick();
        governor.tick(); // the period restarted: no second snapshot
        assertThat(registry.list()).hasSize(before + 1);
        RegistryEntry snap = registry.list().get(registry.list().size() - 1);
        assertThat(snap.id()).isNotEqualTo(start.id());
        assertThat(snap.lineage().kind()).isEqualTo("snapshot");
        assertThat(snap.lineage().parentId()).isEqualTo(start.id());
        assertThat(snap.lineage().creator()).isEqualTo(Governor.PERIODIC);
        assertThat(registry.roles("k1").active()).isEqualTo(snap.id());
        assertThat(registry.roles("k1").lastGood()).isEqualTo(start.id());
        assertThat(
                        registry.load(snap.id(), RigRecordings.spec())
                                .params()
                                .get("readout.w_out")
                                .data())
                .containsExactly(control.exportLive().get("readout.w_out").data());
        GovernanceEvent e = governor.audit("k1").get(governor.audit("k1").size() - 1);
        assertThat(e.action()).isEqualTo("snapshot");
        assertThat(e.who()).isEqualTo("policy:periodic");
        assertThat(e.fromId()).isEqualTo(start.id());
        assertThat(e.toId()).isEqualTo(snap.id());
        assertThat(e.time()).isEqualTo(clock.now);

        // Retention keeps it while it is ACTIVE, even behind a newer checkpoint of the session.
        reference(good);
        assertThat(registry.applyRetention(new RetentionPolicy(1))).doesNotContain(snap.id());
        assertThat(registry.load(snap.id(), RigRecordings.spec()).contentId()).isEqualTo(snap.id());
    }

    @Test
    void shouldNotSnapshotPeriodicallyWhenThePeriodIsZero() throws Exception {
        governor.govern(control, data, GovernancePolicy.manual().withSnapshotEveryS(0), "op");
        int before = registry.list().size();
        control.load(evolved(), "evolving");
        clock.now = clock.now.plusSeconds(86_400);
        governor.tick();
        assertThat(governor.snapshotIfDue("k1")).isNull();
        assertThat(registry.list()).hasSize(before);
        assertThat(governor.audit("k1"))
                .extracting(GovernanceEvent::action)
                .containsExactly("snapshot", "policy");
    }

    @Test
    void shouldSkipAndAuditAPeriodicSnapshotOfWeightsTheGuardRefuses() throws Exception {
        RegistryEntry start =
                governor.govern(
                        control,
                        data,
                        new GovernancePolicy(false, 0.1, false, 0.25, 5, 50.0),
                        "op");
        int before = registry.list().size();
        control.load(bad(good), "bad"); // norm of w_out alone is > 50
        clock.now = clock.now.plusSeconds(GovernancePolicy.DEFAULT_SNAPSHOT_EVERY_S);
        governor.tick();
        assertThat(registry.list()).hasSize(before);
        assertThat(registry.roles("k1").active()).isEqualTo(start.id());
        GovernanceEvent e = governor.audit("k1").get(governor.audit("k1").size() - 1);
        assertThat(e.action()).isEqualTo("snapshot-skipped");
        assertThat(e.who()).isEqualTo(Governor.PERIODIC);
        assertThat(e.reason()).contains("weight norm").contains("above the limit 50.0");
    }

    @Test
    void shouldRefuseToGovernASessionTwice() {
        governor.govern(control, data, GovernancePolicy.manual(), "op");
        assertThatThrownBy(() -> governor.govern(control, data, GovernancePolicy.manual(), "op"))
                .hasMessageContaining("already governed");
    }

    @Test
    void shouldRejectAnInvalidPolicy() {
        assertThatThrownBy(() -> new GovernancePolicy(true, 0.1, true, 0.25, 0, 1))
                .hasMessageContaining("policy.sustained_evaluations");
        assertThatThrownBy(() -> new GovernancePolicy(true, 0.1, true, 0.25, 1, 0))
                .hasMessageContaining("policy.weight_norm_limit");
        assertThatThrownBy(() -> GovernancePolicy.manual().withSnapshotEveryS(-1))
                .hasMessageContaining("policy.snapshot_every_s");
    }
}
