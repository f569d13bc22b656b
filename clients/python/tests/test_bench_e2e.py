"""`spikeloop bench e2e` as a user runs it, briefly, both ways the frames can leave the server: gRPC Watch streams and
the sessions' LSL outlets (`--watch-over lsl`), with external pylsl rigs and an external watcher. Checks what the
JSON says, not how fast: timing figures come from quiet-machine runs recorded in docs/benchmarks.md.
"""

import json

import pytest

from _spikeloop_jar import spikeloop

WINDOW_S = 3
RATE_HZ = 1000


def bench_e2e(watch_over, *more):
    r = spikeloop("bench", "e2e", "--sessions", "1", "--duration", WINDOW_S, "--warmup-s", "1",
                  "--watch-over", watch_over, "--json", *more, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = [line for line in r.stdout.splitlines() if line.startswith("{")]
    assert len(lines) == 1, r.stdout
    return json.loads(lines[0])


@pytest.mark.parametrize("watch_over", ["grpc", "lsl"])
def test_a_short_run_measures_each_frame_once_and_loses_no_sample(watch_over):
    # The gRPC run is also scraped as Prometheus would, twice a second.
    d = bench_e2e(watch_over, *(["--scrape-interval-s", "0.5"] if watch_over == "grpc" else []))
    assert d["watch_over"] == watch_over
    assert d["sessions_admitted"] == 1
    # Frames whose sample was stamped in the window, each once: at most one per sample pushed in it.
    assert 0 < d["frames_measured"] <= WINDOW_S * RATE_HZ + 2, d["frames_measured"]
    assert d["samples_lost"] == 0
    assert d["samples_dropped_ring_full"] == 0
    assert d["frames_dropped"] == 0
    assert 0 < d["p50_us"] <= d["p99_us"] <= d["max_us"]
    assert isinstance(d["deadline_misses"], int) and d["deadline_misses"] >= 0
    assert {"total", "engine", "delivery"} <= d["alloc_bytes_per_frame"].keys()
    hops = [d[f"hop_{h}_p99_us"] for h in ("lsl", "engine", "delivery")]
    if watch_over == "lsl":
        # An outlet sample carries only its stamp: no hops, no causes, and no gRPC watcher to pay for.
        assert hops == [None, None, None]
        assert d["misses_by_cause"] is None
        assert d["deadline_misses_by_second"] is None
    else:
        assert all(h > 0 for h in hops), hops
        assert set(d["misses_by_cause"]) == {"gc_pause", "engine_behind", "delivery"}
        assert d["scrape_interval_s"] == 0.5
        assert d["scrapes_in_window"] >= WINDOW_S, d  # every 0.5 s over a 3-s window
        assert d["scrape_failure"] is None
        assert d["scrape_bytes"] > 10_000 and 0 < d["scrape_ms_p50"] <= d["scrape_ms_max"]


def test_a_scrape_interval_out_of_range_is_one_line_and_exit_2():
    r = spikeloop("bench", "e2e", "--scrape-interval-s", "-1", "--json", timeout=120)
    assert r.returncode == 2, r
    assert r.stderr.strip().splitlines() == ["spikeloop bench e2e: --scrape-interval-s: 0 (none) to 3600, got -1.0"], \
        r.stderr


def test_a_watch_batch_interval_reaches_every_frame_in_fewer_messages():
    # --watch-batch-ms 20: the external watcher's WatchBatched gathers the 1-kHz rig's frames (one per
    # delivery pass) twenty to a message. Every frame is still measured once; what the server allocates
    # per frame to deliver them falls from the ~440 B of a message per frame (docs/benchmarks.md).
    d = bench_e2e("grpc", "--watch-batch-ms", "20")
    assert d["watch_rpc"] == "batched" and d["watch_batch_ms"] == 20
    assert 0 < d["frames_measured"] <= WINDOW_S * RATE_HZ + 2, d["frames_measured"]
    assert d["samples_lost"] == 0
    assert d["frames_dropped"] == 0
    assert 0 < d["p50_us"] <= d["p99_us"] <= d["max_us"]
    assert d["alloc_bytes_per_frame"]["delivery"] < 200, d["alloc_bytes_per_frame"]


@pytest.mark.parametrize("args, error", [
    (["--watch-batch-ms", "101"], "--watch-batch-ms: 0 (none) to 100, got 101"),
    (["--watch-rpc", "watch", "--watch-batch-ms", "20"],
     "--watch-batch-ms: only for a watcher that calls WatchBatched (--watch-rpc batched, --watch-over grpc),"
     " got --watch-rpc watch --watch-over grpc"),
])
def test_a_watch_batch_interval_out_of_range_or_without_watch_batched_is_one_line_and_exit_2(args, error):
    r = spikeloop("bench", "e2e", *args, "--json", timeout=120)
    assert r.returncode == 2, r
    assert r.stderr.strip().splitlines() == [f"spikeloop bench e2e: {error}"], r.stderr
