"""pylsl <-> Spikeloop over the real liblsl: values and time stamps unchanged, every channel format."""

import json
import time
import uuid
import zlib

import numpy as np
import pytest

from _spikeloop_jar import JAR, spikeloop, spikeloop_popen  # sets LSLAPICFG before pylsl loads

import pylsl  # noqa: E402

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")

FORMATS = ["float32", "double64", "int8", "int16", "int32", "int64", "string"]
CHANNELS = 3
SAMPLES = 60


def sample_data(fmt):
    rng = np.random.default_rng(zlib.crc32(fmt.encode()))  # the same data every run (hash() is salted)
    stamps = 5000.25 + np.arange(SAMPLES) / 250.0 + rng.uniform(0, 1e-4, SAMPLES)
    shape = (SAMPLES, CHANNELS)
    if fmt == "string":
        values = [[f"ev{s}-{c} \u00e9\u4e2d" if (s + c) % 7 else "" for c in range(CHANNELS)]
                  for s in range(SAMPLES)]
    elif fmt in ("float32", "double64"):
        dtype = np.float32 if fmt == "float32" else np.float64
        values = (rng.standard_normal(shape) * 1e3).astype(dtype)
    else:
        info = np.iinfo({"int8": np.int8, "int16": np.int16, "int32": np.int32, "int64": np.int64}[fmt])
        values = rng.integers(info.min, info.max, size=shape, dtype=info.dtype, endpoint=True)
    return stamps, values


def as_json_rows(fmt, values):
    if fmt == "string":
        return values
    if fmt in ("float32", "double64"):
        return [[float(v) for v in row] for row in values]
    return [[int(v) for v in row] for row in values]


def assert_same(fmt, got_rows, values):
    if fmt == "string":
        assert got_rows == values
    else:
        got = np.array(got_rows, dtype=np.float64 if fmt in ("float32", "double64") else np.int64)
        assert got.shape == values.shape
        assert np.array_equal(got.astype(values.dtype), values)
        if fmt != "float32":
            assert np.array_equal(got, values.astype(got.dtype))


@pytest.mark.parametrize("fmt", FORMATS)
def test_pylsl_outlet_to_spikeloop_inlet(fmt):
    name = f"py2sl-{fmt}-{uuid.uuid4()}"
    stamps, values = sample_data(fmt)
    info = pylsl.StreamInfo(name, "Interop", CHANNELS, 0 if fmt == "string" else 250, fmt, name)
    chans = info.desc().append_child("channels")
    for label in ("a", "b", "c"):
        chans.append_child("channel").append_child_value("label", label)
    outlet = pylsl.StreamOutlet(info)
    proc = spikeloop_popen("lsl", "pull", "--name", name, "--samples", SAMPLES, "--timeout-s", 90)
    try:
        if not outlet.wait_for_consumers(90):
            proc.kill()
            pytest.fail(f"Spikeloop inlet never connected: {proc.communicate()[1]}")
        data = values if fmt == "string" else values.tolist() if fmt == "int64" else values
        for s in range(0, SAMPLES, 7):
            chunk = data[s:s + 7]
            outlet.push_chunk(chunk if fmt == "string" else np.ascontiguousarray(chunk),
                              list(stamps[s:s + 7]))
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    got = json.loads(out)
    assert got["info"]["channel_format"] == fmt
    assert got["info"]["labels"] == ["a", "b", "c"]
    assert got["info"]["source_id"] == name
    assert np.array_equal(np.array(got["time_stamps"]), stamps)
    assert_same(fmt, got["time_series"], values)


@pytest.mark.parametrize("fmt", FORMATS)
def test_spikeloop_outlet_to_pylsl_inlet(fmt, tmp_path):
    name = f"sl2py-{fmt}-{uuid.uuid4()}"
    stamps, values = sample_data(fmt)
    src = tmp_path / "in.json"
    src.write_text(json.dumps({"time_stamps": list(map(float, stamps)),
                               "time_series": as_json_rows(fmt, values)}))
    proc = spikeloop_popen("lsl", "push", "--name", name, "--format", fmt, "--channels", CHANNELS,
                           "--rate-hz", 0 if fmt == "string" else 250, "--source-id", name,
                           "--channel-labels", "x,y,z", "--data", src, "--chunk-samples", 9, "--linger-s", 60)
    try:
        found = pylsl.resolve_byprop("name", name, 1, 90)
        if not found:
            proc.kill()
            pytest.fail(f"Spikeloop outlet not found by pylsl: {proc.communicate()[1]}")
        inlet = pylsl.StreamInlet(found[0])
        full = inlet.info(10)
        ch = full.desc().child("channels").child("channel")
        labels = []
        while not ch.empty():
            labels.append(ch.child_value("label"))
            ch = ch.next_sibling()
        assert labels == ["x", "y", "z"]
        assert full.source_id() == name
        inlet.open_stream(10)
        rows, ts = [], []
        deadline = time.monotonic() + 90
        while len(ts) < SAMPLES and time.monotonic() < deadline:
            chunk, t = inlet.pull_chunk(timeout=1.0, max_samples=SAMPLES - len(ts))
            rows.extend(chunk if fmt == "string" else np.asarray(chunk).tolist())
            ts.extend(t)
        assert len(ts) == SAMPLES, f"received {len(ts)} of {SAMPLES} samples"
        inlet.close_stream()
        del inlet  # the outlet lingers until its consumer leaves
        out, err = proc.communicate(timeout=120)
    finally:
        proc.kill()
    assert proc.returncode == 0, err
    assert np.array_equal(np.array(ts), stamps)
    if fmt == "string":
        assert rows == values
    else:
        got = np.array(rows, dtype=values.dtype)
        assert np.array_equal(got, values)
