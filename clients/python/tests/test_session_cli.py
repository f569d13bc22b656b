"""`spikeloop session ...` (the jar) against `spikeloop serve` with TLS and tokens, checked with the Python
client: a spec file becomes the session the API reports, `watch` prints the frames the session decodes (with
the labels pushed from Python), refusals are one line and exit code 2."""

import json
import re
import subprocess
import threading
import time

import numpy as np
import pytest

from _spikeloop_jar import JAR, java_env
from test_server_e2e import OPERATOR_TOKEN, VIEWER_TOKEN, make_pki, start_server, tokens_file

from spikeloop_client import Client

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")

FRAME = re.compile(r"^step (\d+)  outputs (\S+) (\S+)  label (\S+) (\S+)  latency (-?\d+) us")
SPEC = {"spec": {"name": "from the CLI", "channel_count": 8, "sample_rate_hz": 1000,
                 "decoder": {"architecture": {"hidden": 16, "outputs": 2, "neuron": "NEURON_MODEL_LIF",
                                              "seed": 7}},
                 "source": {"kind": "SOURCE_GRPC"},
                 "learning": {"enabled": True, "learning_rate": 0.001, "update_interval_steps": 50}}}


def cli(*args, timeout=60):
    return subprocess.run(["java", "-jar", str(JAR), "session", *map(str, args)], capture_output=True,
                          text=True, env=java_env(), timeout=timeout)


@pytest.fixture
def secured(tmp_path):
    pki = make_pki(tmp_path)
    s = start_server(tmp_path, "--tls-cert", tmp_path / "server.pem", "--tls-key", tmp_path / "server.key",
                     "--tokens", tokens_file(tmp_path))
    (tmp_path / "operator.token").write_text(OPERATOR_TOKEN + "\n")
    (tmp_path / "viewer.token").write_text(VIEWER_TOKEN + "\n")
    yield s, pki
    assert s.stop() == 0, (tmp_path / "server.err").read_text()


def test_session_commands_over_tls_with_tokens(secured, tmp_path):
    server, pki = secured
    connect = ["--server", server.target, "--tls-ca", tmp_path / "ca.pem"]
    operator = [*connect, "--token-file", tmp_path / "operator.token"]
    viewer = [*connect, "--token-file", tmp_path / "viewer.token"]
    spec = tmp_path / "spec.json"
    spec.write_text(json.dumps(SPEC))

    created = cli("create", "--spec", spec, "--json", *operator)
    assert created.returncode == 0, created.stderr
    session = json.loads(created.stdout)
    with Client(server.target, OPERATOR_TOKEN, root_certificates=pki["ca.pem"]) as c:
        api = c.get_session(session["id"])
        assert api.spec.name == "from the CLI" and api.spec.channel_count == 8
        assert api.spec.decoder.architecture.seed == 7 and api.state == "LEARNING"
        assert session["spec"]["learning"]["update_interval_steps"] == 50  # the .proto's field names

        listed = cli("list", *viewer)
        assert listed.returncode == 0, listed.stderr
        # LEARNING, or STALLED once 2 s passed without samples (nothing is pushed yet)
        assert re.match(rf"{session['id']}  (LEARNING|STALLED)  .*\"from the CLI\"", listed.stdout), listed.stdout

        # Frames the session decodes from samples and labels pushed from Python, printed by the jar.
        stop = threading.Event()

        def feed():
            c.push_labels(session["id"], [[0.5, -0.25]], [time.monotonic() - 1.0])
            while not stop.is_set():
                x = (np.random.default_rng(1).random((50, 8)) < 0.05).astype(np.float32)
                c.push_samples(session["id"], x, time.monotonic() - (49 - np.arange(50)) / 1000.0)
                time.sleep(0.05)

        feeder = threading.Thread(target=feed, daemon=True)
        feeder.start()
        try:
            watched = cli("watch", session["id"], "--frames", 20, "--rate-hz", 100, *viewer)
            # every frame, gathered by the server into a message every 20 ms (WatchBatched)
            batched = cli("watch", session["id"], "--frames", 200, "--batch-ms", 20, *viewer)
            too_long = cli("watch", session["id"], "--frames", 1, "--batch-ms", 101, *viewer)
            negative = cli("watch", session["id"], "--frames", 1, "--batch-ms", -1, *viewer)
        finally:
            stop.set()
            feeder.join(10)
        assert batched.returncode == 0, batched.stderr
        batched_steps = [int(FRAME.match(line)[1]) for line in batched.stdout.splitlines()]
        assert len(batched_steps) == 200
        assert batched_steps == list(range(batched_steps[0], batched_steps[0] + 200)), batched.stdout
        assert too_long.returncode == 2 and too_long.stdout == ""
        assert too_long.stderr.strip() == (
            "spikeloop session watch: INVALID_ARGUMENT: batch_interval_ms: must be within [0, 100], got 101")
        assert negative.returncode == 2 and negative.stdout == ""
        assert negative.stderr.strip() == "spikeloop session watch: --batch-ms: must be >= 0, got -1"
        assert watched.returncode == 0, watched.stderr
        frames = [FRAME.match(line) for line in watched.stdout.splitlines()]
        assert len(frames) == 20 and all(frames), watched.stdout
        assert {(float(f[4]), float(f[5])) for f in frames} == {(0.5, -0.25)}
        steps = [int(f[1]) for f in frames]
        assert steps == sorted(steps) and steps[-1] <= c.statistics(session["id"]).steps

        refused = cli("stop", session["id"], *viewer)
        assert refused.returncode == 2 and refused.stdout == ""
        assert refused.stderr.strip().splitlines() == [
            refused.stderr.strip()] and refused.stderr.startswith("spikeloop session stop: PERMISSION_DENIED: ")
        assert c.get_session(session["id"]).state != "STOPPED"

        stopped = cli("stop", session["id"], *operator)
        assert stopped.returncode == 0, stopped.stderr
        assert stopped.stdout.startswith(session["id"] + "  STOPPED  ")
        assert c.list_sessions() == []


def test_session_create_refusals_are_one_line_and_exit_2(secured, tmp_path):
    server, _ = secured
    operator = ["--server", server.target, "--tls-ca", tmp_path / "ca.pem",
                "--token-file", tmp_path / "operator.token"]
    typo = tmp_path / "typo.json"
    typo.write_text(json.dumps({"spec": {"chanel_count": 8}}))
    r = cli("create", "--spec", typo, *operator)
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1 and "chanel_count" in r.stderr, r.stderr

    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"spec": {**SPEC["spec"], "sample_rate_hz": 0}}))
    r = cli("create", "--spec", bad, *operator)
    assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr
    assert r.stderr.startswith("spikeloop session create: INVALID_ARGUMENT: ") and "sample_rate_hz" in r.stderr

    plaintext = cli("list", "--server", server.target, "--token-file", tmp_path / "operator.token")
    assert plaintext.returncode == 2 and "UNAVAILABLE" in plaintext.stderr, plaintext.stderr
    anonymous = cli("list", "--server", server.target, "--tls-ca", tmp_path / "ca.pem")
    assert anonymous.returncode == 2 and anonymous.stderr.startswith("spikeloop session list: UNAUTHENTICATED: ")
