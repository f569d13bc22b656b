package org.spikeloop.snn.nir;

import static org.spikeloop.snn.params.ParameterNames.READOUT_BIAS;
import static org.spikeloop.snn.params.ParameterNames.READOUT_RESET_OFFSET;
import static org.spikeloop.snn.params.ParameterNames.READOUT_THRESHOLD;
import static org.spikeloop.snn.params.ParameterNames.READOUT_WEIGHT;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.ParameterNames;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutType;
import org.spikeloop.snn.spec.ResetMode;

/**
 * Writes a Spikeloop network as a NIR graph, the inverse of {@link NirImport} at the same dt
 * (docs/checkpoints.md, "NIR").
 *
 * <p>Graph: {@code input → fc0 → lif0 [⇄ rec0] → fc1 → … → fc_out → readout → output}; {@code
 * fc<l>} are Affine nodes (w_in, bias), {@code rec<l>} Linear nodes (w_rec, zero diagonal), the
 * readout is {@code li} (LI: τ = dt/(1 − κ), R = 1, v_leak = 0) or {@code lif_out} (spiking). A LIF
 * layer becomes LIF with τ = dt/(1 − α), R = τ/dt (input factor one, as snnTorch writes it), v_leak
 * = 0, v_threshold = θ and v_reset = δ/α; α = 1 becomes IF (R = 1/dt, v_reset = δ); a
 * two-compartment layer without dendritic spikes becomes CubaLIF (τ_syn from the dendrite, w_in =
 * τ_syn/dt, R = g·τ_mem/dt). The graph's metadata holds {@code dt} (seconds), which {@link
 * NirImport} reads back.
 *
 * <p>Refused, with the spec field named (NIR has no node for them): the conv front-end (it
 * convolves over time), ALIF adaptation, refractoriness, dendritic spikes, and the subtractive
 * reset (NIR's neurons reset to v_reset).
 *
 * <p>Threads: stateless; control plane only.
 */
public final class NirExport {
    private NirExport() {}

    /**
     * @param spec the architecture (not modified)
     * @param params its parameters (not modified)
     * @param dtS the step NIR's time constants are computed for, seconds (snnTorch's importer
     *     assumes 1e-4); the decays are the spec's own, at its dt
     * @throws NirException naming the spec field NIR cannot express
     */
    public static NirGraph toGraph(NetworkSpec spec, NetworkParams params, double dtS) {
        if (!(dtS > 0) || !Double.isFinite(dtS)) {
            throw new NirException("--dt-s must be finite and > 0 s, got " + dtS);
        }
        if (spec.conv() != null) {
            throw new NirException(
                    "conv: Spikeloop's conv front-end convolves over time (the last kernelSize"
                            + " input frames); NIR's Conv1d convolves a spatial axis within one"
                            + " step, so the front-end has no NIR form");
        }
        for (int l = 0; l < spec.layers().size(); l++) {
            check(spec.layers().get(l).neuron(), "layers[" + l + "].neuron");
        }
        if (spec.readout().type() == ReadoutType.SPIKE_COUNT) {
            check(spec.readout().neuron(), "readout.neuron");
        }
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        List<NirGraph.Edge> edges = new ArrayList<>();
        nodes.put("input", shaped("Input", spec.inputs()));
        String prev = "input";
        double stepMs = spec.dtMs();
        for (int l = 0; l < spec.layers().size(); l++) {
            LayerSpec layer = spec.layers().get(l);
            String fc = "fc" + l;
            String lif = "lif" + l;
            nodes.put(
                    fc,
                    affine(
                            params.get(ParameterNames.inputWeights(l)),
                            params.get(ParameterNames.bias(l))));
            nodes.put(
                    lif,
                    neuron(
                            layer.neuron(),
                            params.get(ParameterNames.threshold(l)).data(),
                            params.get(ParameterNames.resetOffset(l)).data(),
                            stepMs,
                            dtS));
            edges.add(new NirGraph.Edge(prev, fc));
            edges.add(new NirGraph.Edge(fc, lif));
            if (layer.recurrent()) {
                String rec = "rec" + l;
                Tensor w = params.get(ParameterNames.recurrentWeights(l));
                nodes.put(rec, NirNode.of("Linear", Map.of("weight", matrix(w))));
                edges.add(new NirGraph.Edge(lif, rec));
                edges.add(new NirGraph.Edge(rec, lif));
            }
            prev = lif;
        }
        nodes.put("fc_out", affine(params.get(READOUT_WEIGHT), params.get(READOUT_BIAS)));
        edges.add(new NirGraph.Edge(prev, "fc_out"));
        int outputs = spec.outputs();
        String readout;
        if (spec.readout().type() == ReadoutType.LEAKY) {
            readout = "li";
            double kappa = spec.readout().kappa(stepMs);
            if (!(kappa > 0.0 && kappa < 1.0)) {
                throw new NirException(
                        "readout.tauOutMs: the readout decay κ = " + kappa + " is not in (0, 1)");
            }
            Map<String, NirArray> f = new LinkedHashMap<>();
            f.put("tau", filled(outputs, Discretisation.nirTauS(kappa, dtS)));
            f.put("r", filled(outputs, 1.0));
            f.put("v_leak", filled(outputs, 0.0));
            nodes.put(readout, NirNode.of("LI", f));
        } else {
            readout = "lif_out";
            nodes.put(
                    readout,
                    neuron(
                            spec.readout().neuron(),
                            params.get(READOUT_THRESHOLD).data(),
                            params.get(READOUT_RESET_OFFSET).data(),
                            stepMs,
                            dtS));
        }
        edges.add(new NirGraph.Edge("fc_out", readout));
        nodes.put("output", shaped("Output", outputs));
        edges.add(new NirGraph.Edge(readout, "output"));
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("dt", NirArray.scalar(dtS));
        metadata.put("source", "spikeloop");
        return new NirGraph(nodes, edges, metadata);
    }

    /** Refuses what NIR cannot express, naming the field under {@code path}. */
    static void check(NeuronSpec n, String path) {
        if (n.model() == NeuronModel.ALIF) {
            throw new NirException(
                    path
                            + ".model: ALIF's adaptive threshold (tauAdaptMs, adaptBeta) has no NIR"
                            + " node");
        }
        if (n.model() == NeuronModel.TWO_COMPARTMENT && n.dendriticSpikes()) {
            throw new NirException(
                    path
                            + ".dendriticSpikes: a dendritic spike gating the soma has no NIR node"
                            + " (a two-compartment neuron without it exports as CubaLIF)");
        }
        if (n.refractorySteps() > 1) {
            throw new NirException(
                    path
                            + ".refractorySteps: "
                            + n.refractorySteps()
                            + " steps of refractoriness; NIR's neurons have no refractory"
                            + " period");
        }
        if (n.reset() == ResetMode.SUBTRACT) {
            throw new NirException(
                    path
                            + ".reset: SUBTRACT keeps the overshoot after a spike; NIR's neurons"
                            + " reset to v_reset (only a reset-to-zero network, ZERO, exports)");
        }
    }

    private static NirNode neuron(
            NeuronSpec n, double[] theta, double[] delta, double stepMs, double dtS) {
        int size = theta.length;
        double alpha = n.alpha(stepMs);
        Map<String, NirArray> f = new LinkedHashMap<>();
        double[] reset = new double[size];
        if (n.model() == NeuronModel.TWO_COMPARTMENT) {
            double alphaDend = n.alphaDend(stepMs);
            double tauMem = tauOrRefuse(alpha, dtS, "tauMemMs");
            double tauSyn = tauOrRefuse(alphaDend, dtS, "tauDendMs");
            for (int j = 0; j < size; j++) {
                reset[j] = delta[j] / alpha;
            }
            f.put("tau_syn", filled(size, tauSyn));
            f.put("tau_mem", filled(size, tauMem));
            f.put("r", filled(size, n.couplingGain() * tauMem / dtS));
            f.put("v_leak", filled(size, 0.0));
            f.put("v_threshold", NirArray.vector(theta));
            f.put("v_reset", NirArray.vector(reset));
            f.put("w_in", filled(size, tauSyn / dtS));
            return NirNode.of("CubaLIF", f);
        }
        if (alpha == 1.0) {
            f.put("r", filled(size, 1.0 / dtS));
            f.put("v_threshold", NirArray.vector(theta));
            f.put("v_reset", NirArray.vector(delta));
            return NirNode.of("IF", f);
        }
        double tau = Discretisation.nirTauS(alpha, dtS);
        for (int j = 0; j < size; j++) {
            reset[j] = delta[j] / alpha;
        }
        f.put("tau", filled(size, tau));
        f.put("r", filled(size, tau / dtS));
        f.put("v_leak", filled(size, 0.0));
        f.put("v_threshold", NirArray.vector(theta));
        f.put("v_reset", NirArray.vector(reset));
        return NirNode.of("LIF", f);
    }

    private static double tauOrRefuse(double decay, double dtS, String field) {
        if (decay >= 1.0) {
            throw new NirException(
                    field
                            + ": a decay of one (no leak) has no CubaLIF form (its τ would be"
                            + " infinite)");
        }
        return Discretisation.nirTauS(decay, dtS);
    }

    private static NirNode affine(Tensor w, Tensor b) {
        Map<String, NirArray> f = new LinkedHashMap<>();
        f.put("weight", matrix(w));
        f.put("bias", NirArray.vector(b.data()));
        return NirNode.of("Affine", f);
    }

    private static NirArray matrix(Tensor w) {
        return NirArray.matrix(w.dim(0), w.dim(1), w.data());
    }

    private static NirNode shaped(String type, int size) {
        return NirNode.of(type, Map.of("shape", NirArray.vector(size)));
    }

    private static NirArray filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return NirArray.vector(a);
    }
}
