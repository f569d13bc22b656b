"""An independent NumPy float64 reference of Spikeloop's forward pass.

Written from the equations of the network contract (``NeuronSpec`` javadoc, ``docs/checkpoints.md``
parameter names), not from the Java kernel, so that the interop suite compares two implementations.
Clarity over speed: plain loops over time, dense matrix products.

Equations, per population of neurons with threshold θ, reset offset δ, decays α = exp(−dt/τ_m),
ρ = exp(−dt/τ_a), α_d = exp(−dt/τ_d) (Bellec et al. 2020, Methods eq. (1), (21)):

* input current      I_t = W_in x_t + W_rec z_{t−1} + b
* two-compartment    d_t = α_d d_{t−1} + I_t;  s_t = H(d_t − θ_d) if dendritic spikes else 1;
                     the soma receives u_t = g s_t d_t instead of I_t (other models: u_t = I_t)
* reset "subtract"   v_t = α v_{t−1} + u_t − z_{t−1} (θ − δ)
* reset "zero"       v_t = (1 − z_{t−1}) α v_{t−1} + z_{t−1} δ + u_t
* ALIF               a_t = ρ a_{t−1} + z_{t−1};  A_t = θ + β a_t   (LIF, two-compartment: A_t = θ)
* spike              z_t = H(v_t − A_t) (strictly greater), forced to 0 while refractory
* refractory         r_t = clip(r_{t−1} + n_ref z_t − 1, 0, n_ref); refractory at t iff r_{t−1} > 0

Network: optional causal conv front-end c_t = b + Σ_{i,k} W[o,i,k] x_{t−K+1+k} (frames before the
start are zero) feeding spiking conv neurons, stepped at input frame t when q = t + P − (K−1) ≥ 0 and
q mod S = 0; then the spiking layers bottom-up within the same step; then the readout
(LEAKY: y_t = κ y_{t−1} + (1 − κ)(W_out z_t + b); SPIKE_COUNT: non-recurrent output neurons with
input W_out z_t + b, whose spikes are the output). All state starts at zero.
"""

from __future__ import annotations

import copy
import math

import numpy as np

NEURON_DEFAULTS = {
    "model": "lif",
    "tauMemMs": 20.0,
    "thresholdInit": 1.0,
    "reset": "subtract",
    "resetOffsetInit": 0.0,
    "refractorySteps": 0,
    "tauAdaptMs": 200.0,
    "adaptBeta": 1.7,
    "tauDendMs": 10.0,
    "couplingGain": 1.0,
    "dendriticSpikes": False,
    "dendriticThreshold": 1.0,
    "surrogate": {"name": "triangle", "scale": 1.0, "gain": 0.3},
    "dendriticSurrogate": {"name": "triangle", "scale": 1.0, "gain": 0.3},
}


def neuron(**overrides) -> dict:
    """A complete neuron spec: the documented LIF defaults with ``overrides`` applied."""
    unknown = set(overrides) - set(NEURON_DEFAULTS)
    if unknown:
        raise ValueError(f"unknown neuron fields {sorted(unknown)}")
    n = copy.deepcopy(NEURON_DEFAULTS)
    n.update(overrides)
    return n


def complete_spec(spec: dict) -> dict:
    """The spec with every omitted field set to its documented default (input not modified)."""
    s = copy.deepcopy(spec)
    s.setdefault("dtMs", 1.0)
    if s.get("conv") is not None:
        c = s["conv"]
        c.setdefault("stride", 1)
        c.setdefault("padding", c["kernelSize"] - 1)
        c["neuron"] = neuron(**c.get("neuron", {}))
    else:
        s["conv"] = None
    for layer in s["layers"]:
        layer.setdefault("recurrent", True)
        layer["neuron"] = neuron(**layer.get("neuron", {}))
    r = s.setdefault("readout", {})
    r.setdefault("type", "leaky")
    r.setdefault("tauOutMs", 20.0)
    r["neuron"] = neuron(**r.get("neuron", {}))
    return s


def parameter_shapes(spec: dict) -> dict[str, tuple[int, ...]]:
    """Name -> shape of every parameter, as documented in docs/checkpoints.md."""
    s = complete_spec(spec)
    shapes: dict[str, tuple[int, ...]] = {}
    width = s["inputs"]
    if s["conv"] is not None:
        c = s["conv"]["outChannels"]
        shapes["conv.weight"] = (c, s["inputs"], s["conv"]["kernelSize"])
        for p in ("bias", "threshold", "reset_offset"):
            shapes[f"conv.{p}"] = (c,)
        width = c
    for l, layer in enumerate(s["layers"]):
        h = layer["size"]
        shapes[f"layer{l}.w_in"] = (h, width)
        if layer["recurrent"]:
            shapes[f"layer{l}.w_rec"] = (h, h)
        for p in ("bias", "threshold", "reset_offset"):
            shapes[f"layer{l}.{p}"] = (h,)
        width = h
    o = s["readout"]["size"]
    shapes["readout.w_out"] = (o, width)
    shapes["readout.bias"] = (o,)
    if s["readout"]["type"].lower() == "spike_count":
        shapes["readout.threshold"] = (o,)
        shapes["readout.reset_offset"] = (o,)
    return shapes


class Population:
    """State and one-step update of a group of neurons of one model (see the module docstring)."""

    def __init__(self, spec_neuron: dict, dt_ms: float, threshold, reset_offset):
        n = spec_neuron
        self.model = n["model"].lower()
        self.zero_reset = n["reset"].lower() == "zero"
        self.alpha = math.exp(-dt_ms / n["tauMemMs"])
        self.rho = math.exp(-dt_ms / n["tauAdaptMs"])
        self.alpha_d = math.exp(-dt_ms / n["tauDendMs"])
        self.beta = float(n["adaptBeta"])
        self.g = float(n["couplingGain"])
        self.dendritic_spikes = bool(n["dendriticSpikes"])
        self.theta_d = float(n["dendriticThreshold"])
        self.n_ref = int(n["refractorySteps"])
        self.theta = np.asarray(threshold, dtype=np.float64)
        self.delta = np.asarray(reset_offset, dtype=np.float64)
        size = self.theta.shape[0]
        self.v = np.zeros(size)
        self.a = np.zeros(size)
        self.d = np.zeros(size)
        self.z = np.zeros(size)
        self.r = np.zeros(size, dtype=np.int64)
        self.gate = np.ones(size)

    def step(self, current: np.ndarray) -> np.ndarray:
        """Advances one step with input current I_t; returns z_t (and updates v, a, d, r)."""
        z_prev = self.z
        if self.model == "two_compartment":
            self.d = self.alpha_d * self.d + current
            if self.dendritic_spikes:
                self.gate = (self.d - self.theta_d > 0).astype(np.float64)
            u = self.g * self.gate * self.d
        else:
            u = current
        if self.zero_reset:
            self.v = (1.0 - z_prev) * self.alpha * self.v + z_prev * self.delta + u
        else:
            self.v = self.alpha * self.v + u - z_prev * (self.theta - self.delta)
        if self.model == "alif":
            self.a = self.rho * self.a + z_prev
            effective_threshold = self.theta + self.beta * self.a
        else:
            effective_threshold = self.theta
        refractory = self.r > 0
        z = ((self.v - effective_threshold) > 0) & ~refractory
        self.z = z.astype(np.float64)
        self.r = np.clip(self.r + self.n_ref * z.astype(np.int64) - 1, 0, self.n_ref)
        return self.z


def forward(spec: dict, params: dict[str, np.ndarray], x: np.ndarray) -> dict[str, np.ndarray]:
    """Runs the network over input frames ``x`` [T, inputs].

    Returns float64 arrays over the T' steps the network took: ``readout`` [T', O],
    ``layer<l>.spikes`` and ``layer<l>.v`` [T', H_l], and with a conv front-end ``conv.spikes`` and
    ``conv.v`` [T', C]; two-compartment layers with dendritic spikes also give ``layer<l>.gate``.
    """
    s = complete_spec(spec)
    p = {k: np.asarray(v, dtype=np.float64) for k, v in params.items()}
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or x.shape[1] != s["inputs"]:
        raise ValueError(f"x must be [T, {s['inputs']}], got {x.shape}")
    dt = float(s["dtMs"])
    conv = s["conv"]
    conv_pop = None
    if conv is not None:
        conv_pop = Population(conv["neuron"], dt, p["conv.threshold"], p["conv.reset_offset"])
    layers = [
        Population(layer["neuron"], dt, p[f"layer{l}.threshold"], p[f"layer{l}.reset_offset"])
        for l, layer in enumerate(s["layers"])
    ]
    readout = s["readout"]
    spike_count = readout["type"].lower() == "spike_count"
    out_pop = None
    if spike_count:
        out_pop = Population(readout["neuron"], dt, p["readout.threshold"], p["readout.reset_offset"])
    kappa = math.exp(-dt / readout["tauOutMs"])
    y = np.zeros(readout["size"])

    rec: dict[str, list] = {"readout": []}
    if conv is not None:
        rec["conv.spikes"] = []
        rec["conv.v"] = []
    for l, layer in enumerate(s["layers"]):
        rec[f"layer{l}.spikes"] = []
        rec[f"layer{l}.v"] = []
        n = layer["neuron"]
        if n["model"].lower() == "two_compartment" and n["dendriticSpikes"]:
            rec[f"layer{l}.gate"] = []

    for t in range(x.shape[0]):
        if conv is not None:
            k_size, stride, padding = conv["kernelSize"], conv["stride"], conv["padding"]
            q = t + padding - (k_size - 1)
            if q < 0 or q % stride != 0:
                continue
            window = np.zeros((k_size, s["inputs"]))
            for k in range(k_size):
                frame = t - k_size + 1 + k
                if frame >= 0:
                    window[k] = x[frame]
            # c[o] = b[o] + sum_{i,k} W[o,i,k] * window[k,i]
            c = p["conv.bias"] + np.einsum("oik,ki->o", p["conv.weight"], window)
            inp = conv_pop.step(c)
            rec["conv.spikes"].append(inp.copy())
            rec["conv.v"].append(conv_pop.v.copy())
        else:
            inp = x[t]
        for l, (layer, pop) in enumerate(zip(s["layers"], layers)):
            current = p[f"layer{l}.w_in"] @ inp + p[f"layer{l}.bias"]
            if layer["recurrent"]:
                current = current + p[f"layer{l}.w_rec"] @ pop.z
            inp = pop.step(current)
            rec[f"layer{l}.spikes"].append(inp.copy())
            rec[f"layer{l}.v"].append(pop.v.copy())
            if f"layer{l}.gate" in rec:
                rec[f"layer{l}.gate"].append(pop.gate.copy())
        drive = p["readout.w_out"] @ inp + p["readout.bias"]
        if spike_count:
            rec["readout"].append(out_pop.step(drive).copy())
        else:
            y = kappa * y + (1.0 - kappa) * drive
            rec["readout"].append(y.copy())

    widths = {"readout": readout["size"]}
    if conv is not None:
        widths["conv.spikes"] = widths["conv.v"] = conv["outChannels"]
    for l, layer in enumerate(s["layers"]):
        for kind in ("spikes", "v", "gate"):
            widths[f"layer{l}.{kind}"] = layer["size"]
    return {
        name: np.array(rows, dtype=np.float64).reshape(len(rows), widths[name])
        for name, rows in rec.items()
    }
