"""Trials and classes in live sessions, end to end with real peers (issue 21): a pylsl marker outlet
(strings or numbers) cuts trial windows by the session's trial protocol, each window ends in a decision
that reaches a grpcio WatchDecisions stream, a pylsl inlet on the session's decision outlet and the XDF
recording (read with pyxdf), next to the raw markers and the trial windows.

Samples come over gRPC with explicit time stamps on the host clock, pushed after the markers have
reached the session: a session places windows by the samples' stamps, so what it decides is exact and
does not depend on when anything arrived.
"""

import json
import threading
import time
import uuid

import numpy as np
import pytest

from _spikeloop_jar import JAR  # sets LSLAPICFG before pylsl loads liblsl
from test_server_e2e import server, spikes  # noqa: F401  (server is a fixture)

import grpc
import pylsl

from spikeloop_client import Client, SpikeloopError

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")

RATE_HZ = 1000.0


def unique(prefix):
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def wait_for(predicate, timeout=15.0, what="condition"):
    end = time.time() + timeout
    while time.time() < end:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def collect(iterator):
    """Reads an iterator of replies in a daemon thread into a list."""
    got = []

    def run():
        for item in iterator:
            got.append(item)

    threading.Thread(target=run, daemon=True).start()
    return got


def decision_inlet(name):
    [info] = pylsl.resolve_byprop("name", name, 1, 5.0)
    inlet = pylsl.StreamInlet(info)
    inlet.open_stream(5.0)
    return inlet, info


def pull_all(inlet, n, timeout=15.0):
    texts, stamps = [], []
    end = time.time() + timeout
    while len(texts) < n and time.time() < end:
        sample, ts = inlet.pull_sample(timeout=0.2)
        if sample is not None:
            texts.append(sample[0])
            stamps.append(ts)
    return texts, stamps


def recording(server, session_id):
    import pyxdf

    [path] = (server.tmp / "recordings").glob(f"{session_id}-*.xdf")
    streams, _ = pyxdf.load_xdf(str(path), synchronize_clocks=False, dejitter_timestamps=False)
    return {st["info"]["name"][0]: st for st in streams}


def test_string_cues_make_trial_windows_whose_decisions_reach_grpc_lsl_and_the_recording(server):
    name = unique("spikeloop-cues")
    decisions_name = unique("spikeloop-decisions")
    markers = pylsl.StreamOutlet(pylsl.StreamInfo(name, "Markers", 1, pylsl.IRREGULAR_RATE, "string",
                                                  f"{name}-src"))
    t0 = pylsl.local_clock() - 20.0  # every stamp in the past
    cues = [("trial_start", 0.5), ("left", 1.0), ("up", 1.7), ("769", 2.0), ("right", 3.0),
            ("rest", 3.3), ("right", 4.0)]
    with Client(server.target) as c:
        s = c.create_session(channels=8, hidden=32, outputs=2, learning=True,
                             lsl_labels={"name": name, "kind": "markers",
                                         "cue_classes": {"left": 0, "769": 0, "right": 1},
                                         "class_names": ["L", "R"], "trial_s": 0.4, "start_offset_s": 0.1,
                                         "end_cues": ["rest"], "ignored_markers": ["trial_start"]},
                             lsl_decisions={"name": decisions_name})
        assert list(s.spec.lsl_labels.class_names) == ["L", "R"]
        assert s.trials.windows == 0 and not s.trials.in_trial
        inlet, info = decision_inlet(decisions_name)
        assert info.type() == "Markers" and info.channel_format() == pylsl.cf_string
        assert info.source_id() == f"{s.id}.decisions"
        watched = collect(c.watch_decisions(s.id))
        wait_for(markers.have_consumers, what="the marker inlet")
        for cue, at in cues:
            markers.push_sample([cue], t0 + at)
        wait_for(lambda: c.get_session(s.id).lsl_labels.labels_in == 4, what="four cues")
        st = c.get_session(s.id).lsl_labels
        assert st.unknown_cues == 1 and st.last_unknown_cue == "up"
        time.sleep(0.3)  # the decision watcher subscribes
        x = spikes(5000, 8)
        stamps = t0 + np.arange(5000) / RATE_HZ
        c.push_samples(s.id, x, stamps, chunk=500)
        wait_for(lambda: c.get_session(s.id).trials.decisions == 4, what="four decisions")
        lsl_texts, lsl_stamps = pull_all(inlet, 4)
        wait_for(lambda: len(watched) == 4, what="four watched decisions")
        paused = c.set_learning_mode(s.id, "paused")
        assert paused.calibration.startswith("readout bias shifted by [")
        assert "from 4 labelled trial windows" in paused.calibration
        session = c.get_session(s.id)
        assert session.trials.windows == 4 and session.trials.calibration == paused.calibration
        assert session.lsl_decisions.decisions_pushed == 4
        c.stop_session(s.id)

    # The windows, by the protocol: [cue + 0.1, + 0.4), the third cut by "rest" at 3.3.
    windows = [(0, "left", 0, 1.1, 1.5), (1, "769", 0, 2.1, 2.5), (2, "right", 1, 3.1, 3.3),
               (3, "right", 1, 4.1, 4.5)]
    for d, (trial, cue, cls, start, end) in zip(watched, windows):
        assert (d.trial, d.cue, d.cue_class, d.cue_class_name) == (trial, cue, cls, "LR"[cls])
        assert d.start_time == pytest.approx(t0 + start, abs=1e-3)
        assert d.end_time == pytest.approx(t0 + end, abs=1e-3)
        assert d.frames == pytest.approx((end - start) * RATE_HZ, abs=1)  # the steps stamped inside
        assert d.learned
        assert sum(d.probabilities) == pytest.approx(1.0, abs=1e-5)
        assert d.decision == int(np.argmax(d.probabilities)) and d.decision_name == "LR"[d.decision]
        assert d.decisions_dropped == 0

    by_name = recording(server, s.id)
    assert sorted(by_name) == sorted([name, "samples", "outputs", "trials", "decisions"])
    raw = by_name[name]  # the marker stream as it arrived, under its own header
    assert raw["info"]["source_id"][0] == f"{name}-src" and raw["info"]["type"][0] == "Markers"
    assert [v[0] for v in raw["time_series"]] == [cue for cue, _ in cues]
    np.testing.assert_allclose(raw["time_stamps"], [t0 + at for _, at in cues], atol=1e-3)
    trials = by_name["trials"]
    assert [v[0] for v in trials["time_series"]] == [
        f"{edge} {'LR'[cls]}" for _, _, cls, _, _ in windows for edge in ("start", "end")]
    np.testing.assert_allclose(trials["time_stamps"],
                               [t0 + t for _, _, _, a, b in windows for t in (a, b)], atol=1e-3)
    classes = trials["info"]["desc"][0]["classes"][0]["class"]
    assert classes == ["L", "R"]
    recorded = [v[0] for v in by_name["decisions"]["time_series"]]
    assert recorded == lsl_texts  # the LSL outlet and the file carry the same text
    np.testing.assert_allclose(by_name["decisions"]["time_stamps"], [d.end_time for d in watched])
    np.testing.assert_allclose(lsl_stamps, [d.end_time for d in watched], atol=1e-3)
    for text, d in zip(recorded, watched):
        j = json.loads(text)
        assert (j["trial"], j["decision"], j["cue"], j["cue_class"], j["frames"], j["learned"]) == (
            d.trial, d.decision_name, d.cue, d.cue_class_name, d.frames, True)
        assert [j["probabilities"][k] for k in "LR"] == pytest.approx(list(d.probabilities), abs=1e-4)
    del markers


def test_numeric_event_codes_match_cues_by_value_and_are_recorded_as_numbers(server):
    name = unique("spikeloop-codes")
    markers = pylsl.StreamOutlet(pylsl.StreamInfo(name, "Markers", 1, pylsl.IRREGULAR_RATE, "float32",
                                                  f"{name}-src"))
    t0 = pylsl.local_clock() - 20.0
    codes = [(768, 0.5), (769, 1.0), (800, 1.2), (770, 2.0), (7, 2.1)]
    with Client(server.target) as c:
        s = c.create_session(channels=4, hidden=16, outputs=2,
                             lsl_labels={"name": name, "kind": "markers", "cue_classes": {"769": 0, "770": 1},
                                         "trial_s": 0.5, "end_cues": ["800"], "ignored_markers": ["768"]})
        watched = collect(c.watch_decisions(s.id))
        with pytest.raises(SpikeloopError) as e:  # the markers are the session's labels
            c.push_labels(s.id, [[0.0, 0.0]], [t0])
        assert e.value.code == grpc.StatusCode.FAILED_PRECONDITION
        wait_for(markers.have_consumers, what="the marker inlet")
        for code, at in codes:
            markers.push_sample([float(code)], t0 + at)
        wait_for(lambda: c.get_session(s.id).lsl_labels.unknown_cues == 1, what="the unknown code")
        assert c.get_session(s.id).lsl_labels.last_unknown_cue == "7"
        time.sleep(0.3)
        c.push_samples(s.id, spikes(3000, 4), t0 + np.arange(3000) / RATE_HZ, chunk=500)
        wait_for(lambda: len(watched) == 2, what="two decisions")
        c.stop_session(s.id)
    # No class names given: each class is named by its cues. 800 ended the first window at 1.2 s.
    assert [(d.cue, d.cue_class_name) for d in watched] == [("769", "769"), ("770", "770")]
    assert watched[0].end_time == pytest.approx(t0 + 1.2, abs=1e-3)
    assert not watched[0].learned  # learning was off
    raw = recording(server, s.id)[name]
    assert raw["info"]["channel_format"][0] == "float32"
    np.testing.assert_array_equal(raw["time_series"][:, 0], [code for code, _ in codes])
    del markers


def test_decisions_of_a_session_without_marker_labels_are_failed_precondition(server):
    with Client(server.target) as c:
        s = c.create_session(channels=4, hidden=8, outputs=2)
        with pytest.raises(SpikeloopError) as e:
            next(c.watch_decisions(s.id))
        assert e.value.code == grpc.StatusCode.FAILED_PRECONDITION
        assert "LABEL_KIND_MARKERS" in e.value.details
        with pytest.raises(SpikeloopError) as e:
            c.create_session(channels=4, hidden=8, outputs=2, lsl_decisions={"name": "d"})
        assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT
        assert "spec.lsl_decisions" in e.value.details
