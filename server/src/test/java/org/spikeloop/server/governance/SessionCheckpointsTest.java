package org.spikeloop.server.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.jobs.RigRecordings;
import org.spikeloop.server.registry.CheckpointRegistry;
import org.spikeloop.server.registry.DataRange;
import org.spikeloop.server.registry.Lineage;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.server.registry.Role;
import org.spikeloop.server.registry.SessionRoles;
import org.spikeloop.snn.checkpoint.Checkpoint;
import org.spikeloop.snn.checkpoint.Provenance;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;

class SessionCheckpointsTest {
    @TempDir Path dir;
    CheckpointRegistry registry;
    GovernanceAudit audit;
    SessionCheckpoints checkpoints;
    KernelSessionControl control;

    @BeforeEach
    void setUp() {
        registry = CheckpointRegistry.open(dir.resolve("registry"));
        audit = new GovernanceAudit(null);
        checkpoints = new SessionCheckpoints(registry, audit, Clock.systemUTC(), s -> null);
        control =
                new KernelSessionControl(
                        RigRecordings.spec(),
                        Initializer.initialise(RigRecordings.spec(), InitSpec.seeded(1)));
    }

    private RegistryEntry donor(NetworkSpec spec, long seed) throws Exception {
        return registry.register(
                Checkpoint.create(
                        spec,
                        Initializer.initialise(spec, InitSpec.seeded(seed)),
                        Provenance.now("tester", "donor")),
                new Lineage("", "init", null, "", DataRange.none(), "tester"));
    }

    private void poisonLiveWeights() {
        control.network.liveParameter("readout.w_out")[0] = Float.NaN;
    }

    private List<String> actions() {
        return audit.events("k1").stream().map(GovernanceEvent::action).toList();
    }

    @Test
    void shouldStartFromARegistryCheckpointSoLineageAndRollbackBeginThere() throws Exception {
        RegistryEntry start = donor(RigRecordings.spec(), 1); // the session's initial weights
        checkpoints.startFrom(control, start.id(), "alice");
        assertThat(registry.roles("k1").active()).isEqualTo(start.id());
        assertThat(actions()).containsExactly("start");
        assertThat(audit.events("k1").get(0).toId()).isEqualTo(start.id());
        control.network.liveParameter("readout.w_out")[0] += 0.5f;
        RegistryEntry snap = checkpoints.snapshot(control, "alice", "after learning");
        assertThat(snap.lineage().parentId()).isEqualTo(start.id());
        assertThat(checkpoints.rollbackDepth("k1")).isEqualTo(1);
        assertThat(checkpoints.rollBack(control, "alice", "undo").id()).isEqualTo(start.id());
        assertThat(registry.roles("k1").active()).isEqualTo(start.id());
        control.network.liveParameter("readout.w_out")[0] += 0.5f;
        checkpoints.snapshot(control, "alice", "again");
        checkpoints.forget("k1");
        assertThat(checkpoints.rollbackDepth("k1")).isZero();
    }

    @Test
    void shouldRefuseToStartFromAnUnlistedCheckpointWithNotFound() {
        assertThatThrownBy(() -> checkpoints.startFrom(control, "ab".repeat(32), "alice"))
                .isInstanceOfSatisfying(
                        ServerException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServerException.Kind.NOT_FOUND));
        assertThat(registry.roles("k1").active()).isNull();
        assertThat(actions()).isEmpty();
    }

    @Test
    void shouldSnapshotWithLineageParentCreatorAndReasonAndMakeItActive() {
        RegistryEntry first = checkpoints.snapshot(control, "alice", "before the session");
        assertThat(first.lineage().kind()).isEqualTo("snapshot");
        assertThat(first.lineage().parentId()).isNull();
        assertThat(first.lineage().creator()).isEqualTo("alice");
        assertThat(first.lineage().reason()).isEqualTo("before the session");
        control.network.liveParameter("readout.w_out")[0] += 0.5f;
        RegistryEntry second = checkpoints.snapshot(control, "bob", "after tuning");
        assertThat(second.lineage().parentId()).isEqualTo(first.id());
        assertThat(registry.find(second.id()).orElseThrow().lineage().reason())
                .isEqualTo("after tuning");
        assertThat(registry.roles("k1").active()).isEqualTo(second.id());
        assertThat(checkpoints.rollbackDepth("k1")).isEqualTo(1);
        GovernanceEvent e = audit.events("k1").get(1);
        assertThat(e.action()).isEqualTo("snapshot");
        assertThat(e.who()).isEqualTo("bob");
        assertThat(e.fromId()).isEqualTo(first.id());
        assertThat(e.toId()).isEqualTo(second.id());
    }

    @Test
    void shouldUseTheEnginesLoadedCheckpointAsParentBeforeTheSessionHasAnActiveRole() {
        control.activeId = "f".repeat(64);
        RegistryEntry e = checkpoints.snapshot(control, "alice", "first");
        assertThat(e.lineage().parentId()).isEqualTo("f".repeat(64));
    }

    @Test
    void shouldRefuseAndAuditASnapshotOfNonFiniteWeights() {
        RegistryEntry start = checkpoints.snapshot(control, "alice", "start");
        poisonLiveWeights();
        assertThatThrownBy(() -> checkpoints.snapshot(control, "alice", "after fault"))
                .isInstanceOfSatisfying(
                        ServerException.class,
                        e ->
                                assertThat(e.kind())
                                        .isEqualTo(ServerException.Kind.FAILED_PRECONDITION))
                .hasMessageContaining("not finite");
        assertThat(registry.list()).hasSize(1);
        assertThat(registry.roles("k1").active()).isEqualTo(start.id());
        GovernanceEvent skipped = audit.events("k1").get(1);
        assertThat(skipped.action()).isEqualTo("snapshot-skipped");
        assertThat(skipped.reason()).contains("non-finite").contains("not exported");
    }

    @Test
    void shouldLoadByIdSnapshottingTheLiveWeightsSoRollBackReturnsToThem() throws Exception {
        NetworkParams original = control.exportLive();
        RegistryEntry donor = donor(RigRecordings.spec(), 9);
        checkpoints.load(control, donor.id(), "alice", "try the donor");
        assertThat(control.activeId).isEqualTo(donor.id());
        SessionRoles roles = registry.roles("k1");
        assertThat(roles.active()).isEqualTo(donor.id());
        assertThat(checkpoints.rollbackDepth("k1")).isEqualTo(1);
        assertThat(actions()).containsExactly("snapshot", "load");
        String liveSnapshot = audit.events("k1").get(0).toId();
        assertThat(registry.find(liveSnapshot).orElseThrow().lineage().reason())
                .contains("before loading " + donor.id());

        RegistryEntry back = checkpoints.rollBack(control, "alice", "undo");
        assertThat(back.id()).isEqualTo(liveSnapshot);
        assertThat(control.activeId).isEqualTo(liveSnapshot);
        assertThat(registry.roles("k1").active()).isEqualTo(liveSnapshot);
        assertThat(control.exportLive().get("readout.w_out").data())
                .containsExactly(original.get("readout.w_out").data());
        assertThat(checkpoints.rollbackDepth("k1")).isZero();
        assertThat(actions()).containsExactly("snapshot", "load", "rollback");
    }

    @Test
    void shouldRollBackToLastGoodWhenThereIsNoEarlierActive() throws Exception {
        RegistryEntry good = donor(RigRecordings.spec(), 3);
        registry.setRole("k1", Role.LAST_GOOD, good.id());
        RegistryEntry active = checkpoints.snapshot(control, "alice", "live");
        assertThat(checkpoints.rollbackDepth("k1")).isZero();
        assertThat(checkpoints.rollBack(control, "alice", "undo").id()).isEqualTo(good.id());
        assertThat(registry.roles("k1").active()).isEqualTo(good.id());
        assertThat(control.activeId).isEqualTo(good.id());
        assertThat(audit.events("k1").get(1).fromId()).isEqualTo(active.id());
    }

    @Test
    void shouldRefuseARollBackWithNothingToReturnTo() {
        checkpoints.snapshot(control, "alice", "live");
        assertThatThrownBy(() -> checkpoints.rollBack(control, "alice", "undo"))
                .isInstanceOfSatisfying(
                        ServerException.class,
                        e ->
                                assertThat(e.kind())
                                        .isEqualTo(ServerException.Kind.FAILED_PRECONDITION))
                .hasMessageContaining("no earlier active checkpoint");
    }

    @Test
    void shouldLoadOverNonFiniteLiveWeightsWithoutSnapshottingThemAndAuditThat() throws Exception {
        RegistryEntry start = checkpoints.snapshot(control, "alice", "start");
        RegistryEntry donor = donor(RigRecordings.spec(), 4);
        poisonLiveWeights();
        int listed = registry.list().size();
        checkpoints.load(control, donor.id(), "alice", "recover");
        assertThat(registry.list()).hasSize(listed); // nothing registered for the NaN weights
        assertThat(control.activeId).isEqualTo(donor.id());
        assertThat(WeightGuard.check(control.exportLive(), 1e9)).isNull();
        GovernanceEvent load = audit.events("k1").get(1);
        assertThat(load.action()).isEqualTo("load");
        assertThat(load.fromId()).isEqualTo(start.id());
        assertThat(load.reason()).contains("recover").contains("non-finite");
    }

    @Test
    void shouldRefuseAnUnknownIdWithNotFoundAndChangeNothing() {
        RegistryEntry start = checkpoints.snapshot(control, "alice", "start");
        NetworkParams before = control.exportLive();
        assertThatThrownBy(() -> checkpoints.load(control, "0".repeat(64), "alice", "x"))
                .isInstanceOfSatisfying(
                        ServerException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServerException.Kind.NOT_FOUND))
                .hasMessageContaining("0".repeat(64));
        assertNothingChanged(start, before, 1);
    }

    @Test
    void shouldRefuseACorruptedCheckpointWithDataLossAndChangeNothing() throws Exception {
        RegistryEntry donor = donor(RigRecordings.spec(), 5);
        RegistryEntry start = checkpoints.snapshot(control, "alice", "start");
        NetworkParams before = control.exportLive();
        Path file = registry.dir().resolve(donor.file());
        byte[] bytes = Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 0x5a;
        Files.write(file, bytes);
        assertThatThrownBy(() -> checkpoints.load(control, donor.id(), "alice", "x"))
                .isInstanceOfSatisfying(
                        ServerException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServerException.Kind.DATA_LOSS))
                .hasMessageContaining("checksum mismatch");
        assertNothingChanged(start, before, 2);
    }

    @Test
    void shouldRefuseAnotherArchitectureWithInvalidArgumentAndChangeNothing() throws Exception {
        NetworkSpec other =
                new NetworkSpec(
                        1.0,
                        RigRecordings.UNITS,
                        null,
                        List.of(new LayerSpec(16, true, NeuronSpec.lif())),
                        ReadoutSpec.leaky(2));
        RegistryEntry donor = donor(other, 6);
        RegistryEntry start = checkpoints.snapshot(control, "alice", "start");
        NetworkParams before = control.exportLive();
        assertThatThrownBy(() -> checkpoints.load(control, donor.id(), "alice", "x"))
                .isInstanceOfSatisfying(
                        ServerException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServerException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining("architecture");
        assertNothingChanged(start, before, 2);
    }

    @Test
    void shouldRefuseAnEmptyIdNamingTheField() {
        assertThatThrownBy(() -> checkpoints.load(control, "", "alice", "x"))
                .isInstanceOfSatisfying(
                        ServerException.class,
                        e -> assertThat(e.kind()).isEqualTo(ServerException.Kind.INVALID_ARGUMENT))
                .hasMessageContaining("checkpoint");
    }

    private void assertNothingChanged(RegistryEntry start, NetworkParams before, int listed) {
        assertThat(registry.roles("k1")).isEqualTo(new SessionRoles(start.id(), null, null));
        assertThat(registry.list()).hasSize(listed);
        // The snapshot made `start` active in the engine too; the refused load changed nothing.
        assertThat(control.activeId).isEqualTo(start.id());
        assertThat(control.loads).isZero();
        assertThat(control.exportLive().get("readout.w_out").data())
                .containsExactly(before.get("readout.w_out").data());
        assertThat(checkpoints.rollbackDepth("k1")).isZero();
        assertThat(actions()).containsExactly("snapshot");
    }
}
