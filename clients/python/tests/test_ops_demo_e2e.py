"""Issue 9 end to end, on the demo: the local monitoring stack exactly as ops/README.md gives it (its two
commands), and the training CronJob's own command on what that demo recorded.

1. `spikeloop demo` and Debian's `prometheus` with the shipped ops/prometheus/prometheus.yml (unchanged: its
   target is the demo's default metrics endpoint 127.0.0.1:9464). Every metric the alert rules and the Grafana
   dashboard use (names taken from the shipped files by test_ops.used_metric_names) is read back through
   Prometheus' query API with a current sample, and the per-session ones for the demo's own session.
2. The demo's session recording (written by the server, as on a replica's recordings volume) is the input of
   the CronJob `spikeloop-train-0` rendered by kustomize: its container args are run against the real CLI with
   only the mount paths substituted; a checkpoint must land in the registry with lineage naming the recording,
   verify with `spikeloop checkpoint inspect`, and decode in a `spikeloop serve` session.

No skips: a missing tool or jar fails with how to get it.
"""

import json
import pathlib
import re
import shlex
import subprocess
import time
import urllib.parse
import urllib.request

import pytest
import yaml

from _spikeloop_jar import JAR, REPO, java_env
from test_ops import (CLUSTER_ONLY, OPS, PROM, free_port, get_json, one, query, render, rules_doc, run, stop,
                      tool, used_metric_names, wait_for)

README = OPS / "README.md"
DEMO_DURATION_S = 45
# A gauge that is NaN by design until its first evaluation (docs/server.md): present, but not a number yet.
NAN_UNTIL_EVALUATED = {"spikeloop_shadow_squared_error"}
# Process-wide meters (no session label); every other spikeloop_* meter is per session.
PROCESS_WIDE = {"spikeloop_training_jobs_total", "spikeloop_agent_thread_deaths_total"}


def readme_stack_commands():
    """The two commands of ops/README.md's "Local monitoring stack against the demo (two commands)"."""
    text = README.read_text()
    section = re.search(r"^## Local monitoring stack against the demo \(two commands\)\n(.*?)^## ", text,
                        re.S | re.M)
    assert section, "ops/README.md lost its 'Local monitoring stack against the demo' section"
    block = re.search(r"\n\n((?:    \S.*\n)+)", section.group(1))
    commands = [line.strip() for line in block.group(1).splitlines()]
    assert len(commands) == 2, commands
    return commands


def demo_command(readme_line):
    """The README's demo line as run here: `./spikeloop` is `java -jar app/target/spikeloop.jar` (what the
    launcher execs once built; the launcher itself would refresh the shared virtualenv), `&` is Popen, and
    `--duration` bounds the run. Nothing else changes: default ports, so metrics on 127.0.0.1:9464."""
    argv = shlex.split(readme_line)
    assert argv[:2] == ["./spikeloop", "demo"] and argv[-1] == "&", readme_line
    args = argv[2:-1]
    assert not any(a.startswith(("--metrics-port", "--duration")) for a in args), readme_line
    return ["java", "-jar", str(JAR), "demo", *args, "--duration", str(DEMO_DURATION_S)]


def prometheus_command(readme_line, tsdb, listen):
    """The README's Prometheus line with only its scratch storage and its own web port changed (the
    scrape config is the shipped file, untouched)."""
    argv = shlex.split(readme_line)
    assert argv[0] == "prometheus", readme_line
    flags = dict(a.split("=", 1) for a in argv[1:])
    assert set(flags) == {"--config.file", "--storage.tsdb.path", "--web.listen-address"}, readme_line
    assert flags["--config.file"] == "ops/prometheus/prometheus.yml", readme_line
    assert flags["--web.listen-address"].startswith("127.0.0.1:"), readme_line
    return [tool("prometheus"), f"--config.file={REPO / flags['--config.file']}",
            f"--storage.tsdb.path={tsdb}", f"--web.listen-address={listen}"]


def read_until(proc, pattern, lines, timeout_s):
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


def test_readme_names_the_shipped_config_and_the_demo_endpoint():
    demo, prom = readme_stack_commands()
    assert demo_command(demo)[3] == "demo"
    prometheus_command(prom, "/tmp/x", "127.0.0.1:1")
    cfg = yaml.safe_load((PROM / "prometheus.yml").read_text())
    targets = [t for sc in cfg["scrape_configs"] for s in sc["static_configs"] for t in s["targets"]]
    assert targets == ["127.0.0.1:9464"], "the shipped target must be the demo's default metrics endpoint"
    help_text = run(["java", "-jar", JAR, "demo", "--help"], env=java_env()).stdout
    assert re.search(r"--metrics-port=PORT [^<]*?Default: 9464\.", " ".join(help_text.split())), help_text


@pytest.fixture(scope="module")
def demo_stack(tmp_path_factory):
    """Runs the README's two commands and yields while both run (the training test waits for the demo's end)."""
    assert JAR.exists(), f"build the jar first (mvn -B -q -pl app -am package -DskipTests): {JAR}"
    tmp = tmp_path_factory.mktemp("demo-stack")
    demo_line, prom_line = readme_stack_commands()
    prom_port = free_port()
    prom_proc = subprocess.Popen(prometheus_command(prom_line, tmp / "tsdb", f"127.0.0.1:{prom_port}"),
                                 stdout=subprocess.DEVNULL, stderr=open(tmp / "prometheus.err", "w"))
    demo_err = open(tmp / "demo.err", "w")
    demo = subprocess.Popen(demo_command(demo_line), cwd=tmp, stdout=subprocess.PIPE, stderr=demo_err, text=True,
                            env=java_env())
    lines = []
    state = {"tmp": tmp, "lines": lines, "prom": f"http://127.0.0.1:{prom_port}", "demo": demo}
    try:
        try:
            read_until(demo, r"^metrics: http://127\.0\.0\.1:9464/metrics", lines, 90)
            state["session"] = read_until(demo, r"^session (\S+):", lines, 90).group(1)
        except AssertionError as e:
            raise AssertionError(f"{e}\n{(tmp / 'demo.err').read_text()[-3000:]}") from None
        yield state
    finally:
        stop(demo)
        stop(prom_proc)


def test_prometheus_scrapes_every_metric_the_rules_and_dashboard_use_from_the_demo(demo_stack):
    prom, session = demo_stack["prom"], demo_stack["session"]
    wait_for("Prometheus ready", lambda: urllib.request.urlopen(f"{prom}/-/ready", timeout=2).status == 200, 60)
    wait_for("the demo target to be up",
             lambda: [r for r in query(prom, 'up{job="spikeloop", instance="127.0.0.1:9464"}')
                      if r["value"][1] == "1"], 60)
    wait_for("two scrapes of the demo session",
             lambda: query(prom, f'count_over_time(spikeloop_steps_total{{session="{session}"}}[1m]) >= 2'), 60)
    assert demo_stack["demo"].poll() is None, "the demo ended before Prometheus had scraped it"

    rules = get_json(f"{prom}/api/v1/rules")["data"]["groups"]
    assert {g["name"] for g in rules} == {g["name"] for g in rules_doc()["groups"]}
    assert all(r["health"] != "err" for g in rules for r in g["rules"]), rules

    names = sorted(used_metric_names() - CLUSTER_ONLY)
    assert len(names) >= 25, names
    # Gauges such as the decode error are NaN until their first input (a labelled step): on a loaded machine
    # that may take a few scrapes, so the gaps must close within a bounded wait, while the demo runs.
    deadline = time.monotonic() + 40
    while True:
        gaps = metric_gaps(prom, session, names)
        if not any(gaps.values()) or time.monotonic() > deadline or demo_stack["demo"].poll() is not None:
            break
        time.sleep(2)
    assert not gaps["missing"], (
        f"{len(gaps['missing'])} of {len(names)} metrics used by the rules and the dashboard have no data in "
        f"Prometheus scraping the demo: {gaps['missing']}")
    assert not gaps["no_session"], f"no series for the demo's session {session}: {gaps['no_session']}"
    assert not gaps["nan"], f"only NaN samples: {gaps['nan']}"
    # The recording meters, the recording volume and the training outcomes are there from the start, at 0.
    for expr in (f'spikeloop_recording_write_errors_total{{session="{session}"}} == 0',
                 f'spikeloop_guard_events_total{{session="{session}"}} == 0',
                 f'spikeloop_checkpoint_rollbacks_total{{session="{session}"}} == 0',
                 'spikeloop_training_jobs_total{outcome="failed"} == 0',
                 'disk_free_bytes{volume="recordings"} > 0'):
        assert query(prom, expr), expr
    assert float(query(prom, f'spikeloop_steps_total{{session="{session}"}}')[0]["value"][1]) > 1000


def metric_gaps(prom, session, names):
    """Metrics with no series from the demo, none for its session, or only NaN latest samples."""
    gaps = {"missing": [], "no_session": [], "nan": []}
    for name in names:
        series = query(prom, f'{name}{{job="spikeloop"}}')
        if not series:
            gaps["missing"].append(name)
            continue
        if name.startswith("spikeloop_") and name not in PROCESS_WIDE:
            series = [s for s in series if s["metric"].get("session") == session]
            if not series:
                gaps["no_session"].append(name)
                continue
        if name not in NAN_UNTIL_EVALUATED and all(s["value"][1].lower() == "nan" for s in series):
            gaps["nan"].append(name)
    return gaps


def recordings_of(demo_stack):
    """Waits for the demo to end; its session's server-side recording, checked complete."""
    demo = demo_stack["demo"]
    if "exit" not in demo_stack:
        out, _ = demo.communicate(timeout=DEMO_DURATION_S + 90)
        demo_stack["lines"] += out.splitlines()
        demo_stack["exit"] = demo.returncode
    text = "\n".join(demo_stack["lines"])
    assert demo_stack["exit"] == 0, f"demo exit {demo_stack['exit']}\n{text}"
    m = re.search(r"^recording complete: (\S+)", text, re.M)
    assert m, text
    file = demo_stack["tmp"] / m.group(1)
    assert file.name.startswith(demo_stack["session"] + "-") and file.suffix == ".xdf", file
    return file


def rendered_train_cronjob():
    objs = render("dev")
    cj = one(objs, "CronJob", "spikeloop-train-0")
    pod = cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
    [c] = pod["containers"]
    volumes = {v["name"]: v for v in pod["volumes"]}
    config_map = one(objs, "ConfigMap", volumes["train-config"]["configMap"]["name"])
    return c, config_map


def entrypoint():
    """The image's ENTRYPOINT (ops/docker/Dockerfile), with its jar taken from this build."""
    text = (OPS / "docker" / "Dockerfile").read_text()
    m = re.search(r"^ENTRYPOINT (\[.*\])$", text, re.M)
    argv = json.loads(m.group(1))
    assert argv == ["java", "-jar", "/opt/spikeloop/spikeloop.jar"], argv
    return ["java", "-jar", str(JAR)]


def test_the_training_cronjobs_command_trains_on_the_demo_recording_into_the_registry(demo_stack, tmp_path):
    recording = recordings_of(demo_stack)
    c, config_map = rendered_train_cronjob()
    mounts = {m["name"]: m["mountPath"] for m in c["volumeMounts"]}
    # The replica's volumes, here: the demo's recordings directory, an empty registry, the ConfigMap's files.
    local = {mounts["recordings"]: recording.parent, mounts["checkpoints"]: tmp_path / "checkpoints",
             mounts["train-config"]: tmp_path / "train-config"}
    # The server opens its registry at <checkpoints.dir>/registry (docs/server.md); the job must write there, or
    # the replica never sees its checkpoints.
    server_checkpoints = re.search(r"^checkpoints\.dir=(.+)$",
                                   (OPS / "k8s" / "base" / "spikeloop.properties").read_text(), re.M).group(1)
    assert mounts["checkpoints"] == server_checkpoints, (mounts, server_checkpoints)
    registry_arg = f"--registry={server_checkpoints}/registry"
    assert registry_arg in c["args"], (registry_arg, c["args"])
    registry = local[mounts["checkpoints"]] / "registry"
    local[mounts["train-config"]].mkdir()
    for name, content in config_map["data"].items():
        (local[mounts["train-config"]] / name).write_text(content)

    def substitute(arg):
        for mount, path in local.items():
            if arg == mount or arg.endswith("=" + mount) or ("=" + mount + "/") in arg:
                return arg.replace(mount, str(path), 1)
        return arg

    args = [substitute(a) for a in c["args"]]
    assert args[0] == "train" and any(a.startswith("--recordings-dir=") for a in args), args
    assert [a for a in args if a.startswith("--inputs-stream=") or a.startswith("--labels-stream=")] == \
        ["--inputs-stream=samples", "--labels-stream=labels"], "the CronJob must name the session recording's streams"
    env = {**java_env(), **{e["name"]: e["value"] for e in c.get("env", []) if "value" in e}}
    before = sorted(p.name for p in recording.parent.iterdir())
    r = run([*entrypoint(), *args], env=env, timeout=900)
    assert r.returncode == 0, f"{' '.join(args)}\n{r.stdout}\n{r.stderr[-3000:]}"
    assert sorted(p.name for p in recording.parent.iterdir()) == before, "the job wrote into the recordings"

    index = json.loads((registry / "index.json").read_text())
    assert index["format"] == "spikeloop-registry", index
    [e] = index["entries"]
    assert e["kind"] == "job" and e["jobId"] and e["creator"], e
    assert (registry / "reports" / f"{e['jobId']}.report.json").is_file()
    assert [pathlib.Path(f).name for f in e["dataRange"]["files"]] == [recording.name], e
    assert e["dataRange"]["toS"] > e["dataRange"]["fromS"], e
    assert f"checkpoint {e['id']}" in r.stdout, r.stdout
    ckpt = registry / e["file"]
    assert ckpt.is_file(), ckpt

    inspect = run(["java", "-jar", JAR, "checkpoint", "inspect", "--json", ckpt], env=java_env(), timeout=120)
    assert inspect.returncode == 0, inspect.stderr
    info = json.loads(inspect.stdout)
    job = json.loads((local[mounts["train-config"]] / "job.json").read_text())
    assert info["checksum"] == "ok" and info["contentId"] == e["id"], info
    assert info["spec"]["inputs"] == job["network"]["inputs"] == 96, info["spec"]
    assert info["spec"]["readout"]["size"] == job["network"]["readout"]["size"] == 2, info["spec"]

    decodes_in_a_served_session(ckpt, tmp_path)


def decodes_in_a_served_session(ckpt, tmp_path):
    """The trained checkpoint is a decoder the server accepts: a session created from it decodes."""
    import numpy as np
    from spikeloop_client import Client

    store = tmp_path / "serve-checkpoints"
    store.mkdir()
    (store / ckpt.name).write_bytes(ckpt.read_bytes())
    err = open(tmp_path / "serve.err", "w")
    proc = subprocess.Popen(
        ["java", "-jar", str(JAR), "serve", "--port", "0", "--metrics-port", "-1", "--duration", "120",
         "--exit-with-parent", "--checkpoints-dir", str(store), "--audit-log", str(tmp_path / "audit.log"),
         "--recordings-dir", str(tmp_path / "serve-recordings")],
        stdout=subprocess.PIPE, stderr=err, text=True, env=java_env())
    try:
        lines = []
        port = read_until(proc, r"spikeloop serve: grpc=127\.0\.0\.1:(\d+)", lines, 60).group(1)
        with Client(f"127.0.0.1:{port}") as client:
            s = client.create_session(channels=96, sample_rate_hz=1000, checkpoint=ckpt.name,
                                      live_edge={"decode_everything": True})  # a recorded block at once
            x = (np.random.default_rng(0).random((200, 96)) < 0.05).astype(np.float32)
            client.push_samples(s.id, x, time.monotonic() - (199 - np.arange(200)) / 1000.0)
            wait_for("200 decoded steps", lambda: client.statistics(s.id).steps >= 200, 30)
    finally:
        stop(proc)
