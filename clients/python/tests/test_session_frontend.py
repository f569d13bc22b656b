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
from test_server_e2e import reader_thread, server, spikes  # noqa: F401  (server is a fixture)

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
    outlet = pylsl.StreamOutlet(pylsl.StreamInfo(name, "EEG", 4, 250, "float32", f"{name}-src"))
    with Client(server.target) as c:
        s = c.create_session(channels=4, sample_rate_hz=250, hidden=16, outputs=2, lsl_stream=name,
                             front_end=EEG_FRONT_END)
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
    samples, outputs = by_name["samples"], by_name["outputs"]
    assert samples["info"]["channel_count"] == ["4"] and float(samples["info"]["nominal_srate"][0]) == 250
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
                             front_end=[{"spike_binning": {"dt_ms": 5}}])
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
