"""Shared helpers for the LSL/XDF interop tests: where the jar and the XDF fixtures are, and the LSL environment."""

import os
import pathlib
import subprocess

REPO = pathlib.Path(__file__).resolve().parents[3]
# XDF files written by other tools, checked in with their provenance (data/xdf/README.md).
XDF_FIXTURES = pathlib.Path(__file__).resolve().parent / "data" / "xdf"
JAR = pathlib.Path(os.environ.get("SPIKELOOP_JAR", REPO / "app" / "target" / "spikeloop.jar"))
LSLAPICFG = str(REPO / "ops" / "lsl" / "lsl_api.cfg")
# pylsl reads LSLAPICFG when liblsl loads: set it before the first `import pylsl`.
os.environ["LSLAPICFG"] = LSLAPICFG


def java_env(extra=None):
    env = dict(os.environ)
    env["LSLAPICFG"] = LSLAPICFG
    env["SPIKELOOP_HOME"] = str(REPO)
    env.update(extra or {})
    return env


def spikeloop(*args, env_extra=None, **kwargs):
    """Runs `java -jar spikeloop.jar args...` to completion (`env_extra`: variables to add)."""
    return subprocess.run(
        ["java", "-jar", str(JAR), *map(str, args)],
        capture_output=True, text=True, env=java_env(env_extra), **kwargs)


def spikeloop_popen(*args, env_extra=None, **kwargs):
    return subprocess.Popen(
        ["java", "-jar", str(JAR), *map(str, args)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=java_env(env_extra), **kwargs)
