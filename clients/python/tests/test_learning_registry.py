"""LearningService and GovernanceService through the checkpoint registry, from the Python client against
`spikeloop serve` on 127.0.0.1: every snapshot, load and rollback shows up in the index the registry
writes (<checkpoint-dir>/registry/index.json: entries with lineage, each session's roles), bad ids get
clear statuses and leave the index byte-for-byte unchanged, and the periodic snapshot period is set over
gRPC, visible in GovernanceState and audited as a policy change. CreateSession takes a registry id:
the new session starts from that checkpoint and it is the session's active role.
"""

import json
import time

import grpc
import pytest

from _spikeloop_jar import JAR
from spikeloop_client import Client, SpikeloopError, learning_pb2
from test_server_e2e import REPLAY, now_stamps, spikes, start_server, wait_steps

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")


@pytest.fixture
def server(tmp_path):
    s = start_server(tmp_path)
    yield s
    assert s.stop() == 0, (tmp_path / "server.err").read_text()


def registry_dir(server):
    return server.tmp / "ck" / "registry"


def _no_bare_constants(name):
    raise AssertionError(f"index.json holds a bare {name}: not strict JSON (issue 16)")


def index(server):
    # Strict JSON: Python's json module accepts NaN/Infinity unless told otherwise.
    return json.loads((registry_dir(server) / "index.json").read_text(),
                      parse_constant=_no_bare_constants)


def entry(server, checkpoint_id):
    found = [e for e in index(server)["entries"] if e["id"] == checkpoint_id]
    assert found, f"{checkpoint_id} is not in the registry index"
    return found[0]


def active(server, session_id):
    return index(server)["sessions"].get(session_id, {}).get("active")


def learn_a_little(c, session_id, channels):
    """Enables e-prop for 1000 labelled steps so the live weights move, then pauses it."""
    c.set_learning_parameters(session_id, learning_rate=0.01, update_interval_steps=20)
    c.set_learning_mode(session_id, "enabled")
    stamps = now_stamps(1000)
    c.push_labels(session_id, [[0.5, -0.5]], stamps[:1])
    c.push_samples(session_id, spikes(1000, channels, seed=1), stamps)
    wait_steps(c, session_id, 1000)
    end = time.time() + 10
    while c.learning_state(session_id).update_count == 0 and time.time() < end:
        time.sleep(0.02)
    c.set_learning_mode(session_id, "paused")
    assert c.learning_state(session_id).update_count > 0


def test_snapshots_are_registry_entries_with_lineage_and_roll_back_updates_the_roles(server):
    with Client(server.target) as c:
        s = c.create_session(channels=8, hidden=16, outputs=2, seed=3, live_edge=REPLAY)
        first = c.snapshot(s.id, "before the trial")
        e = entry(server, first.content_id)
        assert (e["kind"], e["sessionId"], e["creator"], e["reason"], e.get("parentId")) == \
            ("snapshot", s.id, "anonymous", "before the trial", None)
        assert (first.kind, first.creator, first.reason, first.parent_id) == \
            ("snapshot", "anonymous", "before the trial", "")
        assert (registry_dir(server) / first.name).is_file()
        assert active(server, s.id) == first.content_id
        assert c.learning_state(s.id).active_checkpoint == first.content_id  # API == registry

        learn_a_little(c, s.id, 8)
        second = c.snapshot(s.id, "after learning")
        assert second.content_id != first.content_id and second.parent_id == first.content_id
        assert entry(server, second.content_id)["parentId"] == first.content_id
        assert active(server, s.id) == second.content_id
        assert c.learning_state(s.id).active_checkpoint == second.content_id

        back = c.roll_back(s.id)
        assert back.active_checkpoint == first.content_id
        assert active(server, s.id) == first.content_id
        assert [a.action for a in c.governance_audit(s.id)] == ["snapshot", "snapshot", "rollback"]
    assert "governance.rollback" in (server.tmp / "audit.log").read_text()


def test_load_by_registry_id_then_roll_back_changes_the_sessions_active_role(server):
    with Client(server.target) as c:
        donor = c.create_session(channels=8, hidden=16, outputs=2, seed=42, live_edge=REPLAY)
        donor_id = c.snapshot(donor.id).content_id
        s = c.create_session(channels=8, hidden=16, outputs=2, seed=1, live_edge=REPLAY)
        assert active(server, s.id) is None
        state = c.load_checkpoint(s.id, donor_id, "try the donor")
        assert state.active_checkpoint == donor_id and state.rollback_depth == 1
        assert active(server, s.id) == donor_id
        # The weights the load replaced were registered first, so the rollback returns to exactly them.
        before = [e for e in index(server)["entries"] if e["sessionId"] == s.id]
        assert len(before) == 1 and before[0]["reason"] == f"live weights before loading {donor_id}"
        back = c.roll_back(s.id)
        assert back.active_checkpoint == before[0]["id"] and back.rollback_depth == 0
        assert active(server, s.id) == before[0]["id"]
        with pytest.raises(SpikeloopError) as e:
            c.roll_back(s.id)
        assert e.value.code == grpc.StatusCode.FAILED_PRECONDITION
        assert [a.action for a in c.governance_audit(s.id)] == ["snapshot", "load", "rollback"]


def test_unknown_corrupted_and_other_architecture_ids_are_refused_and_change_nothing(server):
    with Client(server.target) as c:
        small_id = c.snapshot(c.create_session(channels=8, hidden=8, outputs=2, live_edge=REPLAY).id).content_id
        other = c.snapshot(c.create_session(channels=8, hidden=16, outputs=2, seed=9, live_edge=REPLAY).id)
        f = registry_dir(server) / other.name
        data = bytearray(f.read_bytes())
        data[len(data) // 2] ^= 0x5A
        f.write_bytes(bytes(data))
        s = c.create_session(channels=8, hidden=16, outputs=2, seed=1, live_edge=REPLAY)
        index_before = (registry_dir(server) / "index.json").read_bytes()
        for checkpoint, code, text in [("ab" * 32, grpc.StatusCode.NOT_FOUND, "ab" * 32),
                                       (other.content_id, grpc.StatusCode.DATA_LOSS, "checksum mismatch"),
                                       (small_id, grpc.StatusCode.INVALID_ARGUMENT, "architecture"),
                                       ("", grpc.StatusCode.INVALID_ARGUMENT, "checkpoint")]:
            with pytest.raises(SpikeloopError) as e:
                c.load_checkpoint(s.id, checkpoint)
            assert e.value.code == code and text in e.value.details, (checkpoint, e.value)
        with pytest.raises(grpc.RpcError) as e:
            c.learning.SnapshotCheckpoint(learning_pb2.SnapshotRequest(session_id=s.id, name="mine.ckpt"))
        assert e.value.code() == grpc.StatusCode.INVALID_ARGUMENT and "name" in e.value.details()
        assert (registry_dir(server) / "index.json").read_bytes() == index_before
        state = c.learning_state(s.id)
        assert (state.active_checkpoint, state.rollback_depth) == ("", 0)


def test_the_snapshot_period_is_set_over_grpc_shown_in_the_state_and_audited(server):
    with Client(server.target) as c:
        s = c.create_session(channels=8, hidden=16, outputs=2, live_edge=REPLAY)
        c.push_samples(s.id, spikes(200, 8), now_stamps(200))
        end = time.time() + 10
        while not list((server.tmp / "recordings").glob(f"{s.id}-*.xdf")) and time.time() < end:
            time.sleep(0.05)
        recording = next((server.tmp / "recordings").glob(f"{s.id}-*.xdf")).name
        state = c.govern_session(s.id, [recording], "samples", "labels", snapshot_every_s=7)
        assert state.snapshot_every_s == 7
        assert state.active_checkpoint == active(server, s.id) == state.last_good_checkpoint
        assert c.set_policy(s.id).snapshot_every_s == 7          # unset: unchanged
        assert c.set_policy(s.id, snapshot_every_s=0).snapshot_every_s == 0
        assert c.governance_state(s.id).snapshot_every_s == 0
        policies = [a.reason for a in c.governance_audit(s.id) if a.action == "policy"]
        assert policies == ["initial policy: manual, snapshot every 7 s",
                            "manual, snapshot every 7 s -> manual, snapshot every 7 s",
                            "manual, snapshot every 7 s -> manual, snapshots off"]


def test_create_session_from_a_registry_id_makes_it_the_active_checkpoint(server):
    with Client(server.target) as c:
        donor = c.create_session(channels=8, hidden=16, outputs=2, seed=42, live_edge=REPLAY)
        donor_id = c.snapshot(donor.id, "the starting decoder").content_id
        c.stop_session(donor.id)
        s = c.create_session(channels=8, outputs=2, registry_id=donor_id, live_edge=REPLAY)
        assert s.spec.decoder.registry_id == donor_id
        assert c.learning_state(s.id).active_checkpoint == donor_id
        assert active(server, s.id) == donor_id
        assert [a.action for a in c.governance_audit(s.id)] == ["start"]
        # The session decodes with the donor's weights: rollback and lineage start from it.
        learn_a_little(c, s.id, 8)
        snap = c.snapshot(s.id, "after learning")
        assert snap.parent_id == donor_id
        assert c.roll_back(s.id).active_checkpoint == donor_id
        index_before = (registry_dir(server) / "index.json").read_bytes()
        for rid, channels, outputs, code in [("ab" * 32, 8, 2, grpc.StatusCode.NOT_FOUND),
                                             (donor_id, 9, 2, grpc.StatusCode.INVALID_ARGUMENT),
                                             (donor_id, 8, 3, grpc.StatusCode.INVALID_ARGUMENT)]:
            with pytest.raises(SpikeloopError) as e:
                c.create_session(channels=channels, outputs=outputs, registry_id=rid, live_edge=REPLAY)
            assert e.value.code == code and "spec." in e.value.details, (rid, e.value)
        assert (registry_dir(server) / "index.json").read_bytes() == index_before
        assert [x.id for x in c.list_sessions()] == [s.id]
