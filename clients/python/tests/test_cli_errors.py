"""User mistakes through the real jar: one line on stderr, `spikeloop <command>: <what and why>`, exit code 2,
and nothing left behind by a start that failed (docs/cli.md). The in-process Java tests cover every command; these
check what only a real process shows: the whole stderr (liblsl's own log included) and a fresh JVM's liblsl."""

import socket
import subprocess

import pytest

from _spikeloop_jar import JAR, java_env

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")


def run(*args, env=None, cwd=None):
    return subprocess.run(["java", "-jar", str(JAR), *map(str, args)], capture_output=True, text=True,
                          env=env or java_env(), cwd=cwd, timeout=120)


def assert_one_line(r, start):
    assert r.returncode == 2, r.stderr
    assert len(r.stderr.splitlines()) == 1, r.stderr
    assert r.stderr.startswith(start), r.stderr
    assert r.stdout == ""


def test_serve_on_a_busy_port_names_it_and_leaves_nothing_behind(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        r = run("serve", "--port", port, "--metrics-port", -1, cwd=tmp_path)
    assert_one_line(r, f"spikeloop serve: gRPC port 127.0.0.1:{port} is in use")
    assert "--port 0 for any free port" in r.stderr
    assert list(tmp_path.iterdir()) == []  # no audit log, no checkpoints/ or recordings/


def test_replay_of_a_missing_file(tmp_path):
    r = run("replay", tmp_path / "none.xdf")
    assert_one_line(r, f"spikeloop replay: {tmp_path / 'none.xdf'}: no such file or directory")


def test_lsl_list_without_liblsl_says_which_setting_and_what_to_do(tmp_path):
    r = run("lsl", "list", env={**java_env(), "SPIKELOOP_LIBLSL": str(tmp_path / "liblsl.so")})
    assert_one_line(r, "spikeloop lsl list: liblsl: env SPIKELOOP_LIBLSL names a file that does not exist: "
                    f"{tmp_path / 'liblsl.so'}")
    assert "set SPIKELOOP_LIBLSL=/path/to/liblsl.so" in r.stderr


def test_a_missing_lsl_stream_is_one_line_with_liblsl_loaded():
    # liblsl logs to stderr itself; ops/lsl/lsl_api.cfg keeps it below warnings
    r = run("lsl", "pull", "--name", "spikeloop-no-such-stream", "--samples", 1, "--timeout-s", 0.5)
    assert_one_line(r, "spikeloop lsl pull: no LSL stream named 'spikeloop-no-such-stream' within 0.5 s")


def test_verbose_adds_the_stack_trace_after_the_line(tmp_path):
    r = run("--verbose", "replay", tmp_path / "none.xdf")
    assert r.returncode == 2
    first, *trace = r.stderr.splitlines()
    assert first == f"spikeloop replay: {tmp_path / 'none.xdf'}: no such file or directory"
    assert any(line.startswith("\tat ") for line in trace)
