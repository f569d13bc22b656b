#!/usr/bin/env python3
"""Writes ops/grafana/dashboards/spikeloop.json, the provisioned Spikeloop dashboard.

The dashboard is generated so that every panel has the same shape and every PromQL expression is in one
readable place. Run after editing:  python3 ops/grafana/build_dashboard.py
`--check` exits 1 when the committed JSON differs from what this script generates (used by the tests).
Standard library only.
"""

import json
import pathlib
import sys

OUT = pathlib.Path(__file__).resolve().parent / "dashboards" / "spikeloop.json"
DS = {"type": "prometheus", "uid": "${datasource}"}
SEL = 'instance=~"$instance", session=~"$session"'  # per-session selector used by every session panel
RI = "$__rate_interval"


def target(expr, legend, ref, fmt=None):
    t = {"datasource": DS, "refId": ref, "expr": expr, "legendFormat": legend}
    if fmt:
        t["format"] = fmt
    return t


class Layout:
    """Places panels left to right, 24 grid units per row; rows are collapsible section headers."""

    def __init__(self):
        self.panels, self.y, self.x, self.row_h, self.next_id = [], 0, 0, 0, 1

    def _id(self):
        self.next_id += 1
        return self.next_id - 1

    def row(self, title):
        if self.x:
            self.y += self.row_h
        self.panels.append({"type": "row", "title": title, "id": self._id(), "collapsed": False,
                            "gridPos": {"h": 1, "w": 24, "x": 0, "y": self.y}, "panels": []})
        self.y, self.x, self.row_h = self.y + 1, 0, 0

    def add(self, panel, w=12, h=8):
        if self.x + w > 24:
            self.y, self.x, self.row_h = self.y + self.row_h, 0, 0
        panel["id"] = self._id()
        panel["gridPos"] = {"h": h, "w": w, "x": self.x, "y": self.y}
        panel["datasource"] = DS
        self.panels.append(panel)
        self.x, self.row_h = self.x + w, max(self.row_h, h)


def timeseries(title, desc, unit, *targets, stack=False, draw="line"):
    custom = {"drawStyle": draw, "lineWidth": 1, "fillOpacity": 10 if stack else 0, "showPoints": "never"}
    if stack:
        custom["stacking"] = {"mode": "normal", "group": "A"}
    return {"type": "timeseries", "title": title, "description": desc,
            "fieldConfig": {"defaults": {"unit": unit, "custom": custom}, "overrides": []},
            "options": {"legend": {"displayMode": "table", "placement": "bottom", "calcs": ["mean", "max"]},
                        "tooltip": {"mode": "multi", "sort": "desc"}},
            "targets": [target(e, l, chr(ord("A") + i)) for i, (e, l) in enumerate(targets)]}


def heatmap(title, desc, metric):
    """Latency heatmap of one session: repeated per selected session (Grafana's `repeat`)."""
    expr = f'sum by (le) (increase({metric}_bucket{{{SEL}}}[{RI}]))'
    return {"type": "heatmap", "title": f"{title} — $session", "description": desc,
            "repeat": "session", "repeatDirection": "h", "maxPerRow": 2,
            "options": {"calculate": False, "cellGap": 0, "color": {"mode": "scheme", "scheme": "Oranges"},
                        "yAxis": {"unit": "s"}, "rowsFrame": {"layout": "le"},
                        "tooltip": {"show": True, "yHistogram": True}},
            "fieldConfig": {"defaults": {}, "overrides": []},
            "targets": [target(expr, "{{le}}", "A", fmt="heatmap")]}


def quantiles(metric):
    return [(f'histogram_quantile({q}, sum by (session, le) (rate({metric}_bucket{{{SEL}}}[{RI}])))',
             f'{{{{session}}}} p{label}') for q, label in (("0.5", "50"), ("0.99", "99"), ("0.999", "99.9"))]


def variable(name, label, query, multi=True):
    return {"name": name, "label": label, "type": "query", "datasource": DS, "refresh": 2,
            "query": {"query": query, "refId": f"var-{name}"}, "definition": query,
            "multi": multi, "includeAll": True, "allValue": ".*", "sort": 1,
            "current": {"selected": True, "text": ["All"], "value": ["$__all"]}}


def build():
    L = Layout()
    L.row("Latency")
    L.add(timeseries("End-to-end latency quantiles", "Source time stamp to decoded frame published, per session "
                     "(budget: p99 <= 1 ms).", "s", *quantiles("spikeloop_e2e_latency_seconds")))
    L.add(timeseries("Step latency quantiles", "Engine compute time per decoder step, per session.", "s",
                     *quantiles("spikeloop_step_latency_seconds")))
    L.add(heatmap("End-to-end latency", "Distribution of source-to-frame latency.",
                  "spikeloop_e2e_latency_seconds"))
    L.add(heatmap("Step latency", "Distribution of engine compute time per step.",
                  "spikeloop_step_latency_seconds"))
    L.add(timeseries("Deadline misses", "Frames published later than arrival + dt (per second), and the ratio to "
                     "steps (budget 1e-5).", "short",
                     (f'sum by (session) (rate(spikeloop_deadline_misses_total{{{SEL}}}[{RI}]))', "{{session}} misses/s"),
                     (f'sum by (session) (rate(spikeloop_deadline_misses_total{{{SEL}}}[{RI}])) / '
                      f'sum by (session) (rate(spikeloop_steps_total{{{SEL}}}[{RI}]))', "{{session}} ratio")), w=24)

    L.row("Streams")
    L.add(timeseries("Sample rate", "Samples accepted, dropped (input ring full) and rejected as NaN/Inf.", "Hz",
                     (f'sum by (session) (rate(spikeloop_samples_in_total{{{SEL}}}[{RI}]))', "{{session}} in"),
                     (f'sum by (session) (rate(spikeloop_samples_dropped_total{{{SEL}}}[{RI}]))', "{{session}} dropped"),
                     (f'sum by (session) (rate(spikeloop_samples_non_finite_total{{{SEL}}}[{RI}]))',
                      "{{session}} non-finite"),
                     (f'sum by (session) (rate(spikeloop_steps_total{{{SEL}}}[{RI}]))', "{{session}} steps")))
    L.add(timeseries("Spike rate", "Mean hidden-neuron firing rate (gauge) and all hidden spikes per second.", "Hz",
                     (f'spikeloop_spike_rate_hertz{{{SEL}}}', "{{session}} per neuron"),
                     (f'sum by (session) (rate(spikeloop_spikes_total{{{SEL}}}[{RI}]))', "{{session}} total")))
    L.add(timeseries("Stream stalls", "Times a session's input went silent past its stall limit.", "short",
                     (f'sum by (session) (increase(spikeloop_stream_stalls_total{{{SEL}}}[{RI}]))', "{{session}}"),
                     draw="bars"))
    L.add(timeseries("Watchers and frames", "Frames delivered to watchers, frames lost by slow watchers, "
                     "watch streams.", "short",
                     (f'sum by (session) (rate(spikeloop_frames_sent_total{{{SEL}}}[{RI}]))', "{{session}} sent/s"),
                     (f'sum by (session) (rate(spikeloop_watcher_frames_dropped_total{{{SEL}}}[{RI}]))',
                      "{{session}} dropped/s"),
                     (f'spikeloop_watchers{{{SEL}}}', "{{session}} watchers")))

    L.row("Learning and governance")
    L.add(timeseries("Learning updates", "Weight updates applied by e-prop per second.", "short",
                     (f'sum by (session) (rate(spikeloop_learning_updates_total{{{SEL}}}[{RI}]))', "{{session}}")))
    L.add(timeseries("Weight norm", "Frobenius norm of the decoder weights.", "none",
                     (f'spikeloop_weight_norm{{{SEL}}}', "{{session}}")))
    L.add(timeseries("Shadow scores: live vs reference", "Squared error of the live (e-prop) decoder and of the "
                     "latest reference on recent labelled data; the live error is also shown as an EMA.", "none",
                     (f'spikeloop_shadow_squared_error{{{SEL}}}', "{{session}} {{decoder}}"),
                     (f'spikeloop_decode_squared_error{{{SEL}}}', "{{session}} live EMA")))
    L.add(timeseries("Guard events", "Learning guard events (bounded step, weight-norm limit, non-finite).", "short",
                     (f'sum by (session) (increase(spikeloop_guard_events_total{{{SEL}}}[{RI}]))', "{{session}}"),
                     draw="bars"))
    L.add(timeseries("Promotions and rollbacks", "Checkpoint promotions and rollbacks (who and why: audit log).",
                     "short",
                     (f'sum by (session) (increase(spikeloop_checkpoint_promotions_total{{{SEL}}}[{RI}]))',
                      "{{session}} promoted"),
                     (f'sum by (session) (increase(spikeloop_checkpoint_rollbacks_total{{{SEL}}}[{RI}]))',
                      "{{session}} rolled back"), draw="bars"))
    L.add(timeseries("Training jobs", "SG-BPTT jobs finished per hour, by outcome.", "short",
                     ('sum by (outcome) (increase(spikeloop_training_jobs_total{instance=~"$instance"}[1h]))',
                      "{{outcome}}")))

    L.row("Recording and storage")
    L.add(timeseries("Recording volume free", "Free fraction of the recording and checkpoint volumes.",
                     "percentunit",
                     ('disk_free_bytes{instance=~"$instance"} / disk_total_bytes{instance=~"$instance"}',
                      "{{instance}} {{volume}}")))
    L.add(timeseries("Recording write errors", "Failed XDF writes per session.", "short",
                     (f'sum by (session) (increase(spikeloop_recording_write_errors_total{{{SEL}}}[{RI}]))',
                      "{{session}}"), draw="bars"))

    L.row("JVM")
    L.add(timeseries("GC pauses", "Mean and longest stop-the-world GC pause per collector and cause.", "s",
                     ('sum by (instance, gc) (rate(jvm_gc_pause_seconds_sum{instance=~"$instance"}[$__rate_interval])) '
                      '/ sum by (instance, gc) (rate(jvm_gc_pause_seconds_count{instance=~"$instance"}[$__rate_interval]))',
                      "{{instance}} {{gc}} mean"),
                     ('max by (instance, gc) (jvm_gc_pause_seconds_max{instance=~"$instance"})', "{{instance}} {{gc}} max")))
    L.add(timeseries("GC time and heap", "Fraction of time in GC pauses, and heap in use.", "percentunit",
                     ('sum by (instance) (rate(jvm_gc_pause_seconds_sum{instance=~"$instance"}[$__rate_interval]))',
                      "{{instance}} GC time"),
                     ('sum by (instance) (jvm_memory_used_bytes{instance=~"$instance", area="heap"}) / '
                      'sum by (instance) (jvm_memory_max_bytes{instance=~"$instance", area="heap", id="G1 Old Gen"})',
                      "{{instance}} heap used / max")))

    return {
        "uid": "spikeloop-overview",
        "title": "Spikeloop",
        "description": "Real-time decoding, learning and governance of every Spikeloop session (ops/README.md).",
        "tags": ["spikeloop", "bci"],
        "editable": True,
        "graphTooltip": 1,
        "refresh": "10s",
        "schemaVersion": 39,
        "version": 1,
        "time": {"from": "now-30m", "to": "now"},
        "timepicker": {},
        "timezone": "browser",
        "annotations": {"list": []},
        "links": [],
        "templating": {"list": [
            {"name": "datasource", "label": "Prometheus", "type": "datasource", "query": "prometheus",
             "current": {}, "hide": 0, "refresh": 1},
            variable("instance", "Replica", "label_values(spikeloop_steps_total, instance)"),
            variable("session", "Session", 'label_values(spikeloop_steps_total{instance=~"$instance"}, session)'),
        ]},
        "panels": L.panels,
    }


def render():
    return json.dumps(build(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    text = render()
    if sys.argv[1:] == ["--check"]:
        if not OUT.exists() or OUT.read_text() != text:
            print(f"{OUT} is out of date: run python3 {pathlib.Path(__file__).name}", file=sys.stderr)
            sys.exit(1)
        sys.exit(0)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(text)
    print(f"wrote {OUT}")
