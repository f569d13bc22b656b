"""The snnTorch / NIR side of tests/test_nir.py. Runs in the NIR virtualenv (clients/python/.venv-nir: Debian's
torch 1.13 under snnTorch 1.0.0, nir 1.0.8, nirtorch 2.6; setup-nir-venv.sh), never in the project's own, and talks
to the test through files only.

    python nir_peer.py train-export DIR      builds and briefly trains a recurrent LIF net in snnTorch, exports
                                             DIR/model.nir with snnTorch's export_to_nir, and writes DIR/x.npz (the
                                             input) and DIR/snntorch.npz (snnTorch's own forward, float64 and float32)
    python nir_peer.py cuba-export DIR       an snnTorch Synaptic (CubaLIF) net exported to DIR/cuba.nir, its input
                                             DIR/x.npz and forward DIR/snntorch.npz
    python nir_peer.py import-run MODEL X OUT   nir.read + snnTorch's import_from_nir, forward over X.npz -> OUT.npz
    python nir_peer.py rleaky-run MODEL X OUT   nir.read, then a recurrent Spikeloop export built into snnTorch by
                                             hand (Linear + RLeaky; import_from_nir fails on recurrent graphs with
                                             nirtorch 2.6 and torch 1.13) -> OUT.npz
    python nir_peer.py describe MODEL        nir.read, then one JSON line: node types, edges, metadata

The snnTorch neurons are the configuration whose NIR export is faithful: reset_mechanism="zero" and
reset_delay=False (what snnTorch's own importer builds), per-neuron beta and threshold tensors (a scalar beta
exports a 0-d LIF that nir 1.0.8's type check refuses), and export_to_nir(..., ignore_dims=[0]) (without it the
Input keeps the batch dimension and the type check fails on the first Linear).
"""

import json
import sys

import numpy as np
import torch

import nir
import snntorch as snn
from snntorch import utils as snn_utils
from snntorch.export_nir import export_to_nir
from snntorch.import_nir import import_from_nir

INPUTS, HIDDEN, OUTPUTS, STEPS = 6, 12, 3, 120


class _Spike(torch.autograd.Function):
    """Heaviside forward in the input's dtype (snnTorch's surrogates return float32 spikes, which a float64
    network cannot multiply), arctan surrogate backward as snnTorch's default atan (alpha = 2):
    dS/dU = (alpha/2) / (1 + (pi/2 * alpha * U)^2)."""

    @staticmethod
    def forward(ctx, u):
        ctx.save_for_backward(u)
        return (u > 0).to(u.dtype)

    @staticmethod
    def backward(ctx, grad):
        (u,) = ctx.saved_tensors
        return grad / (1 + (np.pi * u) ** 2)


spike = _Spike.apply


class RecurrentNet(torch.nn.Module):
    """Linear -> RLeaky (all to all) -> Linear -> Leaky: the readout is the output neurons' spikes."""

    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(INPUTS, HIDDEN)
        self.lif1 = snn.RLeaky(beta=0.9, linear_features=HIDDEN, threshold=1.0, reset_mechanism="zero",
                               reset_delay=False, init_hidden=True, spike_grad=spike)
        self.fc2 = torch.nn.Linear(HIDDEN, OUTPUTS)
        self.lif2 = snn.Leaky(beta=torch.full((OUTPUTS,), 0.8), threshold=torch.ones(OUTPUTS),
                              reset_mechanism="zero", reset_delay=False, init_hidden=True, output=True,
                              spike_grad=spike)

    def forward(self, x):
        s1 = self.lif1(self.fc1(x))
        s2, m2 = self.lif2(self.fc2(s1))
        return s1, s2, m2


def run(net, x):
    """snnTorch's forward over x [T, inputs] (batch 1): hidden spikes and membranes (after their reset), output
    spikes, each [T, width] float64."""
    snn_utils.reset(net)
    dtype = next(net.parameters()).dtype
    s1s, v1s, s2s = [], [], []
    with torch.no_grad():
        for t in range(x.shape[0]):
            s1, s2, _ = net(torch.as_tensor(x[t:t + 1], dtype=dtype))
            s1s.append(s1[0].double().numpy())
            v1s.append(net.lif1.mem[0].double().numpy())
            s2s.append(s2[0].double().numpy())
    return np.array(s1s), np.array(v1s), np.array(s2s)


def train_export(out_dir):
    torch.manual_seed(3)
    rng = np.random.default_rng(3)
    net = RecurrentNet()
    with torch.no_grad():
        net.fc1.weight.mul_(3.0)
    x = (rng.random((STEPS, INPUTS)) < 0.3).astype(np.float32)
    target_rate = torch.tensor([0.30, 0.10, 0.20])
    opt = torch.optim.Adam(net.parameters(), lr=2e-2)
    xt = torch.as_tensor(x)
    for _ in range(25):  # brief surrogate-gradient training toward per-output spike rates
        snn_utils.reset(net)
        rates = []
        for t in range(STEPS):
            _, s2, _ = net(xt[t:t + 1])
            rates.append(s2[0])
        loss = ((torch.stack(rates).mean(0) - target_rate) ** 2).sum()
        opt.zero_grad()
        loss.backward()
        opt.step()
    s1_32, v1_32, s2_32 = run(net, x)
    net64 = RecurrentNet()
    net64.load_state_dict(net.state_dict())
    net64 = net64.double()
    s1, v1, s2 = run(net64, x)
    snn_utils.reset(net64)
    graph = export_to_nir(net64, torch.zeros(1, INPUTS, dtype=torch.float64), ignore_dims=[0])
    nir.write(f"{out_dir}/model.nir", graph)
    np.savez(f"{out_dir}/x.npz", x=x.astype(np.float64))
    np.savez(f"{out_dir}/snntorch.npz", spikes=s1, mem=v1, readout=s2,
             spikes32=s1_32, mem32=v1_32, readout32=s2_32, loss=np.array(float(loss)))


class SynapticNet(torch.nn.Module):
    """Linear -> Synaptic (current-based LIF, NIR's CubaLIF) -> Linear -> Leaky."""

    def __init__(self):
        super().__init__()
        self.fc1 = torch.nn.Linear(INPUTS, HIDDEN)
        self.lif1 = snn.Synaptic(alpha=torch.full((HIDDEN,), 0.7), beta=torch.full((HIDDEN,), 0.85),
                                 threshold=torch.ones(HIDDEN), reset_mechanism="zero", reset_delay=False,
                                 init_hidden=True, spike_grad=spike)
        self.fc2 = torch.nn.Linear(HIDDEN, OUTPUTS)
        self.lif2 = snn.Leaky(beta=torch.full((OUTPUTS,), 0.8), threshold=torch.ones(OUTPUTS),
                              reset_mechanism="zero", reset_delay=False, init_hidden=True, output=True,
                              spike_grad=spike)

    def forward(self, x):
        s1 = self.lif1(self.fc1(x))
        s2, m2 = self.lif2(self.fc2(s1))
        return s1, s2, m2


def cuba_export(out_dir):
    """An untrained float64 SynapticNet, exported with export_to_nir (CubaLIF), and its forward."""
    torch.manual_seed(9)
    rng = np.random.default_rng(9)
    net = SynapticNet().double()
    with torch.no_grad():
        net.fc1.weight.mul_(1.2)
        net.fc2.weight.mul_(2.0)
        net.fc2.bias.fill_(0.3)
    x = (rng.random((STEPS, INPUTS)) < 0.3).astype(np.float64)
    s1, v1, s2 = run(net, x)
    snn_utils.reset(net)
    graph = export_to_nir(net, torch.zeros(1, INPUTS, dtype=torch.float64), ignore_dims=[0])
    nir.write(f"{out_dir}/cuba.nir", graph)
    np.savez(f"{out_dir}/x.npz", x=x)
    np.savez(f"{out_dir}/snntorch.npz", spikes=s1, mem=v1, readout=s2)


def forward_graph_module(module, x, dtype):
    """Runs nirtorch's GraphModule (stateful snnTorch neurons with init_hidden) over x: outputs [T, width]."""
    snn_utils.reset(module)
    outs = []
    with torch.no_grad():
        for t in range(x.shape[0]):
            out, _ = module(torch.as_tensor(x[t:t + 1], dtype=dtype))
            if isinstance(out, tuple):
                out = out[0]
            outs.append(out[0].double().numpy())
    return np.array(outs)


def import_run(model, x_file, out_file):
    """snnTorch's import_from_nir as it comes (float32), and the same module in float64 (its neurons given the
    dtype-preserving spike function, the only change)."""
    x = np.load(x_file)["x"]
    module32 = import_from_nir(nir.read(model))
    readout32 = forward_graph_module(module32, x, torch.float32)
    module = import_from_nir(nir.read(model))
    for m in module.modules():
        if isinstance(m, snn.SpikingNeuron):
            m.spike_grad = spike
    module = module.double()
    np.savez(out_file, readout=forward_graph_module(module, x, torch.float64), readout32=readout32)


def rleaky_run(model, x_file, out_file):
    """A Spikeloop export input -> fc0 -> lif0 <-> rec0 -> fc_out -> lif_out -> output built into snnTorch by hand:
    what import_from_nir does for a recurrent subgraph (beta = 1 - dt/tau, reset to zero, reset_delay=False, the
    Linear as RLeaky's recurrent weights), with dt from the file's metadata."""
    g = nir.read(model)
    dt = float(g.metadata["dt"])
    n = g.nodes
    fc0, lif0, rec0, fc_out, lif_out = (n[k] for k in ("fc0", "lif0", "rec0", "fc_out", "lif_out"))
    for node in (lif0, lif_out):
        assert np.allclose(node.r * dt / node.tau, 1.0) and np.allclose(node.v_reset, 0.0)
    hidden = fc0.weight.shape[0]

    def linear(node):
        m = torch.nn.Linear(node.weight.shape[1], node.weight.shape[0]).double()
        m.weight.data = torch.as_tensor(node.weight, dtype=torch.float64)
        m.bias.data = torch.as_tensor(node.bias, dtype=torch.float64)
        return m

    l0, lo = linear(fc0), linear(fc_out)
    r0 = snn.RLeaky(beta=torch.as_tensor(1 - dt / lif0.tau), linear_features=hidden,
                    threshold=torch.as_tensor(lif0.v_threshold), reset_mechanism="zero", reset_delay=False,
                    init_hidden=True, spike_grad=spike).double()
    r0.recurrent.weight.data = torch.as_tensor(rec0.weight, dtype=torch.float64)
    r0.recurrent.bias.data = torch.zeros(hidden, dtype=torch.float64)
    out = snn.Leaky(beta=torch.as_tensor(1 - dt / lif_out.tau), threshold=torch.as_tensor(lif_out.v_threshold),
                    reset_mechanism="zero", reset_delay=False, init_hidden=True, spike_grad=spike).double()
    x = np.load(x_file)["x"]
    snn_utils.reset(r0)
    snn_utils.reset(out)
    s1s, s2s = [], []
    with torch.no_grad():
        for t in range(x.shape[0]):
            s1 = r0(l0(torch.as_tensor(x[t:t + 1])))
            s2 = out(lo(s1))
            s1s.append(s1[0].numpy())
            s2s.append(s2[0].numpy())
    np.savez(out_file, spikes=np.array(s1s), readout=np.array(s2s))


def describe(model):
    g = nir.read(model)
    print(json.dumps({
        "types": {k: type(v).__name__ for k, v in g.nodes.items()},
        "edges": sorted([list(e) for e in g.edges]),
        "metadata": {k: (v.item() if hasattr(v, "item") else str(v)) for k, v in g.metadata.items()},
    }))


if __name__ == "__main__":
    cmd, *args = sys.argv[1:]
    {"train-export": train_export, "cuba-export": cuba_export, "import-run": import_run,
     "rleaky-run": rleaky_run, "describe": describe}[cmd](*args)
