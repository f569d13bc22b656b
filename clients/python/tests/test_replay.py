"""`spikeloop replay FILE.xdf` received by pylsl inlets: pyxdf's values, the original spacing and pace."""

import json
import time
import uuid

import numpy as np
import pytest

from _spikeloop_jar import JAR, XDF_FIXTURES, spikeloop, spikeloop_popen  # sets LSLAPICFG first

import pylsl  # noqa: E402
import pyxdf  # noqa: E402

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")

MINIMAL = XDF_FIXTURES / "minimal.xdf"
# Replayed stamps are start + (t - t0) / speed, in double: spacing matches to well under a microsecond.
SPACING_TOLERANCE_S = 1e-6
# The wall-clock span over which samples arrive, relative to the recorded span / speed.
PACE_TOLERANCE = 0.2


def load(path):
    streams, _ = pyxdf.load_xdf(str(path), synchronize_clocks=False, dejitter_timestamps=False)
    return {s["info"]["name"][0]: s for s in streams}


def replay(path, names, counts, *options):
    """Replays `path`, waiting for an inlet on each stream first; returns per name (rows, stamps, arrival
    times on the LSL clock) and the replay's JSON summary."""
    proc = spikeloop_popen("replay", path, "--wait-consumers-s", 60, *options)
    try:
        inlets = {}
        for name in names:
            found = pylsl.resolve_byprop("name", name, 1, 30)
            if not found:
                proc.kill()
                pytest.fail(f"replayed stream {name} not found: {proc.communicate()[1]}")
            inlets[name] = pylsl.StreamInlet(found[0], max_buflen=60)
            inlets[name].open_stream(10)
        got = {n: ([], [], []) for n in names}
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and any(len(got[n][1]) < counts[n] for n in names):
            for n in names:
                chunk, ts = inlets[n].pull_chunk(timeout=0.005)
                now = pylsl.local_clock()
                got[n][0].extend(chunk)
                got[n][1].extend(ts)
                got[n][2].extend([now] * len(ts))
        inlets.clear()
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    return got, json.loads(out.strip().splitlines()[-1])


def assert_replayed(original, rows, stamps, arrivals, speed):
    n = len(original["time_stamps"])
    assert len(stamps) == n, f"received {len(stamps)} of {n} samples"
    theirs = original["time_series"]
    got = np.asarray(rows, dtype=theirs.dtype).reshape(theirs.shape)
    assert np.array_equal(got, theirs)
    expected = np.diff(original["time_stamps"]) / speed
    assert np.max(np.abs(np.diff(stamps) - expected)) <= SPACING_TOLERANCE_S
    span = (original["time_stamps"][-1] - original["time_stamps"][0]) / speed
    arrived = arrivals[-1] - arrivals[0]
    assert abs(arrived - span) <= PACE_TOLERANCE * span, (arrived, span)


@pytest.mark.parametrize("speed", [1.0, 2.0])
def test_replay_reference_minimal_file(speed):
    theirs = load(MINIMAL)
    numeric, markers = "SendDataC", "SendDataString"
    counts = {n: len(theirs[n]["time_stamps"]) for n in (numeric, markers)}
    got, summary = replay(MINIMAL, [numeric, markers], counts, "--speed", speed)
    assert summary == {"samples_pushed": sum(counts.values()), "streams": 2}
    assert_replayed(theirs[numeric], *got[numeric], speed)
    assert got[markers][0] == theirs[markers]["time_series"]


def test_replay_recorded_eeg_session(tmp_path):
    """A longer recording (4 s of simulated EEG at 250 Hz, written by `xdf record`) replayed at speed 1."""
    name = f"replay-src-{uuid.uuid4()}"
    path = tmp_path / "session.xdf"
    sim = spikeloop_popen("sim", "eeg", "--prefix", name, "--duration", 10)
    try:
        rec = spikeloop("xdf", "record", "--name", name + "-eeg", "--out", path, "--duration", 4,
                        "--resolve-timeout-s", 30, timeout=120)
        assert rec.returncode == 0, rec.stderr
    finally:
        sim.kill()
        sim.communicate()
    original = load(path)[name + "-eeg"]
    n = len(original["time_stamps"])
    assert n >= 750, f"recording holds only {n} samples"
    got, summary = replay(path, [name + "-eeg"], {name + "-eeg": n})
    assert summary == {"samples_pushed": n, "streams": 1}
    assert_replayed(original, *got[name + "-eeg"], 1.0)


def test_replay_selects_and_renames_streams():
    """`--only` keeps one stream, `--rename` and `--prefix` set its published name (issue 16)."""
    theirs = load(MINIMAL)
    prefix = f"p{uuid.uuid4().hex[:8]}-"
    name = prefix + "numeric"
    n = len(theirs["SendDataC"]["time_stamps"])
    got, summary = replay(MINIMAL, [name], {name: n}, "--only", "SendDataC",
                          "--rename", "SendDataC=numeric", "--prefix", prefix)
    assert summary == {"samples_pushed": n, "streams": 1}
    assert_replayed(theirs["SendDataC"], *got[name], 1.0)
    # the markers stream was left out under either name
    assert not pylsl.resolve_byprop("name", prefix + "SendDataString", 1, 1.0)


@pytest.mark.parametrize("content", [b"", b"not an XDF file\n"])
def test_replay_of_an_unusable_file_is_one_line_and_exit_2(tmp_path, content):
    path = tmp_path / "bad.xdf"
    path.write_bytes(content)
    r = spikeloop("replay", path, timeout=120)
    assert r.returncode == 2, (r.stdout, r.stderr)
    assert len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert str(path) in r.stderr and "Exception" not in r.stderr
