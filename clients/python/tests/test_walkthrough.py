"""examples/README.md's walkthroughs, run as written: every `sh` block of a "Walkthrough" section, in order,
in a temporary directory laid out like the repository root (`./spikeloop`, `examples/`). Commands ending in
`&` run in the background until the end; placeholders (`<checkpoint-id>`) are filled only where the text says
"Replace `<...>`", from the output of the latest command that prints them. Then the results the text promises:
- intracortical: the job beats the Kalman filter on the demo's recording (its last line), and the session
  started from the job's checkpoint decodes the rig's velocity;
- motor imagery: e-prop from a fresh network over the 20 calibration trials learns without collapsing to one
  class, the job on the calibration recording scores next to CSP+LDA, and the session from the job's
  checkpoint decides the next trials from the cues while it keeps learning.
Also: every `--config`/`--spec` file the README and docs name exists."""

import os
import pathlib
import re
import shutil
import signal
import socket
import subprocess
import time

import numpy as np
import pytest

from _spikeloop_jar import JAR, REPO, java_env

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")

WALKTHROUGH = REPO / "examples" / "README.md"
# The walkthrough's server and demo use the default ports (examples/server.properties).
PORTS = (50051, 9464)
# How each placeholder is filled: (the commands whose stdout has it, the pattern); the latest such output.
PLACEHOLDERS = {
    "<checkpoint-id>": (("train", "job submit"), re.compile(r"checkpoint ([0-9a-f]{64})[ ;]")),
    "<session-id>": (("session create",), re.compile(r"^(s-[0-9a-f]+)  ", re.M)),
}
# When a background command is ready for the next one: a line on its stdout or stderr.
READY = {
    "serve": re.compile(r"^spikeloop serve: grpc=127\.0\.0\.1:50051 ", re.M),
    "sim": re.compile(r"^sim (intracortical|eeg): publishing ", re.M),
}
# A trial takes 8 s at the EEG's real pace: 20 decisions take about 160 s.
TIMEOUT_S = {"demo": 300, "train": 600, "job submit": 600, "session decisions": 400}
JOB_LINE = re.compile(r"held-out R² vx ([\d.-]+), vy ([\d.-]+) \(kalman ([\d.-]+), ([\d.-]+); "
                      r"wiener ([\d.-]+), ([\d.-]+)\)")
FRAME = re.compile(r"^step (\d+)  outputs (\S+) (\S+)  label (\S+) (\S+)  latency (-?\d+) us")
# The session from the job's checkpoint, learning on: R² of its decoded velocity over the watched frames
# (the walkthrough run measured 0.80 on both outputs).
MIN_SESSION_R2 = 0.5
SESSION_ID = PLACEHOLDERS["<session-id>"][1]


JOB_MI_LINE = re.compile(r"held-out accuracy ([\d.]+) \((\d+)/(\d+) trials; csp_lda ([\d.]+)")
DECISION = re.compile(r"^trial (\d+)  cue (\S+) \((\w+)\)  decided (\w+)  p ([\d.]+) ([\d.]+)  frames (\d+)(  learned)?")


def commands(markdown: str, heading: str):
    """The shell commands of the section `## <heading>...` in order (continuation lines joined), and its
    prose."""
    section = markdown.split("## " + heading, 1)[1].split("\n## ", 1)[0]
    cmds = []
    for block in re.findall(r"```sh\n(.*?)```", section, re.S):
        for cmd in block.replace("\\\n", " ").splitlines():
            cmd = " ".join(cmd.split())
            if cmd and not cmd.startswith("#"):
                cmds.append(cmd)
    prose = re.sub(r"```.*?```", "", section, flags=re.S)
    return cmds, prose


def role(cmd: str) -> str:
    """`./spikeloop session create ...` -> "session create", `./spikeloop serve ...` -> "serve"."""
    words = cmd.split()
    assert words[0] == "./spikeloop", cmd
    return " ".join(words[1:3]) if words[1] in ("session", "job") else words[1]


def port_free(port):
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def layout(tmp: pathlib.Path):
    """A directory laid out like the repository root. `./spikeloop` is the launcher there; here a
    stand-in runs the jar under test (the launcher would build the project first)."""
    shutil.copytree(REPO / "examples", tmp / "examples")
    shim = tmp / "spikeloop"
    shim.write_text('#!/bin/sh\nexec java -jar "$SPIKELOOP_JAR" "$@"\n')
    shim.chmod(0o755)
    env = java_env()
    env["SPIKELOOP_JAR"] = str(JAR)
    return env


def wait_ready(proc, out_file, err_file, pattern, timeout_s=90):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        text = out_file.read_text() + err_file.read_text()
        if pattern.search(text):
            return
        if proc.poll() is not None:
            break
        time.sleep(0.2)
    raise AssertionError(f"not ready (exit {proc.poll()}):\n{out_file.read_text()}\n{err_file.read_text()[-3000:]}")


def stop_background(procs):
    """SIGTERM to each background command's process group (the shell and the JVM it started), then waits
    until the whole group is gone: the JVM prints its last lines after the shell has ended."""
    for proc, _, _ in procs:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
    for proc, _, _ in procs:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (proc.poll() is None or group_alive(proc.pid)):
            time.sleep(0.1)  # poll() reaps the shell, so a zombie does not keep the group alive
        if group_alive(proc.pid):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def group_alive(pgid):
    try:
        os.killpg(pgid, 0)
        return True
    except ProcessLookupError:
        return False


def r2(truth, predicted):
    sst = ((truth - truth.mean(0)) ** 2).sum(0)
    return 1 - ((truth - predicted) ** 2).sum(0) / sst


def run_walkthrough(tmp_path, heading, expected_roles):
    """Runs the section's commands as written; returns [(role, stdout)] in order and the background
    commands' (process, stdout file, stderr file), all stopped."""
    cmds, prose = commands(WALKTHROUGH.read_text(), heading)
    assert [role(c) for c in cmds] == expected_roles, cmds
    for placeholder in {p for c in cmds for p in re.findall(r"<[a-z-]+>", c)}:
        assert f"Replace `{placeholder}`" in prose, f"the text does not say to replace {placeholder}"
        assert placeholder in PLACEHOLDERS, f"the test does not know how to fill {placeholder}"
    for port in PORTS:
        if not port_free(port):
            pytest.skip(f"127.0.0.1:{port} is taken: the walkthrough uses the default ports")
    env = layout(tmp_path)
    history, background, started = [], [], time.monotonic()
    try:
        for n, cmd in enumerate(cmds):
            for placeholder, (sources, pattern) in PLACEHOLDERS.items():
                if placeholder in cmd:
                    latest = [out for what, out in history if what in sources]
                    m = pattern.search(latest[-1]) if latest else None
                    assert m, f"no {placeholder} in the latest output of {sources}:\n{latest[-1:]}"
                    cmd = cmd.replace(placeholder, m.group(1))
            what = role(cmd)
            if cmd.endswith("&"):
                out_file, err_file = tmp_path / f"bg{n}.out", tmp_path / f"bg{n}.err"
                proc = subprocess.Popen(cmd[:-1], shell=True, cwd=tmp_path, env=env, start_new_session=True,
                                        stdout=open(out_file, "w"), stderr=open(err_file, "w"))
                background.append((proc, out_file, err_file))
                wait_ready(proc, out_file, err_file, READY[what])
                continue
            r = subprocess.run(cmd, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True,
                               timeout=TIMEOUT_S.get(what, 60))
            assert r.returncode == 0, f"{cmd}\nexit {r.returncode}\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
            history.append((what, r.stdout))
            print(f"{time.monotonic() - started:6.1f} s  {cmd}\n    {r.stdout.strip().splitlines()[-1]}")
    finally:
        stop_background(background)
    return history, background


def test_the_walkthrough_runs_as_written(tmp_path):
    history, background = run_walkthrough(
        tmp_path, "Walkthrough: record, train",
        ["demo", "train", "serve", "sim", "session create", "session watch", "session stop"])
    outputs = dict(history)

    assert "recording complete: recordings/" in outputs["demo"]

    # The job beats the Kalman filter fitted on the same split (its last line).
    job = JOB_LINE.search(outputs["train"].strip().splitlines()[-1])
    assert job, outputs["train"]
    r2_job, r2_kalman = np.mean([float(job[1]), float(job[2])]), np.mean([float(job[3]), float(job[4])])
    assert r2_job >= r2_kalman, job.group(0)

    # The session from the job's checkpoint decoded the rig: 100 frames with outputs near the labels.
    session_id = SESSION_ID.search(outputs["session create"]).group(1)
    assert re.match(rf"^{session_id}  (LEARNING|RUNNING)  .*decoder registry [0-9a-f]{{64}}",
                    outputs["session create"]), outputs["session create"]
    frames = [FRAME.match(line) for line in outputs["session watch"].splitlines()]
    assert len(frames) == 100 and all(frames), outputs["session watch"]
    steps = [int(f[1]) for f in frames]
    assert steps == sorted(steps) and len(set(steps)) == 100
    decoded = np.array([[float(f[2]), float(f[3])] for f in frames])
    labels = np.array([[float(f[4]), float(f[5])] for f in frames])
    assert r2(labels, decoded).mean() > MIN_SESSION_R2, r2(labels, decoded)
    assert all(int(f[6]) >= 0 for f in frames), "a frame decoded before its sample's time stamp"
    assert outputs["session stop"].startswith(f"{session_id}  STOPPED  ")

    # The server stopped cleanly and had recorded the session.
    server_err = background[0][2].read_text()
    assert "spikeloop serve: stopped" in server_err, server_err[-3000:]
    recorded = list((tmp_path / "recordings").glob(f"{session_id}-*.xdf"))
    assert len(recorded) == 1 and recorded[0].stat().st_size > 100_000, recorded


def decisions(stdout):
    """The decision lines of `session decisions` and its last line's count."""
    lines = stdout.strip().splitlines()
    parsed = [DECISION.match(line) for line in lines[:-1]]
    assert all(parsed), stdout
    return parsed, lines[-1]


def test_the_motor_imagery_walkthrough_runs_as_written(tmp_path):
    history, background = run_walkthrough(
        tmp_path, "Walkthrough: motor imagery",
        ["serve", "sim", "session create", "session decisions", "session stop", "job submit",
         "session create", "session decisions", "session stop"])
    (_, create1), (_, calib), (_, stop1), (_, job), (_, create2), (_, decode), (_, stop2) = history
    calibration_id, decoding_id = SESSION_ID.search(create1).group(1), SESSION_ID.search(create2).group(1)
    assert re.match(rf"^{calibration_id}  LEARNING  .*decoder fresh 64 hidden -> 2  labels LSL 'mi-markers'",
                    create1), create1
    assert re.match(rf"^{decoding_id}  LEARNING  .*decoder registry [0-9a-f]{{64}}", create2), create2

    # Calibration: 20 windows, each learned from; e-prop from a fresh network does not collapse to one class
    # (issue: "must not collapse to one class") and has learned something by its second half.
    calibration, last = decisions(calib)
    assert len(calibration) == 20 and all(d[8] for d in calibration), calib
    assert last.startswith("20 trials: "), last
    decided = [d[4] for d in calibration[10:]]
    assert max(decided.count(c) for c in set(decided)) <= 8, calib
    assert sum(d[3] == d[4] for d in calibration[10:]) >= 7, calib
    assert stop1.startswith(f"{calibration_id}  STOPPED  ")

    # The job on the calibration recording: scored on its held-out half next to CSP+LDA fitted on the same
    # split (about ten trials: the recording also has the trials between the 20th decision and the stop).
    m = JOB_MI_LINE.search(job)
    assert m and 10 <= int(m[3]) <= 12, job
    assert float(m[1]) >= float(m[4]) - 0.2, job

    # The session from the job's checkpoint decides the next trials from the cues while it keeps learning.
    decoded, last = decisions(decode)
    assert len(decoded) == 10 and all(d[8] for d in decoded), decode
    assert sum(d[3] == d[4] for d in decoded) >= 7, decode
    assert stop2.startswith(f"{decoding_id}  STOPPED  ")

    # Both sessions were recorded, and the server stopped cleanly.
    server_err = background[0][2].read_text()
    assert "spikeloop serve: stopped" in server_err, server_err[-3000:]
    for sid in (calibration_id, decoding_id):
        assert len(list((tmp_path / "recordings").glob(f"{sid}-*.xdf"))) == 1, sid


def test_every_config_and_spec_file_the_docs_name_exists():
    docs = [REPO / "README.md", WALKTHROUGH, *sorted((REPO / "docs").glob("*.md"))]
    named = []
    for doc in docs:
        for option, path in re.findall(r"(--config|--spec) ([\w./-]+/[\w.-]+)", doc.read_text()):
            named.append((doc.name, option, path))
            assert (REPO / path).is_file(), f"{doc.name}: {option} {path} does not exist"
    assert ("README.md", "--config", "examples/server.properties") in named
    assert ("README.md", "--config", "examples/jobs/intracortical-regression.json") in named
