"""A session's LSL outlet and LSL label sources, end to end with real peers: `spikeloop serve` on
127.0.0.1, pylsl outlets/inlets and the grpcio client (issue 6: "outputs (gRPC watchers, an LSL outlet,
...)", "labels from an LSL stream (markers or continuous targets)").
"""

import threading
import time
import uuid

import grpc
import numpy as np
import pytest

from _spikeloop_jar import JAR  # sets LSLAPICFG before pylsl loads liblsl
from test_server_e2e import REPLAY, reader_thread, server, spikes, start_server  # noqa: F401  (server: fixture)

import pylsl

from spikeloop_client import Client, SpikeloopError, common_pb2

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


class RealtimeSamples:
    """Pushes spike samples over gRPC in real time (chunks of 10 at about 1 kHz, the last sample of each
    stamped now, the others 1 ms apart before it) until stopped."""

    def __init__(self, client, session_id, channels, rate_hz=1000.0, chunk=10):
        self.client, self.session_id, self.channels = client, session_id, channels
        self.rate_hz, self.chunk = rate_hz, chunk
        self.stop_flag = threading.Event()
        self.summary = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _chunks(self):
        rng = np.random.default_rng(5)
        period = self.chunk / self.rate_hz
        while not self.stop_flag.is_set():
            x = (rng.random((self.chunk, self.channels)) < 0.05).astype(np.float32)
            now = time.monotonic()
            stamps = now - (self.chunk - 1 - np.arange(self.chunk)) / self.rate_hz
            yield common_pb2.SampleChunk(session_id=self.session_id, channel_count=self.channels,
                                         values=x.ravel().tolist(), timestamps=stamps.tolist())
            # Sleep a whole period (never catch up): the next chunk's stamps then start after this
            # chunk's last one, so stamps only grow (a little under 1 kHz on a busy machine).
            time.sleep(period)

    def _run(self):
        self.summary = self.client.push_chunks(self._chunks(), timeout=120)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop_flag.set()
        self.thread.join(timeout=10)


class RealtimeLabels:
    """A pylsl float32 outlet pushing rows [k/1000, -k/1000] at `rate_hz`, stamped local_clock()."""

    def __init__(self, name, source_id, rate_hz=100.0, channels=2):
        self.name, self.source_id, self.rate_hz, self.channels = name, source_id, rate_hz, channels
        self.pushed = []  # (stamp, row)
        self.stop_flag = threading.Event()
        self.outlet = pylsl.StreamOutlet(
            pylsl.StreamInfo(name, "Kinematics", channels, rate_hz, "float32", source_id))
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.k = 0

    def _run(self):
        while not self.stop_flag.is_set():
            self.k += 1
            row = [self.k / 1000.0, -self.k / 1000.0][: self.channels]
            t = pylsl.local_clock()
            self.outlet.push_sample(row, t)
            self.pushed.append((t, row))
            time.sleep(1.0 / self.rate_hz)

    def start(self):
        self.thread.start()
        return self

    def close(self):
        self.stop_flag.set()
        self.thread.join(timeout=5)
        del self.outlet


def wait_for(predicate, timeout=15.0, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def updates(c, sid):
    return c.learning_state(sid).update_count


# ---- the LSL outlet of decoded outputs ----

@pytest.fixture
def outlet_server(tmp_path):
    """A server that allows LSL outlets (lsl.outlets=true; off by default: an outlet's data port
    listens on every interface)."""
    cfg = tmp_path / "outlets.properties"
    cfg.write_text("lsl.outlets=true\n")
    s = start_server(tmp_path, "--config", cfg)
    yield s
    assert s.stop() == 0, (tmp_path / "server.err").read_text()


def test_an_outlet_is_refused_unless_the_server_allows_outlets(server):
    with Client(server.target) as c:
        with pytest.raises(SpikeloopError) as e:
            c.create_session(channels=4, hidden=8, outputs=2, lsl_outlet={"name": unique("refused")})
        assert e.value.code == grpc.StatusCode.FAILED_PRECONDITION
        assert "lsl.outlets = false" in e.value.details
        assert c.list_sessions() == []


def test_a_pylsl_inlet_receives_the_frames_a_grpc_watcher_receives(outlet_server):
    server = outlet_server
    name = unique("spikeloop-out")
    with Client(server.target) as c:
        s = c.create_session(channels=8, hidden=32, outputs=3,
                             lsl_outlet={"name": name, "type": "Cursor", "source_id": f"{name}-src"},
                             live_edge=REPLAY)  # 600 recorded samples pushed at once
        assert s.spec.lsl_outlet.name == name
        [info] = pylsl.resolve_byprop("name", name, 1, 5.0)
        assert (info.channel_count(), info.nominal_srate(), info.type(), info.source_id()) == \
            (3, 1000.0, "Cursor", f"{name}-src")
        assert info.channel_format() == pylsl.cf_float32
        inlet = pylsl.StreamInlet(info, max_buflen=60)  # no post-processing: the stamps as pushed
        inlet.open_stream(5.0)
        got = []
        call = c.open_watch(s.id)
        reader_thread(call, got.append)
        time.sleep(0.5)  # the watcher and the inlet see frames published after they subscribed
        x = spikes(600, 8, seed=11)
        stamps = time.monotonic() - (599 - np.arange(600)) / 1000.0
        assert c.push_samples(s.id, x, stamps).accepted == 600
        values, lsl_stamps = [], []
        end = time.time() + 15
        while len(values) < 600 and time.time() < end:
            chunk, ts = inlet.pull_chunk(timeout=0.2)
            values.extend(chunk)
            lsl_stamps.extend(ts)
        wait_for(lambda: len(got) >= 600, what="600 watcher frames")
        call.cancel()
        assert len(values) == 600
        frames = np.array([list(f.outputs) for f in got[:600]], dtype=np.float32)
        np.testing.assert_array_equal(np.array(values, dtype=np.float32), frames)
        # Each LSL sample carries the source time stamp of the sample that produced it.
        np.testing.assert_allclose(lsl_stamps, [f.source_timestamp for f in got[:600]], rtol=0, atol=1e-9)
        np.testing.assert_allclose(lsl_stamps, stamps, rtol=0, atol=1e-9)
        state = c.get_session(s.id).lsl_outlet
        assert state.frames_pushed == 600 and state.frames_dropped == 0 and state.has_consumers
        c.stop_session(s.id)
        # The outlet goes away with the session.
        wait_for(lambda: not pylsl.resolve_byprop("name", name, 1, 0.5), timeout=10, what="outlet gone")


def test_an_outlet_without_a_name_is_invalid_argument(outlet_server):
    with Client(outlet_server.target) as c:
        with pytest.raises(SpikeloopError) as e:
            c.create_session(channels=4, hidden=8, outputs=2, lsl_outlet={"type": "Cursor"})
        assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT
        assert "spec.lsl_outlet.name" in e.value.details


# ---- continuous labels from LSL ----

def test_continuous_lsl_labels_align_by_time_and_learning_stops_while_the_stream_is_gone(server):
    name = unique("spikeloop-kin")
    source_id = f"{name}-src"
    labels = RealtimeLabels(name, source_id).start()
    with Client(server.target) as c:
        s = c.create_session(channels=8, hidden=32, outputs=2, learning=True, stall_after_s=0.5,
                             lsl_labels={"name": name, "type": "Kinematics", "kind": "continuous",
                                         "sample_rate_hz": 100})
        c.set_learning_parameters(s.id, update_interval_steps=20)
        # PushLabels is refused: the label ring has its producer.
        with pytest.raises(SpikeloopError) as e:
            c.push_labels(s.id, [[0.0, 0.0]], [time.monotonic()])
        assert e.value.code == grpc.StatusCode.FAILED_PRECONDITION and "LSL" in e.value.details
        got = []
        call = c.open_watch(s.id)
        reader_thread(call, got.append)
        with RealtimeSamples(c, s.id, 8):
            wait_for(lambda: updates(c, s.id) >= 5, what="learning updates with labels")
            time.sleep(0.5)
            labelled = [f for f in got if f.has_label]
            assert len(labelled) > 200
            pushed = {tuple(np.float32(r)): t for t, r in labels.pushed}
            for f in labelled:
                key = tuple(np.float32(f.label))
                assert key in pushed, key  # a row the outlet pushed ...
                # ... never one from the future (within liblsl's clock-sync estimate, tens of µs here)
                assert pushed[key] <= f.source_timestamp + 1e-3
            # The label stream vanishes: a counted stall, frames lose their label, learning stops.
            labels.close()
            wait_for(lambda: c.get_session(s.id).lsl_labels.stalled, what="label stall")
            time.sleep(0.4)  # pending window merges finish
            frozen = updates(c, s.id)
            n = len(got)
            time.sleep(1.0)
            assert updates(c, s.id) == frozen
            # The session keeps decoding (a wait, not a rate: the watcher may lag the 1 kHz pusher).
            wait_for(lambda: len(got) > n + 500, timeout=5, what="frames after the label stall")
            assert not any(f.has_label for f in got[n:])
            st = c.get_session(s.id)
            assert st.state == "LEARNING" and st.lsl_labels.stalls >= 1  # still LEARNING, paused by the gate
            stalls = st.lsl_labels.stalls
            # It returns with the same source id: liblsl reconnects, labels and learning resume.
            labels = RealtimeLabels(name, source_id).start()
            wait_for(lambda: not c.get_session(s.id).lsl_labels.stalled, timeout=30, what="labels back")
            wait_for(lambda: updates(c, s.id) > frozen, timeout=15, what="learning again")
            assert c.get_session(s.id).lsl_labels.stalls == stalls
            n = len(got)
            time.sleep(0.3)
            assert any(f.has_label for f in got[n:])
        call.cancel()
        c.stop_session(s.id)
    labels.close()
    # Issue 16: the recorded labels are the source's own rows, so they keep its header.
    import pyxdf
    [path] = (server.tmp / "recordings").glob(f"{s.id}-*.xdf")
    streams, _ = pyxdf.load_xdf(str(path), synchronize_clocks=False, dejitter_timestamps=False)
    roles = {st["info"]["desc"][0]["spikeloop"][0]["role"][0]: st["info"] for st in streams}
    assert roles["labels"]["name"] == [name] and roles["labels"]["type"] == ["Kinematics"]
    assert roles["labels"]["source_id"] == [source_id] and roles["labels"]["hostname"][0]


def test_non_finite_and_out_of_order_lsl_labels_are_counted_and_never_applied(server):
    name = unique("spikeloop-kin")
    outlet = pylsl.StreamOutlet(pylsl.StreamInfo(name, "Kinematics", 2, 100, "float32", f"{name}-src"))
    with Client(server.target) as c:
        s = c.create_session(channels=8, hidden=16, outputs=2,
                             lsl_labels={"name": name, "kind": "continuous"})
        got = []
        call = c.open_watch(s.id)
        reader_thread(call, got.append)
        wait_for(outlet.have_consumers, what="the label inlet")
        with RealtimeSamples(c, s.id, 8):
            t0 = pylsl.local_clock()
            outlet.push_sample([0.5, 0.25], t0)
            outlet.push_sample([float("nan"), 1.0], t0 + 0.1)
            outlet.push_sample([float("inf"), 1.0], t0 + 0.2)
            outlet.push_sample([0.75, 0.5], t0 + 0.3)  # the first label holds for 0.3 s
            outlet.push_sample([9.0, 9.0], t0 - 1.0)  # older than the last accepted label
            wait_for(lambda: c.get_session(s.id).lsl_labels.rejected_out_of_order == 1, what="counts")
            time.sleep(0.6)
        call.cancel()
        st = c.get_session(s.id).lsl_labels
        assert (st.labels_in, st.rejected_non_finite, st.rejected_out_of_order) == (2, 2, 1)
        labels = {tuple(f.label) for f in got if f.has_label}
        assert labels == {(0.5, 0.25), (0.75, 0.5)}
    del outlet


# ---- marker labels ----

def test_marker_cues_label_trial_windows_and_learning_happens_only_inside_them(server):
    name = unique("spikeloop-cues")
    markers = pylsl.StreamOutlet(pylsl.StreamInfo(name, "Markers", 1, pylsl.IRREGULAR_RATE, "string",
                                                  f"{name}-src"))
    # A window opens 0.2 s after its cue: the start offset absorbs the marker's way to the server
    # (the engine places windows by the samples' stamps, so a marker that arrives before its
    # window's first sample is decoded labels it exactly, however loaded the machine is).
    offset = 0.2
    with Client(server.target) as c:
        s = c.create_session(channels=8, hidden=32, outputs=2, learning=True,
                             lsl_labels={"name": name, "kind": "markers", "trial_s": 0.5,
                                         "start_offset_s": offset,
                                         "cue_classes": {"left": 0, "right": 1}, "end_cues": ["rest"]})
        c.set_learning_parameters(s.id, update_interval_steps=20)
        got = []
        call = c.open_watch(s.id)
        reader_thread(call, got.append)
        wait_for(markers.have_consumers, what="the marker inlet")
        with RealtimeSamples(c, s.id, 8):
            time.sleep(1.0)  # samples, no cue yet: nothing to learn from
            assert updates(c, s.id) == 0 and got and not any(f.has_label for f in got)
            t_left = pylsl.local_clock()
            markers.push_sample(["left"], t_left)
            time.sleep(1.0)  # the 0.5 s window runs out by itself
            t_right = pylsl.local_clock()
            markers.push_sample(["right"], t_right)
            # The end cue is sent at once, stamped 0.4 s ahead: it ends the right trial early, in
            # the middle of its window, at its stamp.
            t_rest = t_right + 0.4
            markers.push_sample(["rest"], t_rest)
            time.sleep(0.6)
            markers.push_sample(["up"], pylsl.local_clock())  # not in the table
            time.sleep(0.6)
            after_trials = updates(c, s.id)
            assert after_trials > 0
            time.sleep(0.8)
            assert updates(c, s.id) == after_trials  # no learning outside the windows
        call.cancel()
        st = c.get_session(s.id).lsl_labels
        assert st.unknown_cues == 1 and st.last_unknown_cue == "up" and not st.in_trial
        assert st.labels_in == 2
        # Windows are placed by stamp: a step is in [start, end) by its sample's stamp. The 2 ms
        # margin only keeps float rounding of the stamps away from the edges.
        margin = 0.002
        left = (t_left + offset, t_left + offset + 0.5)
        right = (t_right + offset, t_rest)
        judged = 0
        for f in got:
            ts = f.source_timestamp
            if left[0] + margin <= ts < left[1] - margin:
                assert f.has_label and list(f.label) == [1.0, 0.0], ts - left[0]
            elif right[0] + margin <= ts < right[1] - margin:
                assert f.has_label and list(f.label) == [0.0, 1.0], ts - right[0]
            elif (ts < left[0] - margin or left[1] + margin <= ts < right[0] - margin
                  or right[1] + margin <= ts):
                assert not f.has_label, ts
            else:
                continue
            judged += 1
        assert judged > 2500


def test_a_marker_stream_that_vanishes_counts_a_stall_and_closes_the_trial(server):
    name = unique("spikeloop-cues")
    source_id = f"{name}-src"

    def outlet():
        return pylsl.StreamOutlet(pylsl.StreamInfo(name, "Markers", 1, 0, "string", source_id))

    markers = outlet()
    with Client(server.target) as c:
        s = c.create_session(channels=8, hidden=16, outputs=2, learning=True, stall_after_s=1.0,
                             lsl_labels={"name": name, "kind": "markers", "trial_s": 30,
                                         "cue_classes": {"left": 0, "right": 1}})
        c.set_learning_parameters(s.id, update_interval_steps=20)
        wait_for(markers.have_consumers, what="the marker inlet")
        with RealtimeSamples(c, s.id, 8):
            markers.push_sample(["left"], pylsl.local_clock())
            wait_for(lambda: c.get_session(s.id).lsl_labels.in_trial, what="trial open")
            wait_for(lambda: updates(c, s.id) > 0, what="learning in the trial")
            del markers  # gone in the middle of a 30 s trial
            wait_for(lambda: c.get_session(s.id).lsl_labels.stalled, timeout=15, what="marker stall")
            # The source marks the stall, then sends the window's close through the ring to the engine,
            # which reports in_trial: the close follows the stall flag by a cycle or so.
            wait_for(lambda: not c.get_session(s.id).lsl_labels.in_trial, timeout=5,
                     what="the trial closed at the stall")
            st = c.get_session(s.id)
            assert st.lsl_labels.stalls == 1 and not st.lsl_labels.in_trial and st.state == "LEARNING"
            time.sleep(0.4)
            frozen = updates(c, s.id)
            time.sleep(1.0)
            assert updates(c, s.id) == frozen
            markers = outlet()
            wait_for(lambda: not c.get_session(s.id).lsl_labels.stalled, timeout=30, what="markers back")
            steps = c.get_session(s.id).steps
            wait_for(lambda: c.get_session(s.id).steps > steps + 200, what="decoding on")
    del markers


# ---- bad label streams ----

@pytest.mark.parametrize("kind, info, spec_extra, message", [
    ("continuous", (3, 100.0, "float32"), {}, "channel_count is 3 but the decoder has 2 outputs"),
    ("continuous", (2, 50.0, "float32"), {"sample_rate_hz": 100}, "nominal_srate is 50.0 Hz"),
    ("continuous", (2, 0.0, "float32"), {}, "continuous labels need a regular rate"),
    ("continuous", (2, 100.0, "string"), {}, "continuous labels must be numeric"),
    ("markers", (2, 0.0, "string"), {}, "a marker stream has 1 channel"),
    ("markers", (2, 0.0, "float32"), {}, "a marker stream has 1 channel"),
    ("markers", (1, 10.0, "string"), {}, "a marker stream is irregular"),
])
def test_a_label_stream_of_the_wrong_shape_is_invalid_argument(server, kind, info, spec_extra, message):
    name = unique("spikeloop-bad")
    channels, rate, fmt = info
    outlet = pylsl.StreamOutlet(pylsl.StreamInfo(name, "Labels", channels, rate, fmt, f"{name}-src"))
    spec = {"name": name, "kind": kind, **spec_extra}
    if kind == "markers":
        spec.update(trial_s=1.0, cue_classes={"left": 0, "right": 1})
    with Client(server.target) as c:
        with pytest.raises(SpikeloopError) as e:
            c.create_session(channels=4, hidden=8, outputs=2, lsl_labels=spec)
        assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT
        assert message in e.value.details and "spec.lsl_labels" in e.value.details
        assert c.list_sessions() == []
    del outlet


@pytest.mark.parametrize("spec, field", [
    ({"kind": "continuous"}, "spec.lsl_labels.name"),
    ({"name": "x"}, "spec.lsl_labels.kind"),
    ({"name": "x", "kind": "markers", "trial_s": 1.0}, "spec.lsl_labels.cue_classes"),
    ({"name": "x", "kind": "markers", "trial_s": 1.0, "cue_classes": {"left": 2}}, "spec.lsl_labels.cue_classes"),
    ({"name": "x", "kind": "markers", "cue_classes": {"left": 0, "right": 1}}, "spec.lsl_labels.trial_s"),
    ({"name": "x", "kind": "markers", "trial_s": 1.0, "cue_classes": {"left": 0, "right": 1},
      "end_cues": ["left"]}, "spec.lsl_labels.end_cues"),
    ({"name": "x", "kind": "markers", "trial_s": 1.0, "cue_classes": {"left": 0}}, "spec.lsl_labels.cue_classes"),
    ({"name": "x", "kind": "markers", "trial_s": 1.0, "cue_classes": {"left": 0, "right": 1},
      "class_names": ["l", "r", "up"]}, "spec.lsl_labels.class_names"),
    ({"name": "x", "kind": "markers", "trial_s": 1.0, "cue_classes": {"left": 0, "right": 1},
      "start_offset_s": -0.5}, "spec.lsl_labels.start_offset_s"),
    ({"name": "x", "kind": "markers", "trial_s": 1.0, "cue_classes": {"left": 0, "right": 1},
      "ignored_markers": ["left"]}, "spec.lsl_labels.ignored_markers"),
    ({"name": "x", "kind": "continuous", "trial_s": 1.0}, "spec.lsl_labels"),
])
def test_a_bad_label_spec_is_invalid_argument_naming_the_field(server, spec, field):
    with Client(server.target) as c:
        with pytest.raises(SpikeloopError) as e:
            c.create_session(channels=4, hidden=8, outputs=2, lsl_labels=spec)
        assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT and field in e.value.details


def test_an_absent_label_stream_is_not_found(server):
    recordings = set((server.tmp / "recordings").glob("*.xdf"))
    with Client(server.target) as c:
        with pytest.raises(SpikeloopError) as e:
            c.create_session(channels=4, hidden=8, outputs=2,
                             lsl_labels={"name": "spikeloop-no-such-labels", "kind": "continuous"})
        assert e.value.code == grpc.StatusCode.NOT_FOUND and "spikeloop-no-such-labels" in e.value.details
    # The label stream is looked for before the recording is opened: none is left behind.
    assert set((server.tmp / "recordings").glob("*.xdf")) == recordings
