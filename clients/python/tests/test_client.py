"""The Python client's own contract, against `spikeloop serve` on 127.0.0.1 where a server is involved:
replies with enum names, enum arguments checked by name, the learning settings of CreateSession, the
JobService wrapper end to end, and the wire format of SessionId across its field's rename."""

import json
import re
import subprocess
import sys
import threading
import time

import grpc
import numpy as np
import pytest

from _spikeloop_jar import JAR, REPO
from spikeloop_client import Client, Reply, SpikeloopError, common_pb2
from spikeloop_client import decode_pb2, ingest_pb2, jobs_pb2, learning_pb2, session_pb2
from test_demo import run_readme_example
from test_server_e2e import REPLAY, collect, now_stamps, spikes, start_server, wait_steps

needs_jar = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")

# Nothing listens here: a call that got as far as the network would fail UNAVAILABLE, not ValueError.
NOWHERE = "127.0.0.1:9"


@pytest.fixture
def server(tmp_path):
    if not JAR.exists():
        pytest.skip(f"build the jar first: {JAR}")
    s = start_server(tmp_path)
    yield s
    assert s.stop() == 0, (tmp_path / "server.err").read_text()


def feed(c, session_id, stop, channels=8):
    """Pushes 100 samples every 0.1 s (about real time at 1 kHz) until `stop` is set."""
    while not stop.is_set():
        c.push_samples(session_id, spikes(100, channels), now_stamps(100))
        stop.wait(0.1)


# ---- SessionId: renamed field, same wire format ----

@pytest.mark.parametrize("session_id", ["s-4f2a", "spikeloop-1.s-" + "ab" * 70])
def test_session_id_serialises_to_the_bytes_of_field_1_as_before_the_rename(session_id):
    encoded = session_id.encode()
    # Tag 0x0a = field 1, wire type 2 (length-delimited); then the length as a varint, then the UTF-8 bytes.
    length = bytes([len(encoded)]) if len(encoded) < 0x80 else bytes([len(encoded) & 0x7F | 0x80, len(encoded) >> 7])
    by_hand = b"\x0a" + length + encoded
    assert common_pb2.SessionId(session_id=session_id).SerializeToString() == by_hand
    assert common_pb2.SessionId.FromString(by_hand).session_id == session_id
    assert common_pb2.SessionId.DESCRIPTOR.fields_by_name["session_id"].number == 1


@needs_jar
def test_the_server_reads_a_hand_encoded_session_id(server):
    with Client(server.target) as c:
        s = c.create_session(channels=4, hidden=8, outputs=2, live_edge=REPLAY)
    channel = grpc.insecure_channel(server.target)
    try:
        raw = channel.unary_unary("/spikeloop.v1.SessionService/GetSession",
                                  request_serializer=lambda b: b, response_deserializer=session_pb2.Session.FromString)
        got = raw(b"\x0a" + bytes([len(s.id)]) + s.id.encode(), timeout=5)
    finally:
        channel.close()
    assert got.id == s.id


# ---- replies: enum fields as names ----

def all_messages():
    def walk(descriptor):
        yield descriptor
        for nested in descriptor.nested_types:
            yield from walk(nested)
    for module in (common_pb2, session_pb2, ingest_pb2, decode_pb2, learning_pb2, jobs_pb2):
        for descriptor in module.DESCRIPTOR.message_types_by_name.values():
            yield from walk(descriptor)


def test_no_api_field_is_hidden_by_a_reply_method():
    own = {name for name in dir(Reply) if not name.startswith("_")}
    assert own == {"proto", "has", "which"}
    hidden = [f"{m.full_name}.{f.name}" for m in all_messages() for f in m.fields if f.name in own]
    assert hidden == []


def test_a_reply_reads_enums_as_names_and_everything_else_as_the_message_does():
    s = session_pb2.Session(id="s-1", state=session_pb2.SESSION_STATE_LEARNING, steps=7, spec=session_pb2.SessionSpec(
        decoder=session_pb2.DecoderSpec(architecture=session_pb2.Architecture(neuron=session_pb2.NEURON_MODEL_LIF)),
        lsl_labels=session_pb2.LslLabelSpec(kind=session_pb2.LABEL_KIND_MARKERS, cue_classes={"left": 0})))
    r = Reply(s)
    assert (r.id, r.state, r.steps) == ("s-1", "LEARNING", 7)
    assert r.spec.decoder.architecture.neuron == "LIF" and r.spec.decoder.which("source") == "architecture"
    assert r.spec.lsl_labels.cue_classes == {"left": 0} and r.spec.lsl_labels.kind == "MARKERS"
    assert r.spec.source.kind == "UNSPECIFIED" and not r.has("lsl_outlet") and r.has("spec")
    assert repr(r).startswith("Session(id='s-1', spec=SessionSpec(") and "state=LEARNING, steps=7)" in repr(r)
    assert r.proto is s and r == Reply(session_pb2.Session.FromString(s.SerializeToString()))
    # A value a newer server may send that these stubs do not name stays a number.
    assert Reply(jobs_pb2.JobInfo(state=42)).state == 42
    assert Reply(jobs_pb2.JobInfo(recordings=["a.xdf"])).recordings == ["a.xdf"]
    with pytest.raises(AttributeError, match="Session has no field 'sate'"):
        r.sate
    with pytest.raises(AttributeError, match="read-only"):
        r.state = "RUNNING"


# ---- enum arguments: names, checked before anything is sent ----

@pytest.mark.parametrize("call, message", [
    (lambda c: c.set_learning_mode("s-1", "enable"), "mode 'enable' is not one of: enabled, paused, frozen"),
    (lambda c: c.set_learning_mode("s-1", 0), "mode 0 is not one of: enabled, paused, frozen"),
    (lambda c: c.create_session(channels=4, neuron="lfi"), "neuron 'lfi' is not one of: lif, alif"),
    (lambda c: c.create_session(channels=4, lsl_labels={"name": "cues", "kind": "marker"}),
     "lsl_labels kind 'marker' is not one of: continuous, markers"),
    (lambda c: c.watch("s-1", fields=["output"]), "field 'output' is not one of: outputs, label, times, spike_count"),
])
def test_an_unknown_enum_name_is_a_value_error_naming_the_valid_ones(call, message):
    with Client(NOWHERE) as c:
        with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
            call(c)


@needs_jar
def test_live_replies_name_session_states_learning_modes_and_enum_fields(server):
    with Client(server.target) as c:
        s = c.create_session(channels=8, hidden=16, outputs=2, live_edge=REPLAY)
        assert s.state == "RUNNING" and "state=RUNNING" in repr(s)
        assert (s.spec.decoder.architecture.neuron, s.spec.source.kind) == ("ALIF", "GRPC")
        lif = c.create_session(channels=8, hidden=16, outputs=2, neuron="LIF", live_edge=REPLAY)
        assert lif.spec.decoder.architecture.neuron == "LIF"
        learning = c.create_session(channels=8, hidden=16, outputs=2, learning=True, live_edge=REPLAY)
        assert learning.state == "LEARNING" and c.learning_state(learning.id).mode == "ENABLED"
        # Names in any case, or the .proto's full names; the reply reads back upper case.
        assert c.set_learning_mode(learning.id, "Paused").mode == "PAUSED"
        assert c.get_session(learning.id).state == "PAUSED"
        with pytest.raises(ValueError, match="mode 'pause' is not one of"):
            c.set_learning_mode(learning.id, "pause")
        assert c.learning_state(learning.id).mode == "PAUSED"  # nothing was sent
        assert c.set_learning_mode(learning.id, "LEARNING_MODE_ENABLED").mode == "ENABLED"
        # Frame fields by name: only the outputs are filled, the time stamps stay zero.
        started = threading.Event()
        frames, t = collect(c, s.id, 50, started, fields=["outputs"])
        time.sleep(0.3)
        c.push_samples(s.id, spikes(50, 8), now_stamps(50))
        t.join(timeout=20)
        assert len(frames) == 50
        assert all(len(f.outputs) == 2 and f.decode_time == 0 and f.source_timestamp == 0 for f in frames)
        assert c.stop_session(s.id).state == "STOPPED"


@needs_jar
def test_the_readme_snippet_runs_against_a_fed_session(server):
    stop = threading.Event()
    with Client(server.target) as c:
        s = c.create_session(channels=8, hidden=16, outputs=2, live_edge=REPLAY)
        feeder = threading.Thread(target=feed, args=(c, s.id, stop), daemon=True)
        feeder.start()
        try:
            run_readme_example(server.target)
        finally:
            stop.set()
            feeder.join(timeout=10)


# ---- CreateSession's learning settings ----

@needs_jar
def test_create_session_takes_the_learning_rate_and_update_interval(server):
    with Client(server.target) as c:
        s = c.create_session(channels=8, hidden=16, outputs=2, learning=True, learning_rate=0.01,
                             update_interval_steps=20, live_edge=REPLAY)
        assert (s.spec.learning.learning_rate, s.spec.learning.update_interval_steps) == (0.01, 20)
        st = c.learning_state(s.id)
        assert (st.mode, st.learning_rate, st.update_interval_steps) == ("ENABLED", 0.01, 20)
        # The interval is used: 1000 labelled steps give more updates than the default (100 steps) allows.
        stamps = now_stamps(1000)
        c.push_labels(s.id, [[0.5, -0.5]], stamps[:1])
        c.push_samples(s.id, spikes(1000, 8, seed=2), stamps)
        wait_steps(c, s.id, 1000)
        updates = c.learning_state(s.id).update_count
        assert 1000 // 100 < updates <= 1000 // 20, updates
        # Zero = the server's defaults (docs/server.md: learning.rate.default, learning.interval.default).
        default = c.learning_state(c.create_session(channels=8, hidden=16, outputs=2, live_edge=REPLAY).id)
        assert (default.learning_rate, default.update_interval_steps) == (1e-3, 100)
        for kw, field in [({"learning_rate": 1.0}, "learning_rate"),
                          ({"update_interval_steps": 100000}, "update_interval_steps")]:
            with pytest.raises(SpikeloopError) as e:
                c.create_session(channels=8, hidden=16, outputs=2, **kw, live_edge=REPLAY)
            assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT and field in e.value.details, e.value
        assert len(c.list_sessions()) == 2  # the refused ones were never created


# ---- JobService ----

def record_labelled_session(c, server, n=3000):
    """A stopped session with an active registry checkpoint and its recording: n samples at 1 kHz with
    a label that flips every 500 samples. Returns (session id, recording file name)."""
    s = c.create_session(channels=8, hidden=16, outputs=2, seed=3, live_edge=REPLAY)
    c.snapshot(s.id, "start of the jobs")  # the session's active checkpoint: where its jobs start
    stamps = now_stamps(n)
    flips = np.arange(0, n, 500)
    labels = np.array([[1.0, 0.0] if k % 2 == 0 else [0.0, 1.0] for k in range(len(flips))], dtype=np.float32)
    c.push_labels(s.id, labels, stamps[flips])
    c.push_samples(s.id, spikes(n, 8, seed=4), stamps)
    wait_steps(c, s.id, n)
    c.stop_session(s.id)  # closes the recording
    [path] = (server.tmp / "recordings").glob(f"{s.id}-*.xdf")
    return s.id, path.name


@needs_jar
def test_job_service_submit_watch_list_and_cancel(server):
    with Client(server.target) as c:
        session_id, recording = record_labelled_session(c, server)
        job = c.submit_job(session_id, [recording], "samples", "labels", window_frames=250, patience=2)
        assert job.state in ("QUEUED", "RUNNING") and job.id.startswith("job-")
        assert (job.session_id, job.recordings, job.creator) == (session_id, [recording], "anonymous")
        # One job thread: the second waits behind the first (about a second of training), so the cancel
        # reaches it while it is queued.
        other = c.submit_job(session_id, [recording], "samples", "labels", window_frames=250)
        assert c.cancel_job(other.id).id == other.id

        events = list(c.watch_job(job.id, timeout=300))
        assert {e.job_id for e in events} == {job.id}
        states = [e.state for e in events]
        assert states[-1] == "SUCCEEDED", events[-1]
        assert "RUNNING" in states and set(states) <= {"QUEUED", "RUNNING", "SUCCEEDED"}
        epochs = [e.progress.epoch for e in events if e.has("progress")]
        assert epochs and epochs == list(range(1, len(epochs) + 1))
        checkpoint_id = events[-1].message
        assert re.fullmatch(r"[0-9a-f]{64}", checkpoint_id)

        cancelled = list(c.watch_job(other.id, timeout=60))
        assert cancelled[-1].state == "CANCELLED" and "SUCCEEDED" not in [e.state for e in cancelled]

        listed = c.list_jobs(session_id)
        assert [(j.id, j.state) for j in listed] == [(other.id, "CANCELLED"), (job.id, "SUCCEEDED")]
        assert listed[1].checkpoint_id == checkpoint_id and listed[1].last_progress.epoch == epochs[-1]
        assert [j.id for j in c.list_jobs()] == [other.id, job.id]
        assert c.list_jobs("s-no-such-session") == []
        # Cancelling a job that has ended changes nothing.
        assert c.cancel_job(job.id).state == "SUCCEEDED"
    index = json.loads((server.tmp / "ck" / "registry" / "index.json").read_text())
    [entry] = [e for e in index["entries"] if e["id"] == checkpoint_id]
    assert entry["kind"] == "job"


@needs_jar
def test_job_service_errors_come_back_as_spikeloop_errors(server):
    with Client(server.target) as c:
        with pytest.raises(SpikeloopError) as e:
            list(c.watch_job("job-nope", timeout=10))
        assert e.value.code == grpc.StatusCode.NOT_FOUND and "job-nope" in e.value.details
        with pytest.raises(SpikeloopError) as e:
            c.cancel_job("job-nope")
        assert e.value.code == grpc.StatusCode.NOT_FOUND
        with pytest.raises(SpikeloopError) as e:
            c.submit_job("", ["../escape.xdf"], "samples", "labels", config_json={"network": {}})
        assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT, e.value
        assert c.list_jobs() == []


@needs_jar
def test_the_server_doc_example_runs_and_prints_what_its_comments_say(server):
    """docs/server.md's client example, run as written (only the address changed)."""
    doc = (REPO / "docs" / "server.md").read_text()
    section = doc[doc.index("## Python client"):]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1).replace('"127.0.0.1:50051"', f'"{server.target}"')
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    created, summary, _, mode = r.stdout.splitlines()
    assert re.fullmatch(r"s-\S+ LEARNING", created), created
    assert summary == "IngestSummary(accepted=500, chunks=5)"
    assert mode == "PAUSED"
