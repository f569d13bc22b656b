"""Independent JAX implementation of the Spikeloop forward pass (from the equations in
snn/NeuronSpec, ConvSpec and ReadoutSpec, not from the Java code) and of the trainer's losses,
so that jax.grad gives the reference SG-BPTT gradient.

Spikes are exact Heaviside steps whose derivative is replaced by the configured surrogate through
jax.custom_jvp. Float64 throughout (jax_enable_x64).
"""
import math

import jax
import jax.numpy as jnp

jax.config.update("jax_enable_x64", True)


def surrogate_derivative(name, scale, gain, u):
    if name == "sigmoid":
        s = 1.0 / (1.0 + jnp.exp(-scale * u))
        return gain * scale * s * (1.0 - s)
    if name == "fast_sigmoid":
        return gain / (1.0 + scale * jnp.abs(u)) ** 2
    if name == "arctan":
        return gain * (scale / 2.0) / (1.0 + (math.pi * scale * u / 2.0) ** 2)
    if name == "triangle":
        return gain / scale * jnp.maximum(0.0, 1.0 - jnp.abs(u) / scale)
    if name == "straight_through":
        return gain * jnp.ones_like(u)
    if name == "boxcar":
        return jnp.where(jnp.abs(u) < 0.5 * scale, gain / scale, 0.0)
    raise ValueError(name)


def make_spike(sg):
    name, scale, gain = sg["name"], sg["scale"], sg["gain"]

    @jax.custom_jvp
    def spike(u):
        return (u > 0.0).astype(u.dtype)

    @spike.defjvp
    def spike_jvp(primals, tangents):
        (u,), (du,) = primals, tangents
        return spike(u), surrogate_derivative(name, scale, gain, u) * du

    return spike


NEURON_DEFAULTS = dict(model="lif", tauMemMs=20.0, thresholdInit=1.0, reset="subtract",
                       resetOffsetInit=0.0, refractorySteps=0, tauAdaptMs=200.0, adaptBeta=1.7,
                       tauDendMs=10.0, couplingGain=1.0, dendriticSpikes=False,
                       dendriticThreshold=1.0,
                       surrogate=dict(name="triangle", scale=1.0, gain=0.3),
                       dendriticSurrogate=dict(name="triangle", scale=1.0, gain=0.3))


def neuron(cfg):
    n = dict(NEURON_DEFAULTS)
    n.update(cfg or {})
    return n


def populations(net):
    """[(name, neuron cfg, kind, recurrent, weight, rec, bias, threshold, reset_offset)]"""
    pops = []
    if net.get("conv"):
        c = net["conv"]
        pops.append(("conv", neuron(c.get("neuron")), "conv", False, "conv.weight", None,
                     "conv.bias", "conv.threshold", "conv.reset_offset"))
    for l, layer in enumerate(net["layers"]):
        rec = layer.get("recurrent", True)
        pops.append((f"layer{l}", neuron(layer.get("neuron")), "dense", rec, f"layer{l}.w_in",
                     f"layer{l}.w_rec" if rec else None, f"layer{l}.bias", f"layer{l}.threshold",
                     f"layer{l}.reset_offset"))
    ro = net.get("readout", {})
    if ro.get("type", "leaky") == "spike_count":
        pops.append(("readout", neuron(ro.get("neuron")), "dense", False, "readout.w_out", None,
                     "readout.bias", "readout.threshold", "readout.reset_offset"))
    return pops


def conv_steps(net, T):
    c = net.get("conv")
    if not c:
        return list(range(T)), None
    K = c["kernelSize"]
    stride = c.get("stride", 1)
    pad = c.get("padding", K - 1)
    frames = [t for t in range(T) if t + pad - (K - 1) >= 0 and (t + pad - (K - 1)) % stride == 0]
    return frames, K


def forward(params, x, net, detach_reset=False, stop_rec=False):
    """x: [B, T, C]. Returns dict pop name -> (z [T', B, N], v [T', B, N]) and y [T', B, O]."""
    dt = net.get("dtMs", 1.0)
    B, T, C = x.shape
    frames, K = conv_steps(net, T)
    pops = populations(net)
    if K is not None:
        xp = jnp.concatenate([jnp.zeros((B, K - 1, C), dtype=x.dtype), x], axis=1)
        # window for frame f covers x[f-K+1 .. f] -> xp[f .. f+K-1]
        inputs0 = jnp.stack([jnp.transpose(xp[:, f:f + K, :], (0, 2, 1)) for f in frames])  # [T',B,C,K]
    else:
        inputs0 = jnp.transpose(x, (1, 0, 2))  # [T, B, C]
    spikes = [make_spike(p[1]["surrogate"]) for p in pops]
    dspikes = [make_spike(p[1]["dendriticSurrogate"]) for p in pops]
    leaky = net.get("readout", {}).get("type", "leaky") == "leaky"
    tau_out = net.get("readout", {}).get("tauOutMs", 20.0)
    kappa = math.exp(-dt / tau_out)

    def init_state():
        st = []
        for p in pops:
            n = params[p[6]].shape[0]
            z0 = jnp.zeros((B, n), dtype=x.dtype)  # float32 runs stay float32
            st.append(dict(v=z0, a=z0, d=z0, r=z0, z=z0))
        y0 = jnp.zeros((B, params["readout.w_out"].shape[0]), dtype=x.dtype)
        return st, y0

    def step(carry, inp):
        states, y = carry
        new_states = []
        outs = []
        below = None
        for k, p in enumerate(pops):
            name, cfg, kind, rec, wname, rname, bname, thname, dname = p
            s = states[k]
            alpha = math.exp(-dt / cfg["tauMemMs"])
            if kind == "conv":
                cur = jnp.einsum("oik,bik->bo", params[wname], inp) + params[bname]
            elif k == 0:
                cur = inp @ params[wname].T + params[bname]
            else:
                cur = below @ params[wname].T + params[bname]
            zprev = s["z"]
            z_rec = jax.lax.stop_gradient(zprev) if stop_rec else zprev
            z_res = jax.lax.stop_gradient(zprev) if (stop_rec or detach_reset) else zprev
            if rec:
                w = params[rname]
                w = w * (1.0 - jnp.eye(w.shape[0], dtype=w.dtype))
                cur = cur + z_rec @ w.T
            d = s["d"]
            if cfg["model"] == "two_compartment":
                d = math.exp(-dt / cfg["tauDendMs"]) * d + cur
                if cfg["dendriticSpikes"]:
                    gate = dspikes[k](d - cfg["dendriticThreshold"])
                else:
                    gate = 1.0
                cur = cfg["couplingGain"] * gate * d
            theta = params[thname]
            delta = params[dname]
            a = s["a"]
            A = theta
            if cfg["model"] == "alif":
                a = math.exp(-dt / cfg["tauAdaptMs"]) * a + zprev
                A = theta + cfg["adaptBeta"] * a
            if cfg["reset"] == "zero":
                v = (1.0 - z_res) * alpha * s["v"] + z_res * delta + cur
            else:
                v = alpha * s["v"] + cur - z_res * (theta - delta)
            refractory = s["r"] > 0.0
            z = jnp.where(refractory, 0.0, spikes[k](v - A))
            nref = float(cfg["refractorySteps"])
            r = jax.lax.stop_gradient(jnp.clip(s["r"] + nref * z - 1.0, 0.0, nref))
            new_states.append(dict(v=v, a=a, d=d, r=r, z=z))
            outs.append((z, v))
            below = z
        if leaky:
            y = kappa * y + (1.0 - kappa) * (below @ params["readout.w_out"].T + params["readout.bias"])
        return (new_states, y), (outs, y)

    _, (outs, ys) = jax.lax.scan(step, init_state(), inputs0)
    result = {p[0]: outs[k] for k, p in enumerate(pops)}
    return result, ys


def objective(params, x, targets, cfg):
    net = cfg["network"]
    opts = cfg.get("options", {})
    res, ys = forward(params, x, net, opts.get("detachReset", False),
                      opts.get("stopRecurrentGradient", False))
    B = x.shape[0]
    dt_s = net.get("dtMs", 1.0) / 1000.0
    loss = cfg["loss"]
    name = loss["name"]
    total = 0.0
    if name == "readout_mse":
        total = jnp.mean((jnp.transpose(ys, (1, 0, 2)) - targets["y"]) ** 2)
    elif name == "readout_ce":
        # ys [T', B, O]; mask [B, T'] (1 inside the trial window), default every step
        yb = jnp.transpose(ys, (1, 0, 2))  # [B, T', O]
        mask = targets["mask"] if "mask" in targets else jnp.ones(yb.shape[:2], dtype=yb.dtype)
        n = jnp.sum(mask, axis=1)  # [B]
        lab = targets["label"].astype(jnp.int32)
        if loss.get("average", "window") == "window":
            ybar = jnp.sum(yb * mask[:, :, None], axis=1) / n[:, None]
            logp = jax.nn.log_softmax(ybar, axis=1)
            total = -jnp.mean(logp[jnp.arange(B), lab])
        else:
            logp = jax.nn.log_softmax(yb, axis=2)  # [B, T', O]
            picked = logp[jnp.arange(B), :, lab]  # [B, T']
            total = -jnp.mean(jnp.sum(picked * mask, axis=1) / n)
    elif name == "spike_count_ce":
        z = res["readout"][0]  # [T', B, O]
        lo, hi = loss.get("window", [0, -1])
        hi = z.shape[0] if hi < 0 else min(hi, z.shape[0])
        counts = jnp.sum(z[lo:hi], axis=0)
        logp = jax.nn.log_softmax(counts, axis=1)
        lab = targets["label"].astype(jnp.int32)
        total = -jnp.mean(logp[jnp.arange(B), lab])
    elif name == "first_to_spike":
        z = res[loss.get("population", "readout")][0]  # [T', B, N]
        tt = targets["target_time"].astype(jnp.int32)
        nn = targets.get("target_neuron", jnp.zeros(B)).astype(jnp.int32)
        zz = z[:, jnp.arange(B), nn]  # [T', B]
        steps = jnp.arange(z.shape[0])[:, None]
        before = jnp.sum(jnp.where(steps < tt[None, :], zz, 0.0), axis=0)
        at = jnp.sum(jnp.where(steps == tt[None, :], zz, 0.0), axis=0)
        total = jnp.mean(before - at)
    elif name == "membrane_target":
        v = res[loss.get("population", "layer0")][1]
        tgt = targets["v_target"].transpose(1, 0, 2) if "v_target" in targets else loss.get("target", 0.0)
        total = jnp.sum((v - tgt) ** 2) / B
    for reg in cfg.get("regularisers", []):
        names = reg.get("populations") or [p for p in res if p.startswith("layer")]
        w = reg["weight"]
        for pn in names:
            z, v = res[pn]
            if reg["name"] == "spike_count":
                total = total + w * jnp.sum(z) / B
            elif reg["name"] == "rate_target":
                rate = jnp.sum(z, axis=(0, 1)) / (B * z.shape[0] * dt_s)
                total = total + 0.5 * w * jnp.sum((rate - reg["targetHz"]) ** 2)
            elif reg["name"] == "membrane":
                total = total + w * jnp.sum(v) / B
            elif reg["name"] == "information_bottleneck":
                # Bernoulli KL of each sample's Krichevsky-Trofimov rate to the prior, per step
                q = (jnp.sum(z, axis=0) + 0.5) / (z.shape[0] + 1.0)  # [B, N]
                pi = reg.get("priorHz", 5.0) * dt_s
                kl = q * jnp.log(q / pi) + (1.0 - q) * jnp.log((1.0 - q) / (1.0 - pi))
                total = total + w * jnp.sum(kl) / B
    return total


def loss_and_grad(params, x, targets, cfg):
    return jax.value_and_grad(objective)(params, x, targets, cfg)
