"""Spikeloop's XDF reader and writer against pyxdf, the reference reader."""

import hashlib
import json
import random
import signal
import threading
import time
import uuid

import numpy as np
import pytest

from _spikeloop_jar import JAR, XDF_FIXTURES, spikeloop, spikeloop_popen  # sets LSLAPICFG first

import pylsl  # noqa: E402
import pyxdf  # noqa: E402

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")

# Files written by the reference XDF tooling (provenance: data/xdf/README.md).
REFERENCE_FILES = sorted(XDF_FIXTURES.glob("*.xdf"))


def dump(path, *options):
    res = spikeloop("xdf", "dump", path, *options, timeout=300)
    assert res.returncode == 0, res.stderr
    return json.loads(res.stdout)


def values_equal(ours, theirs, fmt, n, channels):
    if fmt == "string":
        return ours == theirs
    ours = np.array(ours, dtype=np.float64 if fmt in ("float32", "double64") else np.int64)
    ours = ours.reshape(n, channels)
    return np.array_equal(ours.astype(theirs.dtype), theirs) and np.array_equal(
        ours, theirs.astype(ours.dtype))


def compare(path, ours, theirs, stamp_tolerance_s):
    by_id = {s["id"]: s for s in ours["streams"]}
    assert len(by_id) == len(theirs)
    for t in theirs:
        sid = t["info"]["stream_id"]
        o = by_id[sid]
        fmt = t["info"]["channel_format"][0]
        n = len(t["time_stamps"])
        assert o["name"] == t["info"]["name"][0]
        assert o["channel_format"] == fmt
        assert o["sample_count"] == n, f"{path} stream {sid}"
        ts = np.array(o["time_stamps"], dtype=np.float64)
        if stamp_tolerance_s == 0:
            assert np.array_equal(ts, t["time_stamps"]), f"{path} stream {sid} stamps"
        elif n:
            assert np.max(np.abs(ts - t["time_stamps"])) <= stamp_tolerance_s
        assert values_equal(o["time_series"], t["time_series"], fmt, n, o["channel_count"])
        assert np.array_equal(np.array(o["clock_times"]), np.array(t["clock_times"]))
        assert np.array_equal(np.array(o["clock_values"]), np.array(t["clock_values"]))
        footer = t.get("footer")
        if footer is None:
            assert o["footer_xml"] is None
        else:
            info = footer["info"]
            assert f"<sample_count>{info['sample_count'][0]}</sample_count>" in o["footer_xml"].replace(" ", "")


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: p.name)
def test_reader_matches_pyxdf_raw_values_and_stamps(path):
    theirs, _ = pyxdf.load_xdf(str(path), synchronize_clocks=False, dejitter_timestamps=False)
    compare(path, dump(path), theirs, 0)


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: p.name)
def test_clock_sync_matches_pyxdf_within_a_microsecond(path):
    theirs, _ = pyxdf.load_xdf(str(path), synchronize_clocks=True, dejitter_timestamps=False)
    compare(path, dump(path, "--sync"), theirs, 1e-6)


@pytest.mark.parametrize("path", REFERENCE_FILES, ids=lambda p: p.name)
def test_pyxdf_defaults_match_within_a_microsecond(path):
    theirs, _ = pyxdf.load_xdf(str(path))
    compare(path, dump(path, "--sync", "--dejitter"), theirs, 1e-6)


def test_reference_files_are_the_ones_checked_in():
    assert {p.name for p in REFERENCE_FILES} == {"minimal.xdf", "empty_streams.xdf", "clock_resets.xdf"}


def test_checked_in_files_match_their_checksums():
    """The fixtures are the upstream files unmodified (a re-encoding or a line-ending filter would show)."""
    sums = {}
    for line in (XDF_FIXTURES / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        sums[name] = digest
    assert sorted(sums) == sorted(p.name for p in REFERENCE_FILES)
    for p in REFERENCE_FILES:
        assert hashlib.sha256(p.read_bytes()).hexdigest() == sums[p.name], p.name


class Rig:
    """pylsl outlets pushing known data: a 3-channel float32 EEG at 200 Hz and string markers."""

    def __init__(self):
        tag = uuid.uuid4().hex[:8]
        self.eeg_name, self.mk_name = f"rec-eeg-{tag}", f"rec-mk-{tag}"
        eeg = pylsl.StreamInfo(self.eeg_name, "EEG", 3, 200, "float32", self.eeg_name)
        ch = eeg.desc().append_child("channels")
        for label in ("C3", "Cz", "C4"):
            ch.append_child("channel").append_child_value("label", label)
        self.eeg = pylsl.StreamOutlet(eeg)
        self.mk = pylsl.StreamOutlet(
            pylsl.StreamInfo(self.mk_name, "Markers", 1, 0, "string", self.mk_name))
        self.sent_eeg, self.sent_mk = {}, {}
        self.running = True
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self):
        t0, k = pylsl.local_clock(), 0
        while self.running:
            stamps = [t0 + (k + i) / 200.0 for i in range(10)]
            block = (np.arange(k * 3, (k + 10) * 3, dtype=np.float32).reshape(10, 3) * 0.5)
            self.eeg.push_chunk(block, stamps)
            for i, t in enumerate(stamps):
                self.sent_eeg[t] = block[i]
            if k % 100 == 0:
                self.mk.push_sample([f"trial {k // 100} \u00e9"], stamps[0])
                self.sent_mk[stamps[0]] = f"trial {k // 100} \u00e9"
            k += 10
            time.sleep(0.05)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.running = False
        self.thread.join()


def test_recording_loads_in_pyxdf_with_identical_content(tmp_path):
    out = tmp_path / "rec.xdf"
    with Rig() as rig:
        res = spikeloop("xdf", "record", "--out", out, "--name", rig.eeg_name,
                        "--name", rig.mk_name, "--duration", 8, timeout=300)
    assert res.returncode == 0, res.stderr
    streams, header = pyxdf.load_xdf(str(out), synchronize_clocks=False, dejitter_timestamps=False)
    assert header["info"]["version"] == ["1.0"]
    by_name = {s["info"]["name"][0]: s for s in streams}
    eeg, mk = by_name[rig.eeg_name], by_name[rig.mk_name]
    assert eeg["info"]["channel_format"] == ["float32"]
    labels = [c["label"][0] for c in eeg["info"]["desc"][0]["channels"][0]["channel"]]
    assert labels == ["C3", "Cz", "C4"]
    assert len(eeg["time_stamps"]) > 200
    for t, row in zip(eeg["time_stamps"], eeg["time_series"]):
        assert np.array_equal(row, rig.sent_eeg[t])
    assert np.all(np.diff(eeg["time_stamps"]) > 0)
    # contiguous: nothing lost between the first and last recorded sample
    assert np.allclose(np.diff(eeg["time_stamps"]), 1 / 200.0, atol=1e-9)
    assert len(mk["time_stamps"]) >= 1
    for t, row in zip(mk["time_stamps"], mk["time_series"]):
        assert row == [rig.sent_mk[t]]
    for s in (eeg, mk):
        f = s["footer"]["info"]
        assert int(f["sample_count"][0]) == len(s["time_stamps"])
        assert float(f["first_timestamp"][0]) == s["time_stamps"][0]
        assert float(f["last_timestamp"][0]) == s["time_stamps"][-1]
        assert len(s["clock_times"]) >= 2
        assert all(abs(v) < 0.01 for v in s["clock_values"])  # same machine
        offsets = f["clock_offsets"][0]["offset"]
        assert [float(o["time"][0]) for o in offsets] == s["clock_times"]
        assert [float(o["value"][0]) for o in offsets] == s["clock_values"]
    # our reader sees exactly what pyxdf sees, and pyxdf's defaults load it
    compare(out, dump(out), streams, 0)
    pyxdf.load_xdf(str(out))


def test_sigterm_ends_an_open_ended_recording_with_exit_0_and_a_complete_file(tmp_path):
    """SIGTERM is how a supervisor ends `xdf record` without --seconds: the file is closed with its
    footers and the process says so with exit 0 (not the JVM's 143) and its summary (issue 16)."""
    out = tmp_path / "term.xdf"
    with Rig() as rig:
        proc = spikeloop_popen("xdf", "record", "--out", out, "--name", rig.eeg_name)
        try:
            deadline = time.monotonic() + 120
            while not out.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(2.0)
            proc.send_signal(signal.SIGTERM)
            stdout, stderr = proc.communicate(timeout=60)
        finally:
            proc.kill()
    assert proc.returncode == 0, stderr
    summary = json.loads(stdout.strip().splitlines()[-1])
    ours = dump(out)
    assert ours["truncated_at"] == -1 and ours["problems"] == []
    (eeg,) = ours["streams"]
    assert eeg["footer_xml"] is not None
    assert summary["samples_recorded"] == eeg["sample_count"] > 0


def test_sigkill_at_random_moments_leaves_files_pyxdf_loads(tmp_path):
    rnd = random.Random(5)
    trials = 8
    compared = 0  # EEG rows checked against what the rig sent, over all trials
    with Rig() as rig:
        for trial in range(trials):
            out = tmp_path / f"kill-{trial}.xdf"
            proc = spikeloop_popen("xdf", "record", "--out", out, "--name", rig.eeg_name,
                                   "--name", rig.mk_name, "--sync-ms", 200)
            # wait until the recording has started, then kill at a random moment
            deadline = time.monotonic() + 120
            while not out.exists() and time.monotonic() < deadline:
                time.sleep(0.05)
            time.sleep(rnd.uniform(0.0, 3.0))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
            assert out.exists(), proc.stderr.read()
            ours = dump(out)
            # whole chunks only: each chunk went to the OS in one write call
            assert ours["truncated_at"] == -1, f"trial {trial}: cut inside a chunk"
            assert ours["problems"] == []
            streams, _ = pyxdf.load_xdf(str(out), synchronize_clocks=False,
                                        dejitter_timestamps=False)
            compare(out, ours, streams, 0)
            for s in streams:
                if s["info"]["name"][0] == rig.eeg_name:
                    for t, row in zip(s["time_stamps"], s["time_series"]):
                        assert np.array_equal(row, rig.sent_eeg[t])
                        compared += 1
    # A kill right at the start may leave a file with no EEG row yet, but not all eight.
    assert compared > 0, "no trial recorded an EEG sample"
