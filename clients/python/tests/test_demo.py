"""`spikeloop demo` end to end: the in-process server, the simulated rig over real LSL, the e-prop session,
the drift, the status lines, the metrics endpoint, a gRPC client, and the XDF recording read back by pyxdf."""

import pathlib
import re
import signal
import subprocess
import sys
import time
import urllib.request

import numpy as np
import pytest

from _spikeloop_jar import JAR, spikeloop_popen  # sets LSLAPICFG before pylsl/pyxdf use liblsl

import pyxdf  # noqa: E402
from spikeloop_client import Client  # noqa: E402

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")

DURATION_S = 40
DRIFT_AT_S = 15
STATUS = re.compile(r"^t=\s*([\d.]+)s\s+R2\(5s\)=\s*(\S+)\s+latency p99\(1s\)=\s*(\S+(?:us| frames))\s+"
                    r"deadline misses=(\d+)\s+learning updates=(\d+)\s+frames=(\d+)\s+dropped=(\d+)$")
DRIFT = re.compile(r"^t=\s*([\d.]+)s\s+DRIFT: preferred directions rotated by 30 deg$")
# Decoding: the reference checkpoint's R² before the drift (it is ~0.8 on this rig).
MIN_R2_BEFORE = 0.6
# The drift must visibly hurt: the worst R² after it is at least this far below the level before it.
MIN_DROP = 0.1
# Recovery: e-prop brings R² over the last 5 s back within this margin of the level before the drift
# (25 s after a drift at 15 s; the 120 s demo allows 60 s and a 0.05 margin).
RECOVERY_MARGIN = 0.1


def demo_args(tmp_path, *extra):
    return ["demo", "--port", "0", "--metrics-port", "0",
            "--checkpoints-dir", tmp_path / "checkpoints", "--recordings-dir", tmp_path / "recordings",
            *extra]


def read_until(proc, pattern, lines, timeout_s):
    """Reads stdout lines into `lines` until one matches `pattern`; returns the match."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.rstrip("\n"))
        m = re.search(pattern, line)
        if m:
            return m
    raise AssertionError(f"no line matching {pattern!r} within {timeout_s} s:\n" + "\n".join(lines))


# The server's session recording (docs/server.md): stream role -> what the demo puts in it.
RECORDED = {"samples": "spikes", "labels": "kinematics", "outputs": "decoded"}


def load_recording(path, session_id):
    """The session's streams by kind (spikes, kinematics, decoded), with their own stamps (no clock-offset
    correction, no dejitter): all three are on this machine's LSL clock."""
    assert pathlib.Path(path).name.startswith(session_id + "-"), path
    streams, _ = pyxdf.load_xdf(str(path), synchronize_clocks=False, dejitter_timestamps=False)
    by_kind = {}
    for s in streams:
        # A stream from an LSL source keeps its source's name; its role is in desc/spikeloop.
        tag = s["info"]["desc"][0]["spikeloop"][0]
        role = tag["role"][0]
        assert role in RECORDED, role
        assert tag["session_id"][0] == session_id
        by_kind[RECORDED[role]] = s
    return by_kind


def r2(truth, predicted):
    sst = ((truth - truth.mean(0)) ** 2).sum(0)
    return float(np.mean(1 - ((truth - predicted) ** 2).sum(0) / sst))


def run_readme_example(grpc_target):
    """The README's Python example, run as written (only the address changed) against the live demo."""
    readme = (pathlib.Path(__file__).resolve().parents[3] / "README.md").read_text()
    code = re.search(r"```python\n(.*?)```", readme, re.S).group(1)
    assert '"127.0.0.1:50051"' in code
    code = code.replace('"127.0.0.1:50051"', f'"{grpc_target}"')
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    out = r.stdout.splitlines()
    assert len(out) == 6 and out[-1].endswith("steps so far"), r.stdout
    assert all(len(line.split()) >= 3 for line in out[:5]), r.stdout


def test_demo_decodes_drifts_recovers_with_eprop_and_records_xdf(tmp_path):
    proc = spikeloop_popen(*demo_args(tmp_path, "--duration", DURATION_S, "--drift-at-s", DRIFT_AT_S),
                           cwd=tmp_path)
    lines = []
    try:
        grpc_target = read_until(proc, r"gRPC on (127\.0\.0\.1:\d+)", lines, 60).group(1)
        metrics_url = read_until(proc, r"metrics: (http://127\.0\.0\.1:\d+/metrics)", lines, 10).group(1)
        session_id = read_until(proc, r"^session (\S+):", lines, 60).group(1)
        read_until(proc, r"^t=\s*3\.0s", lines, 30)
        # While it runs: a gRPC client sees the session decoding, Prometheus text has its meters.
        with Client(grpc_target) as client:
            assert session_id in [s.id for s in client.list_sessions()]
            assert client.statistics(session_id).steps > 1000
        run_readme_example(grpc_target)
        body = urllib.request.urlopen(metrics_url, timeout=10).read().decode()
        assert re.search(rf'spikeloop_steps_total\{{[^}}]*session="{session_id}"[^}}]*\}} [1-9]', body), body[:2000]
        out, err = proc.communicate(timeout=DURATION_S + 60)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    lines += out.splitlines()
    text = "\n".join(lines)
    assert proc.returncode == 0, f"exit {proc.returncode}\n{text}\n{err[-3000:]}"

    status = [(float(m[1]), float(m[2]), int(m[5])) for m in map(STATUS.match, lines) if m]
    drift = [float(m[1]) for m in map(DRIFT.match, lines) if m]
    assert len(status) >= DURATION_S - 2, text
    assert drift == [pytest.approx(DRIFT_AT_S, abs=0.01)], text
    before = [r for t, r, _ in status if DRIFT_AT_S - 5 < t <= DRIFT_AT_S]
    after = [r for t, r, _ in status if DRIFT_AT_S < t <= DRIFT_AT_S + 10]
    last = [r for t, r, _ in status if t > DURATION_S - 5]
    level = float(np.mean(before))
    assert level >= MIN_R2_BEFORE, f"no decoding before the drift: {before}\n{text}"
    assert min(after) <= level - MIN_DROP, f"the drift did not show: {level:.3f} -> {after}\n{text}"
    assert np.mean(last) >= level - RECOVERY_MARGIN, f"no recovery: {level:.3f} -> {last}\n{text}"
    # ... and e-prop, not a shallow drift, got it there: at least half of what the drift took is regained
    # (2026-12-07, demo seeds 1 and 2: level 0.81 and 0.77, trough 0.50 and 0.44, last 5 s 0.83 and 0.83).
    trough = min(after)
    assert np.mean(last) - trough >= 0.5 * (level - trough), f"no recovery from {trough:.3f}: {last}\n{text}"
    assert status[-1][2] > 0, "e-prop applied no updates"

    recording = re.search(r"^recording complete: (\S+)", text, re.M).group(1)
    streams = load_recording(tmp_path / recording, session_id)
    spikes, labels, decoded = streams["spikes"], streams["kinematics"], streams["decoded"]
    n = DURATION_S * 1000
    assert np.asarray(spikes["time_series"]).shape == (n, 96)
    assert np.asarray(labels["time_series"]).shape == (n, 2)
    assert np.asarray(decoded["time_series"]).shape == (n, 2)
    # Outputs carry the source time stamps of the samples they decoded: they line up with the labels
    # (the session's LSL source stamps samples through liblsl's clock sync: same host, offset of µs).
    np.testing.assert_allclose(decoded["time_stamps"], labels["time_stamps"], rtol=0, atol=1e-4)
    t = labels["time_stamps"] - labels["time_stamps"][0]
    pre = (t > DRIFT_AT_S - 5) & (t < DRIFT_AT_S)
    assert r2(np.asarray(labels["time_series"])[pre], np.asarray(decoded["time_series"])[pre]) >= MIN_R2_BEFORE


def test_ctrl_c_stops_cleanly_and_leaves_a_complete_recording(tmp_path):
    proc = spikeloop_popen(*demo_args(tmp_path), cwd=tmp_path)
    lines = []
    try:
        session_id = read_until(proc, r"^session (\S+):", lines, 90).group(1)
        read_until(proc, r"^t=\s*4\.0s", lines, 90)
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    lines += out.splitlines()
    text = "\n".join(lines)
    # A clean stop on Ctrl-C is a success.
    assert proc.returncode == 0, f"exit {proc.returncode}\n{text}\n{err[-3000:]}"
    recording = re.search(r"^recording complete: (\S+)", text, re.M)
    assert recording, f"no complete recording reported\n{text}\n{err[-3000:]}"
    streams = load_recording(tmp_path / recording.group(1), session_id)
    counts = {name: len(s["time_stamps"]) for name, s in streams.items()}
    assert set(counts) == {"spikes", "kinematics", "decoded"}
    # Complete: every published sample, its label and its decoded output are in the file.
    assert len(set(counts.values())) == 1 and counts["spikes"] >= 4000, counts
