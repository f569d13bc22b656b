"""Gradient equivalence: `spikeloop grad` (Java SG-BPTT) against jax.grad of an independent JAX
forward pass (snn_jax_reference.py), float64, relative error <= 1e-5 per parameter, for random
small networks covering every neuron model, surrogate, layer type, loss and regulariser; and the
issue's float32 figure: JAX run entirely in float32 against Java (float64 arithmetic) on the same
float32-rounded parameters, inputs and targets, relative error <= 1e-3 per parameter."""
import json
import os
import shlex
import subprocess
from pathlib import Path

import numpy as np
import pytest

jax = pytest.importorskip("jax")
jax.config.update("jax_enable_x64", True)
import jax.numpy as jnp  # noqa: E402

from snn_jax_reference import loss_and_grad, populations  # noqa: E402

HOME = Path(__file__).resolve().parents[3]
REL_TOL = 1e-5
REL_TOL_F32 = 1e-3


def grad_command():
    if os.environ.get("SPIKELOOP_GRAD_CMD"):
        return shlex.split(os.environ["SPIKELOOP_GRAD_CMD"])
    jar = os.environ.get("SPIKELOOP_JAR", str(HOME / "app" / "target" / "spikeloop.jar"))
    return ["java", "-jar", jar, "grad"]


def sg(name, scale, gain):
    return dict(name=name, scale=scale, gain=gain)


def init_params(net, rng, in_gain=1.5):
    """Random parameters for the network (numpy float64), thresholds/offsets jittered."""
    p = {}
    inputs = net["inputs"]
    prev = inputs
    if net.get("conv"):
        c = net["conv"]
        p["conv.weight"] = rng.normal(0, in_gain / np.sqrt(inputs * c["kernelSize"]),
                                      (c["outChannels"], inputs, c["kernelSize"]))
        prev = c["outChannels"]
    for l, layer in enumerate(net["layers"]):
        h = layer["size"]
        p[f"layer{l}.w_in"] = rng.normal(0, in_gain / np.sqrt(prev), (h, prev))
        if layer.get("recurrent", True):
            w = rng.normal(0, 1.0 / np.sqrt(h), (h, h))
            np.fill_diagonal(w, 0.0)
            p[f"layer{l}.w_rec"] = w
        prev = h
    o = net["readout"]["size"]
    p["readout.w_out"] = rng.normal(0, 1.5 / np.sqrt(prev), (o, prev))
    p["readout.bias"] = rng.normal(0, 0.1, o)
    for pop in populations(net):
        name, cfg, _, _, _, _, bname, thname, dname = pop
        n = p[pop[4]].shape[0]
        p[bname] = rng.normal(0.05, 0.05, n)
        p[thname] = cfg["thresholdInit"] * rng.uniform(0.8, 1.2, n)
        p[dname] = rng.normal(0.0, 0.1, n)
    return p


def poisson(rng, B, T, C, rate=0.2):
    return (rng.random((B, T, C)) < rate).astype(np.float64)


CASES = {}


def case(fn):
    CASES[fn.__name__] = fn
    return fn


@case
def lif_recurrent_subtract_triangle_mse_spikecount(rng):
    net = dict(dtMs=1.0, inputs=6, layers=[dict(size=10, recurrent=True, neuron=dict(
        model="lif", tauMemMs=10.0, thresholdInit=0.6,
        surrogate=sg("triangle", 0.8, 0.3)))], readout=dict(type="leaky", size=2, tauOutMs=8.0))
    B, T = 3, 40
    x = poisson(rng, B, T, 6, 0.3)
    tg = dict(y=rng.normal(0, 0.5, (B, T, 2)))
    cfg = dict(network=net, loss=dict(name="readout_mse"),
               regularisers=[dict(name="spike_count", weight=1e-3)])
    return cfg, x, tg


@case
def alif_zero_reset_sigmoid_membrane_target_rate(rng):
    net = dict(dtMs=1.0, inputs=5, layers=[dict(size=9, recurrent=True, neuron=dict(
        model="alif", tauMemMs=15.0, thresholdInit=0.5, reset="zero", resetOffsetInit=0.05,
        tauAdaptMs=30.0, adaptBeta=0.4, surrogate=sg("sigmoid", 4.0, 1.0)))],
        readout=dict(type="leaky", size=2))
    B, T = 3, 35
    x = poisson(rng, B, T, 5, 0.3)
    cfg = dict(network=net, loss=dict(name="membrane_target", population="layer0", target=0.2),
               regularisers=[dict(name="rate_target", weight=1e-4, targetHz=40.0)])
    return cfg, x, {}


@case
def two_compartment_dendritic_spikes_refractory_mse_membrane(rng):
    net = dict(dtMs=1.0, inputs=6, layers=[dict(size=8, recurrent=True, neuron=dict(
        model="two_compartment", tauMemMs=12.0, thresholdInit=0.5, refractorySteps=2,
        tauDendMs=6.0, couplingGain=0.8, dendriticSpikes=True, dendriticThreshold=0.3,
        surrogate=sg("fast_sigmoid", 5.0, 1.0),
        dendriticSurrogate=sg("arctan", 2.0, 1.0)))], readout=dict(type="leaky", size=3))
    B, T = 3, 40
    x = poisson(rng, B, T, 6, 0.3)
    tg = dict(y=rng.normal(0, 0.5, (B, T, 3)))
    cfg = dict(network=net, loss=dict(name="readout_mse"),
               regularisers=[dict(name="membrane", weight=1e-3)])
    return cfg, x, tg


@case
def conv_stacked_spikecount_ce_window(rng):
    net = dict(dtMs=1.0, inputs=3,
               conv=dict(outChannels=5, kernelSize=3, stride=2, padding=1, neuron=dict(
                   model="lif", tauMemMs=8.0, thresholdInit=0.4,
                   surrogate=sg("straight_through", 1.0, 0.5))),
               layers=[dict(size=8, recurrent=False, neuron=dict(
                   model="lif", tauMemMs=10.0, thresholdInit=0.5,
                   surrogate=sg("boxcar", 1.0, 1.0))),
                   dict(size=7, recurrent=True, neuron=dict(
                       model="alif", tauMemMs=10.0, thresholdInit=0.5, adaptBeta=0.3,
                       tauAdaptMs=20.0, surrogate=sg("fast_sigmoid", 3.0, 1.0)))],
               readout=dict(type="spike_count", size=4, neuron=dict(
                   model="lif", tauMemMs=10.0, thresholdInit=0.4,
                   surrogate=sg("sigmoid", 3.0, 1.0))))
    B, T = 4, 50
    x = rng.normal(0.3, 1.0, (B, T, 3))
    tg = dict(label=rng.integers(0, 4, B).astype(np.float64))
    cfg = dict(network=net, loss=dict(name="spike_count_ce", window=[3, 22]),
               regularisers=[dict(name="spike_count", weight=1e-3,
                                  populations=["conv", "layer1"])])
    return cfg, x, tg


@case
def first_to_spike_detached_reset(rng):
    net = dict(dtMs=1.0, inputs=6, layers=[dict(size=10, recurrent=True, neuron=dict(
        model="lif", tauMemMs=10.0, thresholdInit=0.5, surrogate=sg("fast_sigmoid", 4.0, 1.0)))],
        readout=dict(type="spike_count", size=2, neuron=dict(
            model="lif", tauMemMs=10.0, thresholdInit=0.4, surrogate=sg("fast_sigmoid", 4.0, 1.0))))
    B, T = 3, 40
    x = poisson(rng, B, T, 6, 0.3)
    tg = dict(target_time=np.array([12.0, 20.0, 30.0]), target_neuron=np.array([0.0, 1.0, 0.0]))
    cfg = dict(network=net, loss=dict(name="first_to_spike"), options=dict(detachReset=True))
    return cfg, x, tg


@case
def alif_stop_recurrent_gradient_mse(rng):
    net = dict(dtMs=1.0, inputs=5, layers=[dict(size=9, recurrent=True, neuron=dict(
        model="alif", tauMemMs=20.0, thresholdInit=0.5, adaptBeta=0.5, tauAdaptMs=40.0,
        refractorySteps=1, surrogate=sg("triangle", 0.5, 0.3)))],
        readout=dict(type="leaky", size=2))
    B, T = 2, 40
    x = poisson(rng, B, T, 5, 0.3)
    tg = dict(y=rng.normal(0, 0.5, (B, T, 2)))
    cfg = dict(network=net, loss=dict(name="readout_mse"),
               options=dict(stopRecurrentGradient=True))
    return cfg, x, tg


@case
def two_compartment_no_gate_zero_reset_alif_readout_ce(rng):
    net = dict(dtMs=0.5, inputs=4, layers=[dict(size=8, recurrent=True, neuron=dict(
        model="two_compartment", tauMemMs=10.0, thresholdInit=0.5, reset="zero",
        tauDendMs=5.0, couplingGain=1.2, surrogate=sg("arctan", 3.0, 1.0)))],
        readout=dict(type="spike_count", size=3, neuron=dict(
            model="alif", tauMemMs=10.0, thresholdInit=0.4, adaptBeta=0.2, tauAdaptMs=15.0,
            refractorySteps=2, surrogate=sg("sigmoid", 5.0, 1.0))))
    B, T = 3, 40
    x = poisson(rng, B, T, 4, 0.35)
    tg = dict(label=np.array([0.0, 2.0, 1.0]))
    cfg = dict(network=net, loss=dict(name="spike_count_ce"),
               regularisers=[dict(name="rate_target", weight=1e-5, targetHz=50.0,
                                  populations=["layer0", "readout"])])
    return cfg, x, tg


@case
def alif_recurrent_mse_information_bottleneck(rng):
    net = dict(dtMs=1.0, inputs=6, layers=[dict(size=10, recurrent=True, neuron=dict(
        model="alif", tauMemMs=15.0, thresholdInit=0.5, adaptBeta=0.3, tauAdaptMs=25.0,
        surrogate=sg("fast_sigmoid", 4.0, 1.0))), dict(size=6, recurrent=False, neuron=dict(
            model="lif", tauMemMs=10.0, thresholdInit=0.5, surrogate=sg("triangle", 0.6, 0.3)))],
        readout=dict(type="leaky", size=2, tauOutMs=10.0))
    B, T = 3, 40
    x = poisson(rng, B, T, 6, 0.3)
    tg = dict(y=rng.normal(0, 0.5, (B, T, 2)))
    cfg = dict(network=net, loss=dict(name="readout_mse"),
               regularisers=[dict(name="information_bottleneck", weight=0.05, priorHz=20.0)])
    return cfg, x, tg


def trial_mask(rng, B, T):
    """One trial window per sample, [B, T], starting after a lead-in of a few steps."""
    mask = np.zeros((B, T))
    for b in range(B):
        start = int(rng.integers(5, T // 2))
        mask[b, start:start + int(rng.integers(8, T // 2))] = 1.0
    return mask


@case
def alif_recurrent_readout_ce_window(rng):
    net = dict(dtMs=1.0, inputs=6, layers=[dict(size=10, recurrent=True, neuron=dict(
        model="alif", tauMemMs=15.0, thresholdInit=0.5, adaptBeta=0.4, tauAdaptMs=30.0,
        surrogate=sg("triangle", 0.5, 0.3)))], readout=dict(type="leaky", size=3, tauOutMs=10.0))
    B, T = 4, 45
    x = poisson(rng, B, T, 6, 0.3)
    tg = dict(label=rng.integers(0, 3, B).astype(np.float64), mask=trial_mask(rng, B, T))
    cfg = dict(network=net, loss=dict(name="readout_ce", average="window"),
               regularisers=[dict(name="spike_count", weight=1e-3)])
    return cfg, x, tg


@case
def lif_readout_ce_step_no_mask(rng):
    net = dict(dtMs=2.0, inputs=5, layers=[dict(size=8, recurrent=False, neuron=dict(
        model="lif", tauMemMs=12.0, thresholdInit=0.6, surrogate=sg("fast_sigmoid", 4.0, 1.0))),
        dict(size=7, recurrent=True, neuron=dict(
            model="lif", tauMemMs=10.0, thresholdInit=0.5, surrogate=sg("sigmoid", 3.0, 1.0)))],
        readout=dict(type="leaky", size=2, tauOutMs=20.0))
    B, T = 3, 40
    x = poisson(rng, B, T, 5, 0.35)
    tg = dict(label=np.array([1.0, 0.0, 1.0]))
    cfg = dict(network=net, loss=dict(name="readout_ce", average="step"))
    return cfg, x, tg


@case
def lif_readout_ce_step_mask(rng):
    net = dict(dtMs=1.0, inputs=6, layers=[dict(size=9, recurrent=True, neuron=dict(
        model="lif", tauMemMs=20.0, thresholdInit=0.5, surrogate=sg("arctan", 2.0, 1.0)))],
        readout=dict(type="leaky", size=4, tauOutMs=15.0))
    B, T = 3, 40
    x = poisson(rng, B, T, 6, 0.3)
    tg = dict(label=np.array([3.0, 0.0, 2.0]), mask=trial_mask(rng, B, T))
    cfg = dict(network=net, loss=dict(name="readout_ce", average="step"))
    return cfg, x, tg


def run_grad(tmp_path, cfg, params, x, targets):
    (tmp_path / "config.json").write_text(json.dumps(cfg))
    np.savez(tmp_path / "params.npz", **params)
    np.savez(tmp_path / "data.npz", x=x, **targets)
    out = tmp_path / "grads.npz"
    cmd = grad_command() + ["--config", str(tmp_path / "config.json"),
                            "--params", str(tmp_path / "params.npz"),
                            "--data", str(tmp_path / "data.npz"), "--out", str(out)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr + proc.stdout
    with np.load(out) as g:
        return {k: g[k] for k in g.files}


@pytest.mark.parametrize("name", sorted(CASES))
def test_java_gradient_matches_jax(name, tmp_path):
    rng = np.random.default_rng(abs(hash(name)) % (2 ** 32) if False else sum(map(ord, name)))
    cfg, x, targets = CASES[name](rng)
    params = init_params(cfg["network"], rng)
    ref_loss, ref_grads = loss_and_grad({k: jnp.asarray(v) for k, v in params.items()},
                                        jnp.asarray(x), {k: jnp.asarray(v) for k, v in targets.items()}, cfg)
    ref_loss = float(ref_loss)
    ref = {k: np.asarray(v) for k, v in ref_grads.items()}
    # the reference must be meaningful: finite everywhere, non-zero overall and for the weights
    for k, v in ref.items():
        assert np.all(np.isfinite(v)), f"reference gradient {k} not finite"
    assert sum(float(np.sum(np.abs(v))) for v in ref.values()) > 0.0
    for k in ref:
        if k.endswith("w_in") or k == "conv.weight":
            assert np.any(ref[k] != 0.0), f"reference gradient {k} is zero"

    got = run_grad(tmp_path, cfg, params, x, targets)
    assert abs(float(got["loss"].reshape(-1)[0]) - ref_loss) <= 1e-9 * max(1.0, abs(ref_loss)), (got["loss"], ref_loss)
    for k, r in ref.items():
        g = got[k]
        assert g.shape == r.shape, (k, g.shape, r.shape)
        assert g.dtype == np.float64
        nr = np.linalg.norm(r)
        err = np.linalg.norm(g - r)
        if nr == 0.0:
            assert err <= 1e-12, f"{k}: reference is zero, Java has norm {err}"
        else:
            assert err / nr <= REL_TOL, f"{k}: relative error {err / nr:.3e} (|ref| {nr:.3e})"


@pytest.mark.parametrize("name", sorted(CASES))
def test_java_gradient_matches_float32_jax(name, tmp_path):
    """JAX computes forward and backward in float32; Java gets the same float32 values (stored as
    float64) and computes in float64, so the difference is float32 arithmetic error alone."""
    rng = np.random.default_rng(sum(map(ord, name)))
    cfg, x, targets = CASES[name](rng)
    params = init_params(cfg["network"], rng)
    p32 = {k: v.astype(np.float32) for k, v in params.items()}
    x32 = x.astype(np.float32)
    t32 = {k: v.astype(np.float32) for k, v in targets.items()}
    ref_loss, ref_grads = loss_and_grad({k: jnp.asarray(v) for k, v in p32.items()},
                                        jnp.asarray(x32), {k: jnp.asarray(v) for k, v in t32.items()}, cfg)
    ref = {k: np.asarray(v) for k, v in ref_grads.items()}
    for k, v in ref.items():
        assert v.dtype == np.float32, f"reference gradient {k} is {v.dtype}, not float32"
        assert np.all(np.isfinite(v)), f"reference gradient {k} not finite"
    assert sum(float(np.sum(np.abs(v))) for v in ref.values()) > 0.0

    got = run_grad(tmp_path, cfg, {k: v.astype(np.float64) for k, v in p32.items()},
                   x32.astype(np.float64), {k: v.astype(np.float64) for k, v in t32.items()})
    assert abs(float(got["loss"].reshape(-1)[0]) - float(ref_loss)) <= REL_TOL_F32 * max(1.0, abs(float(ref_loss)))
    for k, r in ref.items():
        r = r.astype(np.float64)
        nr = np.linalg.norm(r)
        err = np.linalg.norm(got[k] - r)
        if nr == 0.0:
            assert err <= 1e-6, f"{k}: float32 reference is zero, Java has norm {err}"
        else:
            assert err / nr <= REL_TOL_F32, f"{k}: relative error {err / nr:.3e} (|ref| {nr:.3e})"
