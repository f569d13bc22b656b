"""Front-ends composed into sessions, end to end: a pylsl EEG-like stream (or gRPC spikes) through band
power + running normalisation (or spike binning) into a decoder stepping at the decimated rate, frames
to a grpcio watcher, the raw samples in the session's XDF recording (issue 6: "front-ends ... composed
here").
"""
import json
import time
import uuid

import grpc
import numpy as np
import pytest

from _spikeloop_jar import JAR  # sets LSLAPICFG before pylsl loads liblsl
from test_server_e2e import REPLAY, reader_thread, server, spikes  # noqa: F401  (server is a fixture)

import pylsl

from spikeloop_client import Client, SpikeloopError

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")

MU, BETA = {"low_hz": 8, "high_hz": 12}, {"low_hz": 13, "high_hz": 30}
EEG_FRONT_END = [
    {"band_power": {"bands": [MU, BETA], "window_s": 0.5, "output_rate_hz": 50, "log": True}},
    {"normalise": {"time_constant_s": 5}},
]


def eeg(n, channels, rate_hz=250.0, seed=0):
    """Noise plus a 10 Hz rhythm on channel 0 (microvolt-like scale)."""
    rng = np.random.default_rng(seed)
    t = np.arange(n) / rate_hz
    x = rng.normal(0, 5, size=(n, channels))
    x[:, 0] += 20 * np.sin(2 * np.pi * 10 * t)
    return x.astype(np.float32)


def test_an_eeg_stream_through_band_power_and_normalisation_is_decoded_at_the_decimated_rate(server):
    import pyxdf

    name = f"spikeloop-eeg-{uuid.uuid4().hex[:8]}"
    info = pylsl.StreamInfo(name, "EEG", 4, 250, "float32", f"{name}-src")
    chans = info.desc().append_child("channels")
    for label in ("C3", "Cz", "C4", "Pz"):
        ch = chans.append_child("channel")
        ch.append_child_value("label", label)
        ch.append_child_value("unit", "microvolts")
        ch.append_child_value("type", "EEG")
    info.desc().append_child_value("manufacturer", "test rig")
    outlet = pylsl.StreamOutlet(info)
    with Client(server.target) as c:
        # Every frame is checked, so the session decodes every one even if a busy machine delays it.
        s = c.create_session(channels=4, sample_rate_hz=250, hidden=16, outputs=2, lsl_stream=name,
                             front_end=EEG_FRONT_END, live_edge=REPLAY)
        stages = s.spec.front_end.stages
        assert [st.which("stage") for st in stages] == ["band_power", "normalise"]
        assert stages[0].band_power.order == 4  # 0 = the default order
        got = []
        call = c.open_watch(s.id)
        reader_thread(call, got.append)
        time.sleep(0.3)
        n = 750  # 3 s at 250 Hz, pushed in real time, 5 samples (one decoder step) per 20 ms
        x = eeg(n, 4)
        stamps = []
        for k in range(0, n, 5):
            t = pylsl.local_clock()
            ts = t - (4 - np.arange(5)) / 250.0
            outlet.push_chunk(x[k:k + 5].tolist(), ts.tolist())
            stamps.extend(ts)
            time.sleep(0.02)
        end = time.time() + 15
        while len(got) < n // 5 and time.time() < end:
            time.sleep(0.05)
        time.sleep(0.3)
        call.cancel()
        # One frame per 5 source samples (250 Hz -> 50 Hz), stamped with the last sample it consumed.
        assert len(got) == n // 5
        np.testing.assert_allclose([f.source_timestamp for f in got], stamps[4::5], rtol=0, atol=1e-3)
        assert all(len(f.outputs) == 2 and np.isfinite(f.outputs).all() for f in got)
        st = c.statistics(s.id)
        assert st.steps == n // 5 and st.samples_in == n
        c.stop_session(s.id)
    # The recording keeps the raw 250 Hz samples; its header holds the front-end's settings (JSON, so that
    # training jobs rebuild it); outputs run at 50 Hz.
    [path] = (server.tmp / "recordings").glob(f"{s.id}-*.xdf")
    streams, _ = pyxdf.load_xdf(str(path), synchronize_clocks=False, dejitter_timestamps=False)
    by_name = {st["info"]["name"][0]: st for st in streams}
    # Issue 16: the samples stream keeps its source's header, as LabRecorder would record it.
    samples, outputs = by_name[name], by_name["outputs"]
    head = samples["info"]
    assert head["type"] == ["EEG"] and head["source_id"] == [f"{name}-src"]
    assert head["hostname"][0] and float(head["created_at"][0]) > 0 and head["uid"][0]
    channels = head["desc"][0]["channels"][0]["channel"]
    assert [c["label"][0] for c in channels] == ["C3", "Cz", "C4", "Pz"]
    assert [c["unit"][0] for c in channels] == ["microvolts"] * 4
    assert head["desc"][0]["manufacturer"] == ["test rig"]
    assert head["desc"][0]["spikeloop"][0]["role"] == ["samples"]
    assert head["desc"][0]["spikeloop"][0]["session_id"] == [s.id]
    assert head["channel_format"] == ["float32"]  # what the session stores
    # The server's own streams: labelled one channel per output, with host and creation time.
    for own in (by_name["labels"], outputs):
        assert [c["label"][0] for c in own["info"]["desc"][0]["channels"][0]["channel"]] == \
            ["output0", "output1"]
        assert own["info"]["hostname"][0] and float(own["info"]["created_at"][0]) > 0
    assert samples["info"]["channel_count"] == ["4"] and float(samples["info"]["nominal_srate"][0]) == 250
    # MNE builds a Raw from the header alone: names, types and units (microvolts -> volts).
    mne = pytest.importorskip("mne")
    units = {"microvolts": 1e-6}
    raw = mne.io.RawArray(
        samples["time_series"].T.astype(np.float64) * np.array([[units[c["unit"][0]]] for c in channels]),
        mne.create_info([c["label"][0] for c in channels], float(head["nominal_srate"][0]),
                        [c["type"][0].lower() for c in channels]), verbose="error")
    assert raw.ch_names == ["C3", "Cz", "C4", "Pz"] and raw.get_channel_types() == ["eeg"] * 4
    np.testing.assert_allclose(raw.get_data()[1], x[:, 1] * 1e-6, rtol=1e-6)
    np.testing.assert_array_equal(samples["time_series"], x)
    described = json.loads(samples["info"]["desc"][0]["spikeloop_front_end"][0])
    assert described["inputChannels"] == 4 and described["inputRateHz"] == 250, described
    power, norm = described["stages"]
    assert power["bandPower"]["bands"] == [{"lowHz": 8.0, "highHz": 12.0}, {"lowHz": 13.0, "highHz": 30.0}]
    assert power["bandPower"]["outputRateHz"] == 50 and norm["normalise"]["timeConstantS"] == 5.0, described
    assert float(outputs["info"]["nominal_srate"][0]) == 50
    np.testing.assert_array_equal(outputs["time_series"], np.array([list(f.outputs) for f in got], np.float32))
    del outlet


def test_grpc_spikes_binned_at_the_decoders_dt_give_one_frame_per_bin(server):
    with Client(server.target) as c:
        s = c.create_session(channels=8, sample_rate_hz=1000, hidden=16, outputs=2,
                             front_end=[{"spike_binning": {"dt_ms": 5}}], live_edge=REPLAY)
        got = []
        call = c.open_watch(s.id)
        reader_thread(call, got.append)
        time.sleep(0.3)
        x = spikes(1000, 8, seed=2)
        stamps = time.monotonic() - (999 - np.arange(1000)) / 1000.0
        summary = c.push_samples(s.id, x, stamps, nominal_rate_hz=1000)
        assert summary.accepted == 1000
        end = time.time() + 15
        while len(got) < 200 and time.time() < end:
            time.sleep(0.05)
        time.sleep(0.2)
        call.cancel()
        assert len(got) == 200
        np.testing.assert_allclose([f.source_timestamp for f in got], stamps[4::5])
        # A wrong channel count is still checked against the source stream, not the features.
        with pytest.raises(SpikeloopError) as e:
            c.push_samples(s.id, spikes(5, 4), time.monotonic() - np.arange(5)[::-1] / 1000.0)
        assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT and "channel_count" in e.value.details


@pytest.mark.parametrize("front_end, message", [
    ([{"band_pass": {"band": {"low_hz": 8, "high_hz": 125}}}], "Nyquist"),
    ([{"band_power": {"bands": [MU], "window_s": 0.5, "output_rate_hz": 60}}], "stage 0 (band-power"),
    ([{"spike_binning": {"dt_ms": 3}}], "stage 0 (binning"),
    ([{"normalise": {"time_constant_s": 0}}], "spec.front_end.stages[0]"),
    ([{}], "spec.front_end.stages[0]: give spike_binning"),
    ([{"band_pass": {"band": MU, "order": 3}}], "order must be even"),
])
def test_a_bad_front_end_is_invalid_argument_naming_the_stage(server, front_end, message):
    with Client(server.target) as c:
        with pytest.raises(SpikeloopError) as e:
            c.create_session(channels=4, sample_rate_hz=250, hidden=8, outputs=2, front_end=front_end)
        assert e.value.code == grpc.StatusCode.INVALID_ARGUMENT
        assert "spec.front_end" in e.value.details and message in e.value.details, e.value.details
        assert c.list_sessions() == []
