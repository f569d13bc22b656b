"""NIR import and export against the real peers (issue 19): snnTorch 1.0.0 and the reference `nir` 1.0.8 package,
which run in a second virtualenv (clients/python/.venv-nir, made by setup-nir-venv.sh on top of Debian's CPU
python3-torch) through tests/nir_peer.py; files are the only channel between the two sides.

- snnTorch -> NIR -> Spikeloop: a recurrent LIF network trained briefly in snnTorch and exported with its
  export_to_nir gives, after `spikeloop checkpoint import`, the same hidden spikes, membranes and readout as
  snnTorch's own forward (float64 within 1e-6, float32 within 1e-4), and served in a session over LSL the outputs
  of the offline forward; a Synaptic (CubaLIF) layer imports as a two-compartment layer with the same outputs.
- Spikeloop -> NIR -> snnTorch: a reset-to-zero LIF checkpoint exported with `checkpoint export --nir` loads with
  nir.read and, imported with snnTorch's import_from_nir, gives Spikeloop's outputs; a recurrent one, built into
  snnTorch by hand from what nir.read returns (import_from_nir fails on recurrent graphs with nirtorch 2.6 and
  torch 1.13), too.
- What NIR cannot express is refused with the spec field named, one line, exit 2, and no file written.
"""

import json
import subprocess
import time
import uuid

import numpy as np
import pytest

from _spikeloop_jar import JAR, REPO, spikeloop
from test_server_e2e import start_server

import pylsl

from spikeloop_client import Client

pytestmark = pytest.mark.skipif(not JAR.exists(), reason=f"build the jar first: {JAR}")

CLIENT = REPO / "clients" / "python"
PEER = CLIENT / "tests" / "nir_peer.py"
SNNTORCH_DT_S = "1e-4"  # the dt snnTorch 1.0's export_to_nir and import_from_nir discretise with


@pytest.fixture(scope="module")
def nir_python():
    """The NIR virtualenv's interpreter (created on first use; the script installs python3-torch if missing)."""
    subprocess.run([str(CLIENT / "setup-nir-venv.sh")], check=True)
    return CLIENT / ".venv-nir" / "bin" / "python"


def peer(nir_python, *args):
    r = subprocess.run([str(nir_python), str(PEER), *map(str, args)], capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return r.stdout


def ok(*args):
    r = spikeloop(*args, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout


def forward(ck, x_file, out, precision):
    ok("forward", "--checkpoint", ck, "--data", x_file, "--out", out, "--precision", precision)
    return np.load(out)


@pytest.fixture(scope="module")
def snntorch_model(nir_python, tmp_path_factory):
    d = tmp_path_factory.mktemp("snntorch")
    peer(nir_python, "train-export", d)
    return d


def test_snntorch_recurrent_lif_imports_and_forwards_like_snntorch(snntorch_model, tmp_path):
    d = snntorch_model
    ref = np.load(d / "snntorch.npz")
    assert 0.05 < ref["spikes"].mean() < 0.5 and ref["readout"].mean(axis=0).min() > 0  # every output spikes
    out = ok("checkpoint", "import", d / "model.nir", "--dt-s", SNNTORCH_DT_S, "--out", tmp_path / "m.ckpt")
    assert out.split()[0] == str(tmp_path / "m.ckpt")
    inspect = json.loads(ok("checkpoint", "inspect", tmp_path / "m.ckpt", "--json"))
    layer = inspect["spec"]["layers"][0]
    assert layer["recurrent"] and layer["neuron"]["reset"].lower() == "zero"
    assert inspect["spec"]["readout"]["type"].lower() == "spike_count"

    f64 = forward(tmp_path / "m.ckpt", d / "x.npz", tmp_path / "f64.npz", "float64")
    s, v = f64["layer0.spikes"], f64["layer0.v"]
    np.testing.assert_allclose(s, ref["spikes"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(f64["readout"], ref["readout"], rtol=0, atol=1e-6)
    # snnTorch (reset_delay=False) holds the membrane after its reset; Spikeloop's v is before it.
    np.testing.assert_allclose((1 - s) * v, ref["mem"], rtol=0, atol=1e-6)

    f32 = forward(tmp_path / "m.ckpt", d / "x.npz", tmp_path / "f32.npz", "float32")
    s32 = f32["layer0.spikes"]
    np.testing.assert_allclose(s32, ref["spikes32"], rtol=0, atol=1e-4)
    np.testing.assert_allclose(f32["readout"], ref["readout32"], rtol=0, atol=1e-4)
    np.testing.assert_allclose((1 - s32) * f32["layer0.v"], ref["mem32"], rtol=0, atol=1e-4)


def test_snntorch_synaptic_imports_as_a_two_compartment_layer_and_forwards_like_snntorch(nir_python, tmp_path):
    peer(nir_python, "cuba-export", tmp_path)
    ref = np.load(tmp_path / "snntorch.npz")
    assert 0.05 < ref["spikes"].mean() < 0.5 and ref["readout"].mean(axis=0).min() > 0
    ok("checkpoint", "import", tmp_path / "cuba.nir", "--dt-s", SNNTORCH_DT_S, "--out", tmp_path / "c.ckpt")
    neuron = json.loads(ok("checkpoint", "inspect", tmp_path / "c.ckpt", "--json"))["spec"]["layers"][0]["neuron"]
    assert neuron["model"].lower() == "two_compartment" and not neuron["dendriticSpikes"]
    f64 = forward(tmp_path / "c.ckpt", tmp_path / "x.npz", tmp_path / "f64.npz", "float64")
    s = f64["layer0.spikes"]
    np.testing.assert_allclose(s, ref["spikes"], rtol=0, atol=1e-6)
    np.testing.assert_allclose(f64["readout"], ref["readout"], rtol=0, atol=1e-6)
    np.testing.assert_allclose((1 - s) * f64["layer0.v"], ref["mem"], rtol=0, atol=1e-6)


def test_without_dt_the_snntorch_file_is_refused_naming_the_option(snntorch_model, tmp_path):
    r = spikeloop("checkpoint", "import", snntorch_model / "model.nir", "--out", tmp_path / "m.ckpt")
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        f"spikeloop checkpoint import: {snntorch_model / 'model.nir'}: the file does not say its time step (no"
        " metadata 'dt' on the graph); pass --dt-s SECONDS, the step its time constants were computed with"
        " (snnTorch 1.0 exports with 1e-4)"]
    assert not (tmp_path / "m.ckpt").exists()


@pytest.fixture
def server(tmp_path):
    """A server that allows LSL outlets (lsl.outlets=true; off by default: an outlet's data port listens on
    every interface): the test reads the session's outputs from its outlet."""
    cfg = tmp_path / "outlets.properties"
    cfg.write_text("lsl.outlets=true\n")
    s = start_server(tmp_path, "--config", cfg)
    yield s
    assert s.stop() == 0, (tmp_path / "server.err").read_text()


def test_the_imported_snntorch_model_served_over_lsl_outputs_the_offline_forward(snntorch_model, server, tmp_path):
    d = snntorch_model
    registry = server.tmp / "ck" / "registry"
    out = ok("checkpoint", "import", d / "model.nir", "--dt-s", SNNTORCH_DT_S, "--registry", registry,
             "--creator", "lab", "--notes", "from snnTorch")
    [line] = out.splitlines()
    assert line.startswith(f"registry {registry} ")
    rid = line.split()[-1]
    index = json.loads((registry / "index.json").read_text())
    [entry] = [e for e in index["entries"] if e["id"] == rid]
    assert (entry["kind"], entry["creator"], entry["reason"]) == ("import", "lab", "from snnTorch")

    x = np.load(d / "x.npz")["x"]
    rate = 10_000.0  # one sample per step of 0.1 ms (dt 1e-4 s)
    name = f"nir-in-{uuid.uuid4().hex[:8]}"
    out_name = f"nir-out-{uuid.uuid4().hex[:8]}"
    inlet_stream = pylsl.StreamOutlet(pylsl.StreamInfo(name, "Spikes", x.shape[1], rate, "float32", f"{name}-src"))
    with Client(server.target) as c:
        s = c.create_session(channels=x.shape[1], sample_rate_hz=rate, registry_id=rid, outputs=3,
                             lsl_stream=name, lsl_outlet={"name": out_name, "type": "Decoded",
                                                          "source_id": f"{out_name}-src"})
        [info] = pylsl.resolve_byprop("name", out_name, 1, 5.0)
        decoded = pylsl.StreamInlet(info, max_buflen=60)
        decoded.open_stream(5.0)
        end = time.time() + 10
        while not inlet_stream.have_consumers() and time.time() < end:
            time.sleep(0.05)
        assert inlet_stream.have_consumers()
        time.sleep(0.5)
        now = pylsl.local_clock()
        inlet_stream.push_chunk(x.astype(np.float32).tolist(), now)
        values = []
        end = time.time() + 20
        while len(values) < len(x) and time.time() < end:
            chunk, _ = decoded.pull_chunk(timeout=0.2)
            values.extend(chunk)
        c.stop_session(s.id)
    assert len(values) == len(x)
    # The session runs the float32 kernel: its frames are the offline float32 forward of the registered file.
    offline = forward(registry / "checkpoints" / f"{rid}.ckpt", d / "x.npz", tmp_path / "f32.npz", "float32")
    np.testing.assert_array_equal(np.array(values, dtype=np.float64), offline["readout"])
    np.testing.assert_array_equal(offline["readout"], np.load(d / "snntorch.npz")["readout32"])


# ---- Spikeloop -> NIR ----

def spec(layer_neuron, readout_neuron, recurrent, dt_ms=1.0):
    return {"dtMs": dt_ms, "inputs": 5,
            "layers": [{"size": 8, "recurrent": recurrent, "neuron": layer_neuron}],
            "readout": {"type": "spike_count", "size": 3, "neuron": readout_neuron}}


ZERO_LIF = {"model": "lif", "tauMemMs": 20.0, "reset": "zero"}


def float32_exact_checkpoint(tmp_path, s, seed=4):
    """A checkpoint whose weights are float32 numbers (snnTorch's importer holds float32 weights), zero reset
    offsets and thresholds of 1, imported from an .npz."""
    rng = np.random.default_rng(seed)
    h, n_in, o = 8, 5, 3
    f = lambda *shape, scale=1.0: (rng.standard_normal(shape) * scale).astype(np.float32).astype(np.float64)
    params = {"layer0.w_in": f(h, n_in, scale=1.2), "layer0.bias": f(h, scale=0.1),
              "layer0.threshold": np.ones(h), "layer0.reset_offset": np.zeros(h),
              "readout.w_out": f(o, h, scale=1.5), "readout.bias": f(o, scale=0.1),
              "readout.threshold": np.ones(o), "readout.reset_offset": np.zeros(o)}
    if s["layers"][0]["recurrent"]:
        w = f(h, h, scale=0.4)
        np.fill_diagonal(w, 0.0)
        params["layer0.w_rec"] = w
    np.savez(tmp_path / "p.npz", **params,
             __spec_json__=np.frombuffer(json.dumps(s).encode(), dtype=np.uint8))
    ok("checkpoint", "import", "--params", tmp_path / "p.npz", "--out", tmp_path / "sl.ckpt")
    x = (rng.random((200, n_in)) < 0.3).astype(np.float64)
    np.savez(tmp_path / "x.npz", x=x)
    return tmp_path / "sl.ckpt"


@pytest.mark.parametrize("recurrent", [False, True], ids=["feed-forward", "recurrent"])
def test_a_zero_reset_lif_checkpoint_exports_to_nir_and_snntorch_gives_its_outputs(nir_python, tmp_path, recurrent):
    ck = float32_exact_checkpoint(tmp_path, spec(ZERO_LIF, ZERO_LIF, recurrent))
    ok("checkpoint", "export", ck, "--nir", tmp_path / "m.nir", "--dt-s", SNNTORCH_DT_S)
    described = json.loads(peer(nir_python, "describe", tmp_path / "m.nir"))
    expected = {"input": "Input", "fc0": "Affine", "lif0": "LIF", "fc_out": "Affine", "lif_out": "LIF",
                "output": "Output"}
    if recurrent:
        expected["rec0"] = "Linear"
    assert described["types"] == expected
    assert described["metadata"]["dt"] == pytest.approx(1e-4, rel=0, abs=0)
    if recurrent:
        assert ["lif0", "rec0"] in described["edges"] and ["rec0", "lif0"] in described["edges"]

    mine = forward(ck, tmp_path / "x.npz", tmp_path / "f64.npz", "float64")
    assert 0.05 < mine["layer0.spikes"].mean() < 0.6 and mine["readout"].sum(axis=0).min() > 0
    peer(nir_python, "rleaky-run" if recurrent else "import-run", tmp_path / "m.nir", tmp_path / "x.npz",
         tmp_path / "snntorch.npz")
    theirs = np.load(tmp_path / "snntorch.npz")
    np.testing.assert_allclose(theirs["readout"], mine["readout"], rtol=0, atol=1e-6)
    if recurrent:
        np.testing.assert_allclose(theirs["spikes"], mine["layer0.spikes"], rtol=0, atol=1e-6)
    mine32 = forward(ck, tmp_path / "x.npz", tmp_path / "f32.npz", "float32")
    np.testing.assert_allclose(theirs["readout32" if not recurrent else "readout"], mine32["readout"],
                               rtol=0, atol=1e-4)


def test_an_export_reimports_to_the_same_content_id(tmp_path):
    s = spec(ZERO_LIF, ZERO_LIF, True)
    s["readout"] = {"type": "leaky", "size": 3, "tauOutMs": 30.0}
    (tmp_path / "s.json").write_text(json.dumps(s))
    first = ok("checkpoint", "init", "--spec", tmp_path / "s.json", "--seed", 3, "--out", tmp_path / "a.ckpt")
    ok("checkpoint", "export", tmp_path / "a.ckpt", "--nir", tmp_path / "a.nir")
    again = ok("checkpoint", "import", tmp_path / "a.nir", "--out", tmp_path / "b.ckpt")  # dt from the metadata
    assert first.split()[1] == again.split()[1]


REFUSED = [
    ("subtractive reset", {"model": "lif", "reset": "subtract"},
     "layers[0].neuron.reset: SUBTRACT keeps the overshoot after a spike; NIR's neurons reset to v_reset (only a"
     " reset-to-zero network, ZERO, exports)"),
    ("ALIF", {"model": "alif", "reset": "zero"},
     "layers[0].neuron.model: ALIF's adaptive threshold (tauAdaptMs, adaptBeta) has no NIR node"),
    ("refractoriness", {"model": "lif", "reset": "zero", "refractorySteps": 3},
     "layers[0].neuron.refractorySteps: 3 steps of refractoriness; NIR's neurons have no refractory period"),
    ("two compartments", {"model": "two_compartment", "reset": "zero", "dendriticSpikes": True},
     "layers[0].neuron.dendriticSpikes: a dendritic spike gating the soma has no NIR node (a two-compartment"
     " neuron without it exports as CubaLIF)"),
]


@pytest.mark.parametrize("neuron,message", [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_what_nir_cannot_express_is_refused_naming_the_field(tmp_path, neuron, message):
    (tmp_path / "s.json").write_text(json.dumps(spec(neuron, ZERO_LIF, True)))
    ok("checkpoint", "init", "--spec", tmp_path / "s.json", "--seed", 1, "--out", tmp_path / "a.ckpt")
    r = spikeloop("checkpoint", "export", tmp_path / "a.ckpt", "--nir", tmp_path / "a.nir", timeout=120)
    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        f"spikeloop checkpoint export: {tmp_path / 'a.ckpt'} cannot be written as NIR: {message}"]
    assert not (tmp_path / "a.nir").exists()
