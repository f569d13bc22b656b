"""Operations (issue 9), validated offline: Prometheus config and rules (promtool check / test), the dashboard's
PromQL (every expression parsed by promtool), the Kubernetes overlays (rendered by kustomize, every object
checked for the fields ops/README.md lists), the Dockerfile against the launcher (ops/check-dockerfile.sh, and
that it fails on drift), the CronJob's training config (accepted by `spikeloop train`), and end to end: a real
Prometheus with the shipped scrape config scraping `spikeloop serve`, every metric the rules and the dashboard
use read back through its query API.

No test here skips: a missing tool fails with the command that installs it (.ci/run installs both).
"""

import configparser
import json
import os
import pathlib
import re
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request

import grpc
import numpy as np
import pytest
import yaml

from _spikeloop_jar import JAR, REPO, java_env

OPS = REPO / "ops"
PROM = OPS / "prometheus"
RULES = PROM / "rules" / "spikeloop.rules.yml"
DASHBOARD = OPS / "grafana" / "dashboards" / "spikeloop.json"
OVERLAYS = {"dev": {"namespace": "spikeloop-dev", "replicas": 1, "anti_affinity": "preferred"},
            "prod": {"namespace": "spikeloop", "replicas": 3, "anti_affinity": "required"}}
# Metrics that only exist in a cluster (kube-state-metrics), not on a local Spikeloop.
CLUSTER_ONLY = {"kube_job_status_failed"}

INSTALL = {
    "promtool": "install Debian's Prometheus: apt-get update && apt-get install -y prometheus",
    "prometheus": "install Debian's Prometheus: apt-get update && apt-get install -y prometheus",
    "kustomize": "install kustomize v5.5.0: go install sigs.k8s.io/kustomize/kustomize/v5@v5.5.0",
}


def tool(name):
    """Absolute path of a required tool, or a failure that says how to install it."""
    path = shutil.which(name)
    if path is None and name == "kustomize":
        gobin = [pathlib.Path.home() / "go" / "bin" / "kustomize"]
        if shutil.which("go"):
            gopath = subprocess.run(["go", "env", "GOPATH"], capture_output=True, text=True).stdout.strip()
            gobin.insert(0, pathlib.Path(gopath) / "bin" / "kustomize")
        path = next((str(p) for p in gobin if p.exists()), None)
    if path is None:
        pytest.fail(f"{name} not found on PATH: {INSTALL[name]}")
    return path


def run(cmd, **kw):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, **kw)


# ------------------------------------------------------------------ PromQL: metric names of an expression

_FUNCTION_OR_KEYWORD = {"by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or",
                        "unless", "offset", "inf", "nan"}


def metric_names(expr):
    """Metric names an expression selects (not functions, keywords, labels, durations or Grafana variables)."""
    e = re.sub(r'"(?:[^"\\]|\\.)*"', '""', expr)            # string literals
    e = re.sub(r"\{[^}]*\}", "", e)                           # label matchers
    e = re.sub(r"\[[^\]]*\]", "", e)                          # range and subquery durations
    e = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", "", e)
    names = set()
    for m in re.finditer(r"(?<![\w:.$])[A-Za-z_:][\w:]*", e):
        if e[m.end():].lstrip().startswith("(") or m.group(0).lower() in _FUNCTION_OR_KEYWORD:
            continue
        names.add(m.group(0))
    return names


def rules_doc():
    return yaml.safe_load(RULES.read_text())


def rule_exprs():
    return [r["expr"] for g in rules_doc()["groups"] for r in g["rules"]]


def recorded_names():
    return {r["record"] for g in rules_doc()["groups"] for r in g["rules"] if "record" in r}


def dashboard_panels():
    def walk(panels):
        for p in panels:
            yield p
            yield from walk(p.get("panels", []))
    return list(walk(json.loads(DASHBOARD.read_text())["panels"]))


def dashboard_exprs():
    return [t["expr"] for p in dashboard_panels() for t in p.get("targets", [])]


GRAFANA_VARS = {"$__rate_interval": "1m", "$__interval": "15s", "$__range": "1h", "$session": ".*",
                "$instance": ".*"}


def as_promql(expr):
    """A Grafana panel expression with its variables replaced by values Prometheus accepts."""
    for var, value in GRAFANA_VARS.items():
        expr = expr.replace("${" + var[1:] + "}", value).replace(var, value)
    assert "$" not in expr, f"unknown Grafana variable in {expr!r}"
    return expr


def used_metric_names():
    names = set()
    for e in rule_exprs():
        names |= metric_names(e)
    for e in dashboard_exprs():
        names |= metric_names(as_promql(e))
    return names - recorded_names()


def test_metric_name_extraction_finds_selectors_and_nothing_else():
    expr = ('histogram_quantile(0.99, sum by (session, le) (rate(a_bucket{s=~".*"}[5m]))) > 1e-5'
            ' and on (session) b_total / ignoring(decoder) (1.25 * c{decoder="live"}) > bool 2')
    assert metric_names(expr) == {"a_bucket", "b_total", "c"}
    assert metric_names("up{job=~\".*spikeloop.*\"} == 0") == {"up"}
    names = used_metric_names()
    assert {"spikeloop_e2e_latency_seconds_bucket", "spikeloop_deadline_misses_total", "jvm_gc_pause_seconds_sum",
            "spikeloop_shadow_squared_error", "disk_free_bytes"} <= names
    bad = {n for n in names if not re.match(r"^(spikeloop_|jvm_|disk_|kube_|up$)", n)}
    assert not bad, f"unexpected tokens taken for metric names: {bad}"


# ------------------------------------------------------------------ Prometheus

def test_prometheus_config_is_valid_and_loads_the_rules():
    r = run([tool("promtool"), "check", "config", PROM / "prometheus.yml"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "1 rule files found" in r.stdout, r.stdout
    cfg = yaml.safe_load((PROM / "prometheus.yml").read_text())
    targets = [t for sc in cfg["scrape_configs"] for s in sc["static_configs"] for t in s["targets"]]
    assert targets == ["127.0.0.1:9464"], targets


def test_rules_are_valid():
    r = run([tool("promtool"), "check", "rules", RULES])
    assert r.returncode == 0, r.stdout + r.stderr


def test_rule_unit_tests_pass():
    tests = sorted((PROM / "tests").glob("*.yml"))
    assert tests
    r = run([tool("promtool"), "test", "rules", *tests])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "SUCCESS" in r.stdout


REQUIRED_ALERTS = {
    "deadline misses": "SpikeloopDeadlineMisses",
    "end-to-end p99 above budget": "SpikeloopEndToEndLatencyHigh",
    "stalled streams": "SpikeloopStreamStalled",
    "lost samples": "SpikeloopSamplesLost",
    "decode error above the reference": "SpikeloopDecodeErrorAboveReference",
    "guard events": "SpikeloopGuardEvents",
    "rollbacks": "SpikeloopCheckpointRolledBack",
    "recording write errors": "SpikeloopRecordingWriteErrors",
    "low disk on the recording volume": "SpikeloopRecordingDiskLow",
    "training job failures": "SpikeloopTrainingJobFailed",
}


def test_every_alert_fires_in_one_unit_test_and_stays_silent_in_another():
    alerts = {r["alert"] for g in rules_doc()["groups"] for r in g["rules"] if "alert" in r}
    missing = {k: v for k, v in REQUIRED_ALERTS.items() if v not in alerts}
    assert not missing, f"required alerts missing: {missing}"
    fired, silent = set(), set()
    for f in (PROM / "tests").glob("*.yml"):
        for t in yaml.safe_load(f.read_text())["tests"]:
            for a in t.get("alert_rule_test", []):
                (fired if a.get("exp_alerts") else silent).add(a["alertname"])
    assert alerts - fired == set(), f"alerts never shown firing: {alerts - fired}"
    assert alerts - silent == set(), f"alerts never shown silent: {alerts - silent}"
    for g in rules_doc()["groups"]:
        for r in g["rules"]:
            if "alert" in r:
                assert r["labels"]["severity"] in {"critical", "warning", "info"}, r["alert"]
                assert {"summary", "description", "runbook"} <= set(r["annotations"]), r["alert"]


# ------------------------------------------------------------------ Grafana

def test_dashboard_json_is_what_its_generator_writes():
    r = run([sys.executable, OPS / "grafana" / "build_dashboard.py", "--check"])
    assert r.returncode == 0, r.stderr


def promtool_check_as_recording_rules(tmp_path, exprs):
    rules = {"groups": [{"name": "dashboard", "rules": [
        {"record": f"dashboard:expr_{i}", "expr": e} for i, e in enumerate(exprs)]}]}
    f = tmp_path / "dashboard.rules.yml"
    f.write_text(yaml.safe_dump(rules, sort_keys=False))
    return run([tool("promtool"), "check", "rules", f])


def test_every_dashboard_expression_parses(tmp_path):
    exprs = [as_promql(e) for e in dashboard_exprs()]
    assert len(exprs) >= 30
    r = promtool_check_as_recording_rules(tmp_path, exprs)
    assert r.returncode == 0, r.stdout + r.stderr
    assert f"SUCCESS: {len(exprs)} rules found" in r.stdout, r.stdout


def test_the_dashboard_parse_check_rejects_a_broken_expression(tmp_path):
    r = promtool_check_as_recording_rules(tmp_path, ["sum(rate(spikeloop_steps_total[5m])"])
    assert r.returncode != 0
    assert "parse error" in (r.stdout + r.stderr)


REQUIRED_PANELS = ["End-to-end latency quantiles", "Step latency quantiles", "End-to-end latency — $session",
                   "Step latency — $session", "Deadline misses", "Sample rate", "Spike rate", "Stream stalls",
                   "Learning updates", "Weight norm", "Shadow scores: live vs reference", "Promotions and rollbacks",
                   "GC pauses"]


def test_dashboard_has_the_required_panels_and_per_session_heatmaps():
    panels = dashboard_panels()
    titles = {p["title"] for p in panels}
    assert not set(REQUIRED_PANELS) - titles, set(REQUIRED_PANELS) - titles
    heatmaps = [p for p in panels if p["type"] == "heatmap"]
    assert len(heatmaps) == 2
    for h in heatmaps:
        assert h["repeat"] == "session"
        assert h["targets"][0]["format"] == "heatmap"
        assert "_bucket" in h["targets"][0]["expr"]
    for p in panels:
        if p["type"] != "row":
            assert p["datasource"]["uid"] == "${datasource}", p["title"]
            assert p["targets"], p["title"]
    ids = [p["id"] for p in panels]
    assert len(ids) == len(set(ids))
    variables = {v["name"] for v in json.loads(DASHBOARD.read_text())["templating"]["list"]}
    assert variables == {"datasource", "instance", "session"}


def test_prometheusrule_is_what_its_generator_writes():
    r = run([sys.executable, PROM / "build_prometheusrule.py", "--check"])
    assert r.returncode == 0, r.stderr


def test_grafana_provisioning_points_at_the_dashboard_and_prometheus():
    prov = yaml.safe_load((OPS / "grafana" / "provisioning" / "dashboards" / "spikeloop.yaml").read_text())
    assert prov["apiVersion"] == 1
    [provider] = prov["providers"]
    assert provider["type"] == "file" and provider["options"]["path"]
    ds = yaml.safe_load((OPS / "grafana" / "provisioning" / "datasources" / "prometheus.yaml").read_text())
    [d] = ds["datasources"]
    assert d["type"] == "prometheus" and d["url"] == "http://127.0.0.1:9090"
    scrape = yaml.safe_load((PROM / "prometheus.yml").read_text())["global"]["scrape_interval"]
    assert d["jsonData"]["timeInterval"] == scrape


# ------------------------------------------------------------------ Kubernetes

def render(overlay):
    r = run([tool("kustomize"), "build", OPS / "k8s" / "overlays" / overlay])
    assert r.returncode == 0, r.stderr
    return [d for d in yaml.safe_load_all(r.stdout) if d]


def one(objs, kind, name=None):
    found = [o for o in objs if o["kind"] == kind and (name is None or o["metadata"]["name"] == name)]
    assert len(found) == 1, f"expected one {kind} {name or ''}, found {[o['metadata']['name'] for o in found]}"
    return found[0]


def matches(selector, labels):
    return all(labels.get(k) == v for k, v in selector.items())


def guaranteed(container):
    res = container["resources"]
    assert res["requests"] == res["limits"], f"{container['name']}: requests != limits"
    cpu = str(res["limits"]["cpu"])
    assert re.fullmatch(r"[1-9][0-9]*", cpu), f"{container['name']}: CPU {cpu} is not whole cores"
    assert res["limits"]["memory"]


@pytest.mark.parametrize("overlay", sorted(OVERLAYS))
def test_overlay_renders_every_object_with_its_required_fields(overlay):
    want = OVERLAYS[overlay]
    objs = render(overlay)
    kinds = sorted({o["kind"] for o in objs})
    assert kinds == sorted({"ConfigMap", "CronJob", "NetworkPolicy", "PodDisruptionBudget", "PodMonitor",
                            "PrometheusRule", "Service", "StatefulSet"}), kinds
    for o in objs:
        assert o["metadata"]["namespace"] == want["namespace"], (o["kind"], o["metadata"]["name"])
        assert o["metadata"]["labels"]["app.kubernetes.io/name"] == "spikeloop", o["kind"]

    # StatefulSet: stable names, per-replica volumes, probes, guaranteed resources, anti-affinity, secrets.
    sts = one(objs, "StatefulSet", "spikeloop")
    spec, pod = sts["spec"], sts["spec"]["template"]["spec"]
    assert spec["replicas"] == want["replicas"]
    assert matches(spec["selector"]["matchLabels"], sts["spec"]["template"]["metadata"]["labels"])
    claims = {t["metadata"]["name"]: t["spec"] for t in spec["volumeClaimTemplates"]}
    assert set(claims) == {"recordings", "checkpoints"}
    for c in claims.values():
        assert c["accessModes"] == ["ReadWriteOnce"] and c["resources"]["requests"]["storage"]
    [c] = pod["containers"]
    assert not c["image"].endswith(":latest"), "overlay must pin the image"
    ports = {p["name"]: p["containerPort"] for p in c["ports"]}
    assert ports == {"grpc": 50051, "grpc-health": 50052, "metrics": 9464}
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert set(c[probe]) - {"periodSeconds", "failureThreshold", "timeoutSeconds"} == {"grpc"}, probe
        assert c[probe]["grpc"]["port"] == ports["grpc-health"], probe
        assert c[probe]["grpc"].get("service", "") == "", probe  # overall status of grpc.health.v1
    guaranteed(c)
    anti = pod["affinity"]["podAntiAffinity"]
    if want["anti_affinity"] == "required":
        [term] = anti["requiredDuringSchedulingIgnoredDuringExecution"]
    else:
        [weighted] = anti["preferredDuringSchedulingIgnoredDuringExecution"]
        term = weighted["podAffinityTerm"]
    assert term["topologyKey"] == "kubernetes.io/hostname"
    assert matches(term["labelSelector"]["matchLabels"], sts["spec"]["template"]["metadata"]["labels"])
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert c["securityContext"]["readOnlyRootFilesystem"] is True
    volumes = {v["name"]: v for v in pod["volumes"]}
    mounts = {m["name"]: m for m in c["volumeMounts"]}
    assert volumes["tls"]["secret"]["secretName"] == "spikeloop-tls"
    assert volumes["tokens"]["secret"]["secretName"] == "spikeloop-tokens"
    assert mounts["recordings"]["mountPath"] == "/var/lib/spikeloop/recordings"
    assert mounts["checkpoints"]["mountPath"] == "/var/lib/spikeloop/checkpoints"
    assert c["args"][0] == "serve" and "--replica-id=$(POD_NAME)" in c["args"]
    assert {e["name"]: e for e in c["env"]}["POD_NAME"]["valueFrom"]["fieldRef"]["fieldPath"] == "metadata.name"

    # The configuration the pod mounts matches its ports, mounts and secrets.
    config_name = volumes["config"]["configMap"]["name"]
    cm = one(objs, "ConfigMap", config_name)
    props = configparser.ConfigParser()
    props.read_string("[s]\n" + cm["data"]["spikeloop.properties"])
    p = props["s"]
    assert f"--config={mounts['config']['mountPath']}" in c["args"]
    assert int(p["grpc.port"]) == ports["grpc"] and int(p["health.port"]) == ports["grpc-health"]
    assert int(p["metrics.port"]) == ports["metrics"]
    assert p["tls.cert"].startswith(mounts["tls"]["mountPath"] + "/")
    assert p["tls.key"].startswith(mounts["tls"]["mountPath"] + "/")
    assert p["auth.tokensFile"].startswith(mounts["tokens"]["mountPath"] + "/")
    assert p["checkpoints.dir"] == mounts["checkpoints"]["mountPath"]
    assert p["recordings.dir"] == mounts["recordings"]["mountPath"]
    assert int(p["limits.maxSessions"]) >= 1

    # Headless Service giving each pod a DNS name.
    svc = one(objs, "Service", spec["serviceName"])
    assert svc["spec"]["clusterIP"] == "None"
    assert matches(svc["spec"]["selector"], sts["spec"]["template"]["metadata"]["labels"])
    assert {(q["name"], q["port"]) for q in svc["spec"]["ports"]} == {("grpc", 50051), ("metrics", 9464)}

    # NetworkPolicy: only gRPC and metrics in.
    np_ = one(objs, "NetworkPolicy")
    assert matches(np_["spec"]["podSelector"]["matchLabels"], sts["spec"]["template"]["metadata"]["labels"])
    assert np_["spec"]["policyTypes"] == ["Ingress"]
    allowed = {q["port"] for rule in np_["spec"]["ingress"] for q in rule["ports"]}
    assert allowed == {ports["grpc"], ports["metrics"]}

    # PodMonitor scraping the metrics port.
    pm = one(objs, "PodMonitor")
    assert pm["apiVersion"] == "monitoring.coreos.com/v1"
    assert matches(pm["spec"]["selector"]["matchLabels"], sts["spec"]["template"]["metadata"]["labels"])
    assert [e["port"] for e in pm["spec"]["podMetricsEndpoints"]] == ["metrics"]

    # The alert rules, exactly those promtool tests.
    assert one(objs, "PrometheusRule", "spikeloop")["spec"]["groups"] == rules_doc()["groups"]

    pdb = one(objs, "PodDisruptionBudget")
    assert matches(pdb["spec"]["selector"]["matchLabels"], sts["spec"]["template"]["metadata"]["labels"])

    # One training CronJob per replica, on that replica's node and volumes.
    cronjobs = sorted((o for o in objs if o["kind"] == "CronJob"), key=lambda o: o["metadata"]["name"])
    assert [o["metadata"]["name"] for o in cronjobs] == [f"spikeloop-train-{i}" for i in range(want["replicas"])]
    for i, cj in enumerate(cronjobs):
        replica = f"{sts['metadata']['name']}-{i}"
        assert cj["spec"]["concurrencyPolicy"] == "Forbid"
        jpod = cj["spec"]["jobTemplate"]["spec"]["template"]["spec"]
        assert jpod["restartPolicy"] == "Never"
        [tc] = jpod["containers"]
        assert tc["image"] == c["image"]
        assert tc["args"][0] == "train"
        guaranteed(tc)
        jvol = {v["name"]: v for v in jpod["volumes"]}
        jmnt = {m["name"]: m for m in tc["volumeMounts"]}
        assert jvol["recordings"]["persistentVolumeClaim"]["claimName"] == f"recordings-{replica}"
        assert jvol["checkpoints"]["persistentVolumeClaim"]["claimName"] == f"checkpoints-{replica}"
        assert jmnt["recordings"]["readOnly"] is True
        args = dict(a.split("=", 1) for a in tc["args"][1:] if "=" in a)
        assert args["--recordings-dir"] == jmnt["recordings"]["mountPath"] == mounts["recordings"]["mountPath"]
        assert jmnt["checkpoints"]["mountPath"] == mounts["checkpoints"]["mountPath"]
        # the server opens its registry at <checkpoints.dir>/registry (docs/server.md)
        assert args["--registry"] == mounts["checkpoints"]["mountPath"] + "/registry"
        assert args["--config"].startswith(jmnt["train-config"]["mountPath"] + "/")
        train_cm = one(objs, "ConfigMap", jvol["train-config"]["configMap"]["name"])
        assert pathlib.PurePosixPath(args["--config"]).name in train_cm["data"]
        [aff] = jpod["affinity"]["podAffinity"]["requiredDuringSchedulingIgnoredDuringExecution"]
        assert aff["topologyKey"] == "kubernetes.io/hostname"
        assert aff["labelSelector"]["matchLabels"] == {"statefulset.kubernetes.io/pod-name": replica}
    assert len({cj["spec"]["schedule"] for cj in cronjobs}) == len(cronjobs), "stagger the training jobs"


def test_the_training_cronjob_config_is_the_shipped_example():
    # the CronJob trains with the same config the walkthrough does (examples/jobs), measured in docs/jobs.md
    example = OPS.parent / "examples" / "jobs" / "intracortical-regression.json"
    assert (OPS / "k8s" / "base" / "train-job.json").read_text() == example.read_text()


def test_the_training_cronjob_config_is_accepted_by_spikeloop_train(tmp_path):
    assert JAR.exists(), f"build the jar first (mvn -B -q -DskipTests install): {JAR}"
    job = json.loads((OPS / "k8s" / "base" / "train-job.json").read_text())
    net = job["network"]
    rng = np.random.default_rng(0)
    np.savez(tmp_path / "d.npz", x=(rng.random((2, 20, net["inputs"])) < 0.05).astype(np.float64),
             y=rng.normal(0.0, 0.5, (2, 20, net["readout"]["size"])))
    r = run(["java", "-jar", JAR, "train", "--config", OPS / "k8s" / "base" / "train-job.json",
             "--data", tmp_path / "d.npz", "--out", tmp_path / "ck", "--no-progress"], env=java_env(), timeout=300)
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "ck").stat().st_size > 0


# ------------------------------------------------------------------ Dockerfile

def test_dockerfile_matches_the_launcher_and_its_entrypoint_help_runs():
    assert JAR.exists(), f"build the jar first (mvn -B -q -DskipTests install): {JAR}"
    r = run([OPS / "check-dockerfile.sh"])
    assert r.returncode == 0, r.stdout + r.stderr
    assert "java -jar app/target/spikeloop.jar --help lists serve and train" in r.stdout


DRIFTS = {
    "maven command": ("mvn -B -q -DskipTests install", "mvn -B -q -DskipTests package",
                      "build stage does not RUN the launcher's Maven command"),
    "entrypoint": ('ENTRYPOINT ["java", "-jar", "/opt/spikeloop/spikeloop.jar"]', 'ENTRYPOINT ["java", "-jar", "/app.jar"]',
                   "runtime ENTRYPOINT is"),
    "jar copied": ("/src/app/target/spikeloop.jar /opt/spikeloop/spikeloop.jar",
                   "/src/app/target/spikeloop-app.jar /opt/spikeloop/spikeloop.jar",
                   "runtime stage does not COPY --from=build"),
    "root user": ("USER 10001:10001", "USER root", "non-root USER"),
    "metrics port": ("EXPOSE 50051/tcp 50052/tcp 9464/tcp", "EXPOSE 50051/tcp 50052/tcp", "does not EXPOSE 9464"),
    "pylsl pin": ("ARG PYLSL_VERSION=1.18.6", "ARG PYLSL_VERSION=1.17.0", "differs from requirements.txt pin"),
    "recordings volume": ('"/var/lib/spikeloop/recordings", ', "", "does not declare VOLUME /var/lib/spikeloop/recordings"),
}


@pytest.mark.parametrize("drift", sorted(DRIFTS))
def test_dockerfile_check_fails_when_the_dockerfile_drifts(tmp_path, drift):
    old, new, message = DRIFTS[drift]
    text = (OPS / "docker" / "Dockerfile").read_text()
    assert text.count(old) == 1, f"fixture out of date: {old!r}"
    mutated = tmp_path / "Dockerfile"
    mutated.write_text(text.replace(old, new))
    r = run([OPS / "check-dockerfile.sh", "--static-only"], env={**os.environ, "DOCKERFILE": str(mutated)})
    assert r.returncode == 1, r.stdout + r.stderr
    assert message in r.stderr, r.stderr


# ------------------------------------------------------------------ end to end: spikeloop serve + Prometheus

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get_json(url, timeout=5.0):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.loads(r.read().decode())


def query(prom, expr):
    data = get_json(f"{prom}/api/v1/query?" + urllib.parse.urlencode({"query": expr}))
    assert data["status"] == "success", data
    return data["data"]["result"]


def wait_for(what, probe, timeout_s):
    deadline = time.monotonic() + timeout_s
    last = None
    while time.monotonic() < deadline:
        try:
            ok = probe()
            if ok:
                return ok
        except Exception as e:  # noqa: BLE001  (kept and reported if the wait times out)
            last = e
        time.sleep(0.5)
    raise AssertionError(f"timed out after {timeout_s} s waiting for {what} (last error: {last!r})")


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


SERVE_LINE = re.compile(r"spikeloop serve: grpc=([\d.]+):(\d+) .*metrics=(\S+)")


def start_serve(tmp, metrics_port):
    err = open(tmp / "serve.err", "w")
    proc = subprocess.Popen(
        ["java", "-jar", str(JAR), "serve", "--port", "0", "--metrics-port", str(metrics_port),
         "--duration", "300", "--exit-with-parent", "--audit-log", str(tmp / "audit.log"),
         "--checkpoints-dir", str(tmp / "ck"), "--recordings-dir", str(tmp / "recordings")],
        stdout=subprocess.PIPE, stderr=err, text=True, env=java_env())
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        line = proc.stdout.readline()
        if not line:
            break
        m = SERVE_LINE.search(line)
        if m:
            return proc, f"127.0.0.1:{m.group(2)}"
    stop(proc)
    raise AssertionError(f"spikeloop serve did not start:\n{(tmp / 'serve.err').read_text()}")


def shipped_scrape_config(tmp, metrics_port):
    """ops/prometheus/prometheus.yml with only its target port changed to the free one; rules alongside."""
    cfg = yaml.safe_load((PROM / "prometheus.yml").read_text())
    [sc] = cfg["scrape_configs"]
    [static] = sc["static_configs"]
    assert static["targets"] == ["127.0.0.1:9464"]
    static["targets"] = [f"127.0.0.1:{metrics_port}"]
    (tmp / "prom").mkdir()
    shutil.copytree(PROM / "rules", tmp / "prom" / "rules")
    path = tmp / "prom" / "prometheus.yml"
    path.write_text(yaml.safe_dump(cfg, sort_keys=False))
    r = run([tool("promtool"), "check", "config", path])
    assert r.returncode == 0, r.stdout + r.stderr
    return path


def feed(client, session_id, stop_event, errors):
    """Pushes 96-channel spike samples at about 1 kHz in 100-sample blocks until stopped."""
    rng = np.random.default_rng(1)
    try:
        while not stop_event.is_set():
            x = (rng.random((100, 96)) < 0.05).astype(np.float32)
            t = time.monotonic() - (99 - np.arange(100)) / 1000.0
            client.push_samples(session_id, x, t)
            stop_event.wait(0.1)
    except Exception as e:  # noqa: BLE001  (reported by the test)
        errors.append(e)


def drain(call, errors):
    """Reads decoded frames until the call is cancelled by the test."""
    try:
        for _ in call:
            pass
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.CANCELLED:
            errors.append(e)


def test_prometheus_scrapes_every_metric_the_rules_and_dashboard_use(tmp_path):
    assert JAR.exists(), f"build the jar first (mvn -B -q -DskipTests install): {JAR}"
    from spikeloop_client import Client  # generates the stubs on first use

    prometheus = tool("prometheus")
    metrics_port, prom_port = free_port(), free_port()
    config = shipped_scrape_config(tmp_path, metrics_port)
    serve, target = start_serve(tmp_path, metrics_port)
    prom_proc = None
    stop_event = threading.Event()
    threads, errors, call, client = [], [], None, None
    try:
        prom_proc = subprocess.Popen(
            [prometheus, f"--config.file={config}", f"--storage.tsdb.path={tmp_path / 'tsdb'}",
             f"--web.listen-address=127.0.0.1:{prom_port}"],
            stdout=subprocess.DEVNULL, stderr=open(tmp_path / "prometheus.err", "w"))
        prom = f"http://127.0.0.1:{prom_port}"
        wait_for("Prometheus ready", lambda: urllib.request.urlopen(f"{prom}/-/ready", timeout=2).status == 200, 60)

        client = Client(target)
        session = client.create_session(channels=96, sample_rate_hz=1000, hidden=64, outputs=2)
        call = client.open_watch(session.id)
        threads = [threading.Thread(target=feed, args=(client, session.id, stop_event, errors), daemon=True),
                   threading.Thread(target=drain, args=(call, errors), daemon=True)]
        for t in threads:
            t.start()

        wait_for("the target to be up", lambda: any(r["value"][1] == "1" for r in query(prom, 'up{job="spikeloop"}')), 60)
        # Two scrapes after the session exists, so rate() has data.
        wait_for("two samples of the session's steps",
                 lambda: query(prom, f'count_over_time(spikeloop_steps_total{{session="{session.id}"}}[1m]) >= 2'), 60)

        p99 = query(prom, 'histogram_quantile(0.99, sum by (le) (rate(spikeloop_step_latency_seconds_bucket'
                          f'{{session="{session.id}"}}[1m])))')
        assert p99 and 0 < float(p99[0]["value"][1]) < 1.0, p99
        rules = get_json(f"{prom}/api/v1/rules")["data"]["groups"]
        assert {g["name"] for g in rules} == {g["name"] for g in rules_doc()["groups"]}
        assert all(r["health"] != "err" for g in rules for r in g["rules"]), rules
        assert not errors, errors
        names = sorted(used_metric_names() - CLUSTER_ONLY)
        missing = [n for n in names if not query(prom, n)]
        assert not missing, (
            f"{len(missing)} of {len(names)} metrics used by ops/prometheus/rules and the Grafana dashboard have no "
            f"data in Prometheus scraping spikeloop serve: {missing} (names: ops/README.md)")

    finally:
        stop_event.set()
        if call is not None:
            call.cancel()
        for t in threads:
            t.join(timeout=10)
        if client is not None:
            client.close()
        if prom_proc is not None:
            stop(prom_proc)
        stop(serve)
