package org.spikeloop.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Clock;
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

    @BeforeEach
    void setUp() throws Exception {
        registry = CheckpointRegistry.open(dir.resolve("registry"));
        governor =
                new Governor(
                        registry,
                        new GovernanceAudit(null, new SimpleMeterRegistry()),
                        Clock.systemUTC());
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
    }
}
