"""NEST cross-check of Spikeloop's e-prop (issue 4, issue 16): the sine-wave regression task of NEST's
`eprop_supervised_regression_sine-waves_bsshslm_2020` example, run by NEST 3.10
(eprop_iaf_bsshslm_2020 + eprop_readout_bsshslm_2020) and by `spikeloop eprop run` (float64
EpropReference, nestCompatibility = bsshslm_2020) on the same network, input spikes, targets,
initial and feedback weights (exported from NEST); the per-iteration losses must agree on every
one of eight random networks, through five iterations.

Conventions (see docs/eprop.md, "NEST compatibility"):
- recurrent neurons run with regular_spike_arrival = True (no (1 - alpha) input factor, as
  Spikeloop's LIF); the initial weights are the example's weights times (1 - alpha), so the forward
  dynamics are exactly the example's. The readout keeps regular_spike_arrival = False: its
  (1 - kappa) factor is Spikeloop's leaky readout.
- NEST's delays (generator -> parrot -> recurrent -> readout, 1 step each) map sequence step s to
  the recurrent neurons' update step s + 2, so one NEST update interval of a recurrent neuron is
  exactly one Spikeloop trial (state reset at its first step, update after its last).
- NEST computes a synapse's gradient for interval k lazily, when the presynaptic neuron first
  spikes in interval k + 1; the learning signal of interval k's last step reaches the neuron two
  steps into interval k + 1 (readout -> learning-signal connection, 1 step each). A synapse whose
  presynaptic spike arrives in the first step of an interval therefore misses L*e_bar of the
  previous interval's last step (measured on seed 3123965646: NEST's input-weight gradients equal
  the full e-prop gradient minus exactly that term, to 5e-13 of 2.7e3). That is an event-ordering
  effect of NEST's implementation, not of the model; the data keep the first QUIET_HEAD = 2 steps of
  every sequence free of input (NEST's example already removes the first), so no presynaptic
  spike (input, or recurrent: no input, no spike) arrives there.
- NEST's loss per iteration is computed from its recorded error signal on the sequence's own
  steps, sum_t 1/2 (y_t - y*_t)^2.
"""
import json
import os
import subprocess
from pathlib import Path

import numpy as np
import pytest

nest = pytest.importorskip("nest")

HOME = Path(__file__).resolve().parents[3]
JAR = Path(os.environ.get("SPIKELOOP_JAR", HOME / "app" / "target" / "spikeloop.jar"))
# float64 on both sides, same operations up to summation order: agreement is at rounding level
# (measured: at most 2.2e-15 relative over the seeds below and five iterations).
REL_TOL = 1e-9
# Eight networks: the seed the test was first written with, the seed whose divergence issue 16
# reported, and six more.
SEEDS = [1, 2, 3, 4, 5, 6, 7, 3123965646]

N_IN, N_REC, N_OUT = 100, 100, 1
SEQ, N_ITER = 1000, 5
TAU_M, TAU_OUT, V_TH = 30.0, 30.0, 0.03
ETA, C_REG, F_TARGET = 1e-4, 300.0, 10.0
ALPHA = np.exp(-1.0 / TAU_M)
# No input in the first steps of a sequence (see the module docstring: NEST's lazy update would
# miss the previous interval's last learning signal), nor in its last steps (the example's shape).
QUIET_HEAD = 2
QUIET_TAIL = 50


def superimposed_sines(rng, steps, periods):
    amp = rng.uniform(0.5, 2.0, len(periods))
    phase = rng.uniform(0.0, 2.0 * np.pi, len(periods))
    s = sum(a * np.sin(np.linspace(p, p + 2.0 * np.pi * (steps // per), steps))
            for a, p, per in zip(amp, phase, periods))
    s = s - s[0]
    return s / max(np.abs(s).max(), 1e-6)


def make_task(seed=1, quiet_head=QUIET_HEAD):
    rng = np.random.default_rng(seed)
    zeta = 1.0 - ALPHA
    f32 = lambda a: np.asarray(a, dtype=np.float32).astype(np.float64)  # noqa: E731
    w_in = f32(rng.standard_normal((N_REC, N_IN)) / np.sqrt(N_IN) * zeta)
    w_rec = f32(rng.standard_normal((N_REC, N_REC)) / np.sqrt(N_REC) * zeta)
    np.fill_diagonal(w_rec, 0.0)
    w_out = f32(rng.standard_normal((N_OUT, N_REC)) / np.sqrt(N_REC))
    b = f32(rng.standard_normal((N_REC, N_OUT)) / np.sqrt(N_REC))
    spikes = rng.random((SEQ, N_IN)) < 0.05
    spikes[:quiet_head, :] = False
    spikes[-QUIET_TAIL:, :] = False
    target = superimposed_sines(rng, SEQ, [1000, 500, 333, 200])
    return dict(w_in=w_in, w_rec=w_rec, w_out=w_out, feedback=b, spikes=spikes, target=target)


def run_nest(task):
    """Runs NEST; returns its per-iteration losses and the weights NEST actually holds."""
    nest.set_verbosity("M_ERROR")
    nest.ResetKernel()
    nest.set(eprop_learning_window=float(SEQ), eprop_reset_neurons_on_update=True,
             eprop_update_interval=float(SEQ), print_time=False, resolution=1.0,
             total_num_virtual_procs=1)
    gen = nest.Create("spike_generator", N_IN)
    parrots = nest.Create("parrot_neuron", N_IN)
    rec = nest.Create("eprop_iaf_bsshslm_2020", N_REC, dict(
        C_m=1.0, c_reg=C_REG, E_L=0.0, f_target=F_TARGET, I_e=0.0, regular_spike_arrival=True,
        surrogate_gradient_function="piecewise_linear", surrogate_gradient_height=0.3 / V_TH,
        surrogate_gradient_width=V_TH, t_ref=0.0, tau_m=TAU_M, V_m=0.0, V_th=V_TH))
    out = nest.Create("eprop_readout_bsshslm_2020", N_OUT, dict(
        C_m=1.0, E_L=0.0, I_e=0.0, loss="mean_squared_error", regular_spike_arrival=False,
        tau_m=TAU_OUT, V_m=0.0))
    tgt = nest.Create("step_rate_generator", N_OUT)
    nest.SetDefaults("eprop_synapse_bsshslm_2020", dict(
        optimizer=dict(type="gradient_descent", batch_size=1, eta=ETA, Wmin=-100.0, Wmax=100.0),
        average_gradient=False))
    syn = dict(synapse_model="eprop_synapse_bsshslm_2020", delay=1.0, tau_m_readout=TAU_OUT)
    nest.Connect(gen, parrots, "one_to_one", dict(synapse_model="static_synapse", delay=1.0))
    nest.Connect(parrots, rec, dict(rule="all_to_all"), dict(syn, weight=task["w_in"]))
    nest.Connect(rec, rec, dict(rule="all_to_all", allow_autapses=False),
                 dict(syn, weight=task["w_rec"]))
    nest.Connect(rec, out, dict(rule="all_to_all"), dict(syn, weight=task["w_out"]))
    nest.Connect(out, rec, dict(rule="all_to_all"), dict(
        synapse_model="eprop_learning_signal_connection_bsshslm_2020", delay=1.0,
        weight=task["feedback"]))
    nest.Connect(tgt, out, "one_to_one", dict(synapse_model="rate_connection_delayed", delay=1.0,
                                             receptor_type=2))
    steps_task = N_ITER * SEQ
    offset = 1.0  # generators start at step 1
    starts = np.arange(N_ITER) * SEQ + offset
    gen.set([{"spike_times": np.hstack([np.flatnonzero(task["spikes"][:, i]) + s
                                        for s in starts]).astype(np.float64)}
             for i in range(N_IN)])
    # Delays: generator -> parrot -> recurrent -> readout; the target (delay 1) meets the readout
    # signal of sequence step s at readout time s + 5, as in NEST's example (total offset 4).
    tgt.set(amplitude_times=np.arange(steps_task) + 4.0,
            amplitude_values=np.tile(task["target"], N_ITER))
    mm = nest.Create("multimeter", dict(interval=1.0, record_from=["error_signal"], start=0.0,
                                        stop=steps_task + 8.0))
    nest.Connect(mm, out)
    nest.Simulate(steps_task + 6.0)
    ev = mm.get("events")
    err = np.zeros(steps_task + 16)
    err[np.asarray(ev["times"], dtype=int)] = ev["error_signal"]
    seq_err = err[5:5 + steps_task].reshape(N_ITER, SEQ)
    return 0.5 * np.sum(seq_err ** 2, axis=1)


def run_spikeloop(task, tmp_path, compat):
    net = dict(dtMs=1.0, inputs=N_IN, layers=[dict(size=N_REC, recurrent=True, neuron=dict(
        model="lif", tauMemMs=TAU_M, thresholdInit=V_TH, reset="subtract", resetOffsetInit=0.0,
        refractorySteps=0, surrogate=dict(name="triangle", scale=V_TH, gain=0.3)))],
        readout=dict(type="leaky", size=N_OUT, tauOutMs=TAU_OUT))
    eprop = dict(loss="mse", feedback="given", optimizer="sgd", lrInput=ETA, lrRecurrent=ETA,
                 lrBias=0.0, lrReadout=ETA, lrReadoutBias=0.0, updateIntervalSteps=0,
                 rateRegularization=C_REG, targetRateHz=F_TARGET, nestCompatibility=compat)
    cfg = tmp_path / f"eprop-{compat}.json"
    cfg.write_text(json.dumps(dict(network=net, eprop=eprop)))
    params = tmp_path / "params.npz"
    np.savez(params, **{
        "layer0.w_in": task["w_in"], "layer0.w_rec": task["w_rec"],
        "layer0.bias": np.zeros(N_REC), "layer0.threshold": np.full(N_REC, V_TH),
        "layer0.reset_offset": np.zeros(N_REC), "readout.w_out": task["w_out"],
        "readout.bias": np.zeros(N_OUT)})
    data = tmp_path / "data.npz"
    np.savez(data, x=np.tile(task["spikes"].astype(np.float64), (N_ITER, 1)),
             y=np.tile(task["target"], N_ITER)[:, None], trial_steps=np.array([SEQ]),
             feedback=task["feedback"].T.copy())
    out = tmp_path / f"out-{compat}.npz"
    r = subprocess.run(["java", "-jar", str(JAR), "eprop", "run", "--config", cfg, "--params",
                        params, "--data", data, "--out", out], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return np.load(out)["loss"]


@pytest.fixture(scope="module", params=SEEDS, ids=lambda seed: f"seed{seed}")
def seeded(request):
    task = make_task(request.param)
    return request.param, task, run_nest(task)


def test_nest_and_spikeloop_losses_agree_per_iteration(seeded, tmp_path):
    seed, task, nest_loss = seeded
    # The reference is non-trivial: finite, non-zero, and it changes as the weights learn.
    assert np.all(np.isfinite(nest_loss)) and np.all(nest_loss > 0)
    assert np.min(np.abs(np.diff(nest_loss)) / nest_loss[1:]) > 1e-6, nest_loss
    ours = run_spikeloop(task, tmp_path, "bsshslm_2020")
    rel = np.abs(ours - nest_loss) / np.abs(nest_loss)
    print("seed", seed, "NEST", nest_loss, "\nSpikeloop", ours, "\nrel", rel)
    assert rel.max() <= REL_TOL, (seed, nest_loss, ours, rel)


def test_spikeloop_default_regulariser_differs_from_nest(tmp_path):
    # Non-vacuous compatibility switch: Spikeloop's own (running-average) rate regulariser
    # gives different updates, visible from the second iteration on.
    task = make_task(SEEDS[0])
    nest_loss = run_nest(task)
    ours = run_spikeloop(task, tmp_path, "none")
    assert abs(ours[0] - nest_loss[0]) / nest_loss[0] <= REL_TOL  # same forward before learning
    assert np.max(np.abs(ours[1:] - nest_loss[1:]) / nest_loss[1:]) > 1e-6


def test_an_input_spike_in_an_intervals_first_step_is_what_made_nest_differ(tmp_path):
    # Non-vacuous quiet head: with input allowed in step 1 (NEST's example removes only step 0),
    # the seed of issue 16 diverges from iteration 2 on (1.3e-4, growing to 1e-2 by iteration 4),
    # the effect of NEST's lazy update described in the module docstring.
    task = make_task(3123965646, quiet_head=1)
    assert task["spikes"][1].any()
    nest_loss = run_nest(task)
    ours = run_spikeloop(task, tmp_path, "bsshslm_2020")
    rel = np.abs(ours - nest_loss) / np.abs(nest_loss)
    assert rel[:2].max() <= REL_TOL, rel  # the first update agrees
    assert rel[2:].max() > 1e-6, rel
