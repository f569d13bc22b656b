#!/usr/bin/env python3
"""Writes ops/k8s/base/prometheusrule.yaml: the alert and recording rules of rules/spikeloop.rules.yml wrapped in
a Prometheus Operator PrometheusRule, so a cluster gets the same rules the local Prometheus and the promtool
unit tests use. Run after editing the rules:  clients/python/.venv/bin/python ops/prometheus/build_prometheusrule.py
`--check` exits 1 when the committed file differs (used by clients/python/tests/test_ops.py). Needs PyYAML.
"""

import pathlib
import sys

import yaml

HERE = pathlib.Path(__file__).resolve().parent
RULES = HERE / "rules" / "spikeloop.rules.yml"
OUT = HERE.parent / "k8s" / "base" / "prometheusrule.yaml"


def render():
    groups = yaml.safe_load(RULES.read_text())["groups"]
    doc = {"apiVersion": "monitoring.coreos.com/v1", "kind": "PrometheusRule",
           "metadata": {"name": "spikeloop", "labels": {"app.kubernetes.io/name": "spikeloop"}},
           "spec": {"groups": groups}}
    header = ("# GENERATED from ops/prometheus/rules/spikeloop.rules.yml by ops/prometheus/build_prometheusrule.py;"
              " do not edit.\n")
    return header + yaml.safe_dump(doc, sort_keys=False, width=120, allow_unicode=True)


if __name__ == "__main__":
    text = render()
    if sys.argv[1:] == ["--check"]:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT} is out of date: run {pathlib.Path(__file__).name}", file=sys.stderr)
            sys.exit(1)
        sys.exit(0)
    OUT.write_text(text)
    print(f"wrote {OUT}")
