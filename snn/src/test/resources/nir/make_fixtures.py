"""Writes the NIR fixtures of org.spikeloop.snn.nir's tests with the reference package (nir 1.0.8, h5py: gzip
chunked datasets, variable-length strings). Run in clients/python/.venv-nir:
    ../../../../../clients/python/.venv-nir/bin/python make_fixtures.py
"""
import numpy as np
import nir

w_in = np.array([[0.5, -1.0, 2.0], [1.5, 0.25, -0.5]], dtype=np.float32)
w_rec = np.array([[0.3, -0.2], [0.4, -0.1]], dtype=np.float32)  # a non-zero diagonal, as snnTorch's RLeaky has
dt = 1e-4
beta = np.array([0.9, 0.9])
tau = dt / (1 - beta)
rleaky = nir.NIRGraph(
    nodes={"input": nir.Input(input_type=np.array([2])),
           "lif": nir.LIF(tau=tau, r=tau / dt, v_leak=np.zeros(2), v_threshold=np.ones(2), v_reset=np.zeros(2)),
           "w_rec": nir.Affine(weight=w_rec, bias=np.array([0.01, 0.02], dtype=np.float32)),
           "output": nir.Output(output_type=np.array([2]))},
    edges=[("input", "lif"), ("lif", "w_rec"), ("w_rec", "lif"), ("lif", "output")])
kappa = 0.8
graph = nir.NIRGraph(
    nodes={"input": nir.Input(input_type=np.array([3])),
           "fc1": nir.Affine(weight=w_in, bias=np.array([0.1, -0.1], dtype=np.float32)),
           "lif1": rleaky,
           "fc2": nir.Linear(weight=np.array([[1.0, -2.0]], dtype=np.float32)),
           "li": nir.LI(tau=np.array([dt / (1 - kappa)]), r=np.array([1.0]), v_leak=np.array([0.0])),
           "output": nir.Output(output_type=np.array([1]))},
    edges=[("input", "fc1"), ("fc1", "lif1"), ("lif1", "fc2"), ("fc2", "li"), ("li", "output")])
nir.write("nested-rleaky.nir", graph)
