"""Forward equivalence: the Java kernel (via the ``spikeloop`` jar) against the independent NumPy
reference in ``spikeloop_client.reference_snn``, for every neuron model and layer type, weights
passed through ``.npz`` and ``spikeloop checkpoint import``; plus the npz round trip.

The jar comes from env SPIKELOOP_JAR (default <repo>/app/target/spikeloop.jar), run with
``java -jar``. Each network's weights are calibrated (with the reference) so that every spiking
population fires at a moderate rate; a silent or saturated network would prove nothing.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

from spikeloop_client import reference_snn
from spikeloop_client.reference_snn import neuron

REPO = Path(__file__).resolve().parents[3]
JAR = Path(os.environ.get("SPIKELOOP_JAR", REPO / "app" / "target" / "spikeloop.jar"))
STEPS = 300
RATE_LOW, RATE_HIGH = 0.04, 0.25
ATOL = 1e-9


# ---- running the jar ----


def spikeloop(*args, ok: bool = True) -> subprocess.CompletedProcess:
    if not JAR.is_file():
        pytest.fail(f"{JAR} not found: build it (mvn -B -q -pl app -am install -DskipTests)"
                    " or set SPIKELOOP_JAR")
    cmd = ["java", "-jar", str(JAR), *map(str, args)]
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if ok:
        assert r.returncode == 0, f"{' '.join(cmd[3:])} exited {r.returncode}:\n{r.stderr}"
    return r


def save_npz(path: Path, spec: dict, params: dict[str, np.ndarray], float32: tuple[str, ...] = ()) -> None:
    arrays = {
        name: np.ascontiguousarray(value, dtype=np.float32 if name in float32 else np.float64)
        for name, value in params.items()
    }
    arrays["__spec_json__"] = np.frombuffer(json.dumps(spec).encode("utf-8"), dtype=np.uint8)
    np.savez(path, **arrays)


# ---- networks ----


def layer(size: int, recurrent: bool, **neuron_fields) -> dict:
    return {"size": size, "recurrent": recurrent, "neuron": neuron(**neuron_fields)}


def leaky(size: int, tau_out_ms: float = 20.0) -> dict:
    return {"type": "leaky", "size": size, "tauOutMs": tau_out_ms, "neuron": neuron()}


def spike_count(size: int, **neuron_fields) -> dict:
    return {"type": "spike_count", "size": size, "tauOutMs": 20.0, "neuron": neuron(**neuron_fields)}


def net(inputs: int, layers: list, readout: dict, conv: dict | None = None, dt_ms: float = 1.0) -> dict:
    spec = {"dtMs": dt_ms, "inputs": inputs, "layers": layers, "readout": readout}
    if conv is not None:
        spec["conv"] = conv
    return spec


def conv(channels: int, kernel: int, stride: int, padding: int, **neuron_fields) -> dict:
    return {
        "outChannels": channels,
        "kernelSize": kernel,
        "stride": stride,
        "padding": padding,
        "neuron": neuron(**neuron_fields),
    }


TWO_C = "two_compartment"
CASES = {
    "lif_subtract": net(8, [layer(24, True)], leaky(3)),
    "lif_zero_offset_refractory": net(
        8, [layer(24, True, reset="zero", resetOffsetInit=0.1, refractorySteps=3)], leaky(3)
    ),
    "alif_subtract_refractory_dt05": net(
        8,
        [layer(24, True, model="alif", refractorySteps=2, tauAdaptMs=100.0, adaptBeta=0.5)],
        leaky(3, 15.0),
        dt_ms=0.5,
    ),
    "alif_zero": net(8, [layer(24, True, model="alif", reset="zero", resetOffsetInit=-0.1)], leaky(2)),
    "two_compartment": net(
        8, [layer(24, True, model=TWO_C, couplingGain=0.8, tauDendMs=8.0)], leaky(2)
    ),
    "two_compartment_dendritic_spikes": net(
        8,
        [
            layer(
                24,
                True,
                model=TWO_C,
                dendriticSpikes=True,
                dendriticThreshold=0.5,
                couplingGain=1.5,
                reset="zero",
                refractorySteps=2,
            )
        ],
        leaky(2),
    ),
    "stack_feedforward": net(
        10,
        [
            layer(20, False),
            layer(16, False, model="alif", adaptBeta=0.3),
            layer(12, False, model=TWO_C, dendriticSpikes=True, dendriticThreshold=0.4),
        ],
        leaky(2),
    ),
    "stack_recurrent_spike_count": net(
        10,
        [layer(20, True, model="alif"), layer(16, True, reset="zero", refractorySteps=1)],
        spike_count(4, refractorySteps=2),
    ),
    "conv_stride2_padding2": net(
        6, [layer(16, True, model="alif", adaptBeta=0.4)], leaky(2), conv=conv(6, 5, 2, 2)
    ),
    "conv_stride1_full_padding": net(
        6,
        [layer(16, True)],
        spike_count(3, model="alif", adaptBeta=0.2),
        conv=conv(5, 4, 1, 3, reset="zero", refractorySteps=2),
    ),
    "conv_stride3_no_padding": net(
        6,
        [layer(12, False), layer(12, True, model=TWO_C)],
        leaky(2),
        conv=conv(6, 3, 3, 0, model=TWO_C, dendriticSpikes=True, dendriticThreshold=0.3),
    ),
    "spike_count_two_compartment_readout": net(
        8,
        [layer(20, True)],
        spike_count(3, model=TWO_C, dendriticSpikes=True, dendriticThreshold=0.3, couplingGain=1.2),
    ),
}


# ---- parameters: random, then calibrated to moderate firing ----


def stages(spec: dict) -> list[tuple[str, str]]:
    """(weight to scale, spikes to watch) for each spiking population, bottom-up."""
    out = []
    if spec.get("conv") is not None:
        out.append(("conv.weight", "conv.spikes"))
    for l in range(len(spec["layers"])):
        out.append((f"layer{l}.w_in", f"layer{l}.spikes"))
    if spec["readout"]["type"] == "spike_count":
        out.append(("readout.w_out", "readout"))
    return out


def random_params(spec: dict, rng: np.random.Generator) -> dict[str, np.ndarray]:
    full = reference_snn.complete_spec(spec)
    neurons = {"conv": full["conv"]["neuron"] if full["conv"] else None, "readout": full["readout"]["neuron"]}
    for l, lay in enumerate(full["layers"]):
        neurons[f"layer{l}"] = lay["neuron"]
    params = {}
    for name, shape in reference_snn.parameter_shapes(spec).items():
        group, kind = name.split(".")
        n = neurons[group]
        # A dendrite amplifies a steady current by 1 / (1 - alpha_d): shrink bias and recurrence
        # so that the calibrated input, not self-excitation, sets the rate.
        damp = 1.0 - np.exp(-full["dtMs"] / n["tauDendMs"]) if n["model"] == TWO_C else 1.0
        if kind in ("weight", "w_in", "w_out"):
            fan_in = int(np.prod(shape[1:]))
            # A positive mean makes the firing rate grow with the calibrated gain.
            params[name] = (rng.standard_normal(shape) + 0.3) / np.sqrt(fan_in)
        elif kind == "w_rec":
            w = rng.standard_normal(shape) * 0.6 * damp / np.sqrt(shape[0])
            np.fill_diagonal(w, 0.0)
            params[name] = w
        elif kind == "bias":
            params[name] = rng.normal(0.0, 0.02 * damp, shape)
        elif kind == "threshold":
            params[name] = n["thresholdInit"] * rng.uniform(0.8, 1.2, shape)
        elif kind == "reset_offset":
            params[name] = n["resetOffsetInit"] + rng.uniform(-0.15, 0.15, shape)
        else:
            raise AssertionError(f"unexpected parameter {name}")
    return params


def calibrate(spec: dict, params: dict[str, np.ndarray], x: np.ndarray) -> dict[str, np.ndarray]:
    """Scales each population's input weights (bisection on a log gain) to a moderate rate."""
    params = copy.deepcopy(params)
    for weight, spikes in stages(spec):
        base = params[weight].copy()
        lo, hi = np.log(1e-2), np.log(1e3)
        for _ in range(40):
            mid = 0.5 * (lo + hi)
            params[weight] = base * np.exp(mid)
            rate = reference_snn.forward(spec, params, x)[spikes].mean()
            if rate < RATE_LOW:
                lo = mid
            elif rate > RATE_HIGH:
                hi = mid
            else:
                break
        else:
            pytest.fail(f"could not calibrate {weight}: last rate {rate:.3f}")
    return params


def inputs(spec: dict, rng: np.random.Generator) -> np.ndarray:
    if spec.get("conv") is not None:
        return rng.standard_normal((STEPS, spec["inputs"]))  # EEG-like continuous frames
    return (rng.random((STEPS, spec["inputs"])) < 0.2).astype(np.float64)  # Poisson spikes


def build(case: str):
    spec = CASES[case]
    rng = np.random.default_rng(sorted(CASES).index(case) + 1)
    x = inputs(spec, rng)
    params = calibrate(spec, random_params(spec, rng), x)
    return spec, params, x


# ---- checks on the reference itself: the case exercises what it claims ----


def assert_case_is_meaningful(spec: dict, params: dict, x: np.ndarray, ref: dict) -> None:
    for _, spikes in stages(spec):
        rate = ref[spikes].mean()
        assert RATE_LOW <= rate <= RATE_HIGH, f"{spikes} fires at {rate:.3f}"
    for name, gate in ref.items():
        if name.endswith(".gate"):
            assert 0.05 < gate.mean() < 0.95, f"{name} open {gate.mean():.3f} of the time"
    full = reference_snn.complete_spec(spec)
    populations = [full["conv"]] if full["conv"] else []
    populations += full["layers"] + [full["readout"]]
    if any(p["neuron"]["refractorySteps"] > 0 for p in populations):
        no_refractory = copy.deepcopy(full)
        for p in ([no_refractory["conv"]] if no_refractory["conv"] else []) + no_refractory["layers"] + [
            no_refractory["readout"]
        ]:
            p["neuron"]["refractorySteps"] = 0
        other = reference_snn.forward(no_refractory, params, x)
        assert any(
            not np.array_equal(other[k], ref[k]) for k in ref if k.endswith("spikes") or k == "readout"
        ), "the refractory period changes no spike: the case does not test it"


# ---- comparison ----


def expected_outputs(spec: dict) -> list[str]:
    names = ["readout"]
    if spec.get("conv") is not None:
        names.append("conv.spikes")
    for l in range(len(spec["layers"])):
        names += [f"layer{l}.spikes", f"layer{l}.v"]
    return names


def assert_same_run(java: dict, ref: dict, spec: dict) -> None:
    exact = {"conv.spikes", *[f"layer{l}.spikes" for l in range(len(spec["layers"]))]}
    if spec["readout"]["type"] == "spike_count":
        exact.add("readout")
    for name in expected_outputs(spec):
        assert name in java, f"forward output lacks {name}; has {sorted(java)}"
    # Outputs beyond the contract's minimum (e.g. conv.v) are compared too when both sides have them.
    for name in [n for n in sorted(java) if n in ref]:
        got, want = java[name], ref[name]
        assert got.dtype == np.float64, f"{name} is {got.dtype}, contract says float64"
        assert got.shape == want.shape, f"{name}: java {got.shape}, reference {want.shape}"
        if name in exact:
            bad = np.argwhere(got != want)
            if bad.size:
                t, j = bad[0]
                prefix = name.rsplit(".", 1)[0]
                v_name = prefix + ".v"
                v = ""
                if v_name in ref and v_name in java:
                    v = f"; java v={java[v_name][t, j]!r}, reference v={ref[v_name][t, j]!r}"
                pytest.fail(
                    f"{name}: {len(bad)} spikes differ; first at step {t}, neuron {j}: java {got[t, j]}, "
                    f"reference {want[t, j]}{v}"
                )
        else:
            err = np.abs(got - want)
            if err.max(initial=0.0) > ATOL:
                t, j = np.unravel_index(np.argmax(err), err.shape)
                first = np.argwhere(err > ATOL)[0]
                pytest.fail(
                    f"{name}: max |java - reference| = {err.max():.3e} at step {t}, unit {j}; first step "
                    f"over {ATOL:g} is {first[0]} (unit {first[1]}): java {got[tuple(first)]!r}, "
                    f"reference {want[tuple(first)]!r}"
                )


@pytest.mark.parametrize("case", sorted(CASES))
def test_reference_case_exercises_its_features(case):
    spec, params, x = build(case)
    assert_case_is_meaningful(spec, params, x, reference_snn.forward(spec, params, x))


@pytest.mark.parametrize("case", sorted(CASES))
def test_forward_matches_numpy_reference(case, tmp_path):
    spec, params, x = build(case)
    ref = reference_snn.forward(spec, params, x)
    assert_case_is_meaningful(spec, params, x, ref)
    weights, ck, x_npz, out = (tmp_path / n for n in ("w.npz", "net.ckpt", "x.npz", "out.npz"))
    save_npz(weights, spec, params)
    spikeloop("checkpoint", "import", "--params", weights, "--out", ck, "--creator", "pytest")
    np.savez(x_npz, x=x)

    spikeloop("forward", "--checkpoint", ck, "--data", x_npz, "--out", out, "--precision", "float64")

    with np.load(out) as z:
        java = {k: z[k] for k in z.files}
    assert_same_run(java, ref, spec)


# ---- npz interchange ----


def test_npz_round_trip_gives_identical_arrays(tmp_path):
    spec = CASES["conv_stride1_full_padding"]
    rng = np.random.default_rng(5)
    params = random_params(spec, rng)
    src, ck, out = tmp_path / "in.npz", tmp_path / "net.ckpt", tmp_path / "out.npz"
    save_npz(src, spec, params, float32=("layer0.w_in", "conv.bias"))

    spikeloop("checkpoint", "import", "--params", src, "--out", ck)
    spikeloop("checkpoint", "export", ck, "--out", out)

    with np.load(src) as a, np.load(out) as b:
        assert sorted(b.files) == sorted(a.files)
        for name in a.files:
            if name == "__spec_json__":
                continue
            assert b[name].dtype == np.float64, name
            assert b[name].shape == a[name].shape, name
            np.testing.assert_array_equal(b[name], a[name].astype(np.float64), err_msg=name)
        exported_spec = json.loads(b["__spec_json__"].tobytes().decode("utf-8"))
    assert exported_spec == reference_snn.complete_spec(spec)
    assert json.loads((tmp_path / "out.spec.json").read_text()) == exported_spec


def test_export_then_import_keeps_the_content_id(tmp_path):
    spec = CASES["stack_recurrent_spike_count"]
    params = random_params(spec, np.random.default_rng(9))
    src, a, b, mid = tmp_path / "in.npz", tmp_path / "a.ckpt", tmp_path / "b.ckpt", tmp_path / "mid.npz"
    save_npz(src, spec, params)
    spikeloop("checkpoint", "import", "--params", src, "--out", a)
    spikeloop("checkpoint", "export", a, "--out", mid)
    spikeloop("checkpoint", "import", "--params", mid, "--out", b)

    info_a = json.loads(spikeloop("checkpoint", "inspect", a, "--json").stdout)
    info_b = json.loads(spikeloop("checkpoint", "inspect", b, "--json").stdout)

    assert info_a["checksum"] == "ok"
    assert info_b["contentId"] == info_a["contentId"]
    norms = {p["name"]: p["norm"] for p in info_a["parameters"]}
    for name, value in params.items():
        assert norms[name] == pytest.approx(np.linalg.norm(value), rel=1e-12), name


def test_import_rejects_a_mis_shaped_array_with_one_clear_line(tmp_path):
    spec = CASES["lif_subtract"]
    params = random_params(spec, np.random.default_rng(1))
    params["layer0.w_rec"] = params["layer0.w_rec"][:, :-1]
    src, ck = tmp_path / "in.npz", tmp_path / "net.ckpt"
    save_npz(src, spec, params)

    r = spikeloop("checkpoint", "import", "--params", src, "--out", ck, ok=False)

    assert r.returncode == 2
    assert r.stderr.strip().splitlines() == [
        f"spikeloop checkpoint import: {src} does not match the spec: parameter layer0.w_rec has shape "
        "[24, 23], architecture needs [24, 24]"
    ]
    assert not ck.exists()


def test_import_rejects_a_non_finite_value(tmp_path):
    spec = CASES["lif_subtract"]
    params = random_params(spec, np.random.default_rng(1))
    params["readout.w_out"][1, 2] = np.nan
    src, ck = tmp_path / "in.npz", tmp_path / "net.ckpt"
    save_npz(src, spec, params)

    r = spikeloop("checkpoint", "import", "--params", src, "--out", ck, ok=False)

    assert r.returncode == 2
    assert "parameter readout.w_out has a non-finite value at flat index 26: NaN" in r.stderr
    assert not ck.exists()
