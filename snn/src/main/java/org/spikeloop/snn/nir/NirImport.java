package org.spikeloop.snn.nir;

import static org.spikeloop.snn.params.ParameterNames.READOUT_BIAS;
import static org.spikeloop.snn.params.ParameterNames.READOUT_RESET_OFFSET;
import static org.spikeloop.snn.params.ParameterNames.READOUT_THRESHOLD;
import static org.spikeloop.snn.params.ParameterNames.READOUT_WEIGHT;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.ParameterNames;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;
import org.spikeloop.snn.spec.ReadoutType;
import org.spikeloop.snn.spec.ResetMode;

/**
 * Turns a NIR graph into a Spikeloop architecture and its parameters (docs/checkpoints.md, "NIR").
 *
 * <p>Nested graphs (snnTorch's RLeaky) are inlined first. What remains must be the chain Spikeloop
 * runs: {@code Input → (Affine|Linear → neuron [⇄ Affine|Linear])+ → Output}, where a neuron is
 * {@code LIF}, {@code IF} or {@code CubaLIF} (a spiking layer, optionally with a recurrent
 * projection forming a two-node cycle) and the last neuron is the readout: {@code LI} (leaky
 * readout) or a spiking node (spike-count readout). Anything else is refused with the node named.
 *
 * <p>Mapping at step dt (forward Euler, {@link Discretisation}): LIF → LIF with reset to zero
 * (Spikeloop's δ = β·v_reset); IF → LIF with α = 1; CubaLIF → the two-compartment neuron without
 * dendritic spikes (dendrite = synaptic current, coupling 1); LI → leaky readout. Input factors and
 * v_leak fold into the feeding weights and bias; a recurrent projection's bias adds to the layer's
 * bias; its diagonal (a self-connection, which Spikeloop does not have) folds into the reset
 * offset, exact for LIF and IF because a spike's reset and its self-input arrive together one step
 * later. A recurrent projection takes the previous step's spikes (as snnTorch's RLeaky does).
 *
 * <p>Threads: stateless; control plane only.
 */
public final class NirImport {
    private static final Set<String> PROJECTIONS = Set.of("Affine", "Linear");
    private static final Set<String> NEURONS = Set.of("LIF", "IF", "CubaLIF", "LI");

    /**
     * @param dtS the step the file's time constants are discretised with, in seconds; null to take
     *     the graph's metadata {@code dt}
     * @param stepMs Spikeloop's step in ms; null for dt
     */
    public record Options(Double dtS, Double stepMs) {}

    /**
     * @param spec the architecture
     * @param params its parameters
     * @param dtS the dt used
     * @param source where dt came from ({@code --dt-s} or the file's metadata)
     */
    public record Result(NetworkSpec spec, NetworkParams params, double dtS, String source) {}

    private NirImport() {}

    /**
     * @throws NirException naming the node (or the missing dt) when the graph has no Spikeloop form
     */
    public static Result toNetwork(NirGraph graph, Options options) {
        double dtS = dt(graph, options);
        double stepMs = options.stepMs() != null ? options.stepMs() : dtS * 1000.0;
        if (!(stepMs > 0) || !Double.isFinite(stepMs)) {
            throw new NirException("the step must be finite and > 0 ms, got " + stepMs);
        }
        NirGraph flat = flatten(graph);
        List<Stage> stages = chain(flat);
        int inputs = shapeSize(flat.nodes().get(single(flat, "Input", "")), "input");
        Map<String, Tensor> params = new LinkedHashMap<>();
        List<LayerSpec> layers = new ArrayList<>();
        int in = inputs;
        ReadoutSpec readout = null;
        for (int s = 0; s < stages.size(); s++) {
            Stage st = stages.get(s);
            boolean last = s == stages.size() - 1;
            NirNode proj = flat.nodes().get(st.projection);
            NirArray w = require(proj, st.projection, "weight");
            if (w.shape().length != 2 || w.shape()[1] != in) {
                throw new NirException(
                        "node '"
                                + st.projection
                                + "'.weight has shape "
                                + w.shapeText()
                                + ", expected ["
                                + (w.shape().length == 2 ? w.shape()[0] : "n")
                                + ", "
                                + in
                                + "] (it takes "
                                + in
                                + " values)");
            }
            int n = w.shape()[0];
            Population pop = population(flat.nodes().get(st.neuron), st.neuron, n, dtS, stepMs);
            if (pop.leakyReadout && !last) {
                throw new NirException(
                        "node '"
                                + st.neuron
                                + "': an LI node is Spikeloop's leaky readout and must feed the"
                                + " Output; hidden layers must spike (LIF, IF, CubaLIF)");
            }
            double[] weight = w.values();
            double[] bias = vectorOrZeros(proj, st.projection, "bias", n);
            double[] recurrent = null;
            if (st.recurrent != null) {
                if (last) {
                    throw new NirException(
                            "node '"
                                    + st.neuron
                                    + "' is the readout but has a recurrent projection '"
                                    + st.recurrent
                                    + "'; Spikeloop's readout neurons are not recurrent");
                }
                NirNode rec = flat.nodes().get(st.recurrent);
                NirArray rw = require(rec, st.recurrent, "weight");
                if (!Arrays.equals(rw.shape(), new int[] {n, n})) {
                    throw new NirException(
                            "node '"
                                    + st.recurrent
                                    + "'.weight has shape "
                                    + rw.shapeText()
                                    + ", expected ["
                                    + n
                                    + ", "
                                    + n
                                    + "] (a recurrent projection of '"
                                    + st.neuron
                                    + "')");
                }
                recurrent = rw.values();
                double[] rb = vectorOrZeros(rec, st.recurrent, "bias", n);
                for (int j = 0; j < n; j++) {
                    bias[j] += rb[j];
                }
            }
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < in; i++) {
                    weight[j * in + i] *= pop.scale[j];
                }
                bias[j] = pop.scale[j] * bias[j] + pop.biasAdd[j];
                if (recurrent != null) {
                    for (int i = 0; i < n; i++) {
                        recurrent[j * n + i] *= pop.scale[j];
                    }
                    double self = recurrent[j * n + j];
                    if (self != 0.0) {
                        if (pop.spec.model() == NeuronModel.TWO_COMPARTMENT) {
                            throw new NirException(
                                    "node '"
                                            + st.recurrent
                                            + "'.weight["
                                            + j
                                            + ", "
                                            + j
                                            + "] = "
                                            + self
                                            + ": a self-connection into a CubaLIF synapse has no"
                                            + " Spikeloop form (no autapses; only a LIF's or IF's"
                                            + " folds into its reset)");
                        }
                        pop.delta[j] += self;
                        recurrent[j * n + j] = 0.0;
                    }
                }
            }
            if (!last) {
                int l = layers.size();
                layers.add(new LayerSpec(n, recurrent != null, pop.spec));
                params.put(ParameterNames.inputWeights(l), new Tensor(new int[] {n, in}, weight));
                if (recurrent != null) {
                    params.put(
                            ParameterNames.recurrentWeights(l),
                            new Tensor(new int[] {n, n}, recurrent));
                }
                params.put(ParameterNames.bias(l), new Tensor(new int[] {n}, bias));
                params.put(ParameterNames.threshold(l), new Tensor(new int[] {n}, pop.theta));
                params.put(ParameterNames.resetOffset(l), new Tensor(new int[] {n}, pop.delta));
                in = n;
            } else {
                params.put(READOUT_WEIGHT, new Tensor(new int[] {n, in}, weight));
                params.put(READOUT_BIAS, new Tensor(new int[] {n}, bias));
                if (pop.leakyReadout) {
                    readout = new ReadoutSpec(ReadoutType.LEAKY, n, pop.tauOutMs, NeuronSpec.lif());
                } else {
                    readout = ReadoutSpec.spikeCount(n, pop.spec);
                    params.put(READOUT_THRESHOLD, new Tensor(new int[] {n}, pop.theta));
                    params.put(READOUT_RESET_OFFSET, new Tensor(new int[] {n}, pop.delta));
                }
            }
        }
        if (layers.isEmpty()) {
            throw new NirException(
                    "the graph has one layer ('"
                            + stages.get(0).neuron
                            + "'); Spikeloop needs at least one spiking layer before the readout");
        }
        NetworkSpec spec = new NetworkSpec(stepMs, inputs, null, layers, readout);
        int outputs = outputSize(flat);
        if (outputs != spec.outputs()) {
            throw new NirException(
                    "the Output node has shape ["
                            + outputs
                            + "] but the readout '"
                            + stages.get(stages.size() - 1).neuron
                            + "' has "
                            + spec.outputs()
                            + " neurons");
        }
        String source = options.dtS() != null ? "--dt-s" : "the file's metadata dt";
        return new Result(spec, NetworkParams.of(spec, params), dtS, source);
    }

    private static double dt(NirGraph graph, Options options) {
        if (options.dtS() != null) {
            double dt = options.dtS();
            if (!(dt > 0) || !Double.isFinite(dt)) {
                throw new NirException("--dt-s must be finite and > 0 s, got " + dt);
            }
            return dt;
        }
        Object meta = graph.metadata().get("dt");
        if (meta instanceof NirArray a && a.size() == 1 && a.get(0) > 0) {
            return a.get(0);
        }
        throw new NirException(
                "the file does not say its time step (no metadata 'dt' on the graph); pass --dt-s"
                        + " SECONDS, the step its time constants were computed with (snnTorch 1.0"
                        + " exports with 1e-4)");
    }

    // ---- the graph's shape ----

    /** One layer of the chain: projection → neuron, with an optional recurrent projection. */
    private record Stage(String projection, String neuron, String recurrent) {}

    /** Inlines every nested NIRGraph node: its nodes become {@code outer.inner}. */
    static NirGraph flatten(NirGraph g) {
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        List<NirGraph.Edge> edges = new ArrayList<>();
        Map<String, List<String>> entries = new LinkedHashMap<>();
        Map<String, List<String>> exits = new LinkedHashMap<>();
        for (Map.Entry<String, NirNode> e : g.nodes().entrySet()) {
            String name = e.getKey();
            if (e.getValue().graph() == null) {
                put(nodes, name, e.getValue());
                continue;
            }
            NirGraph inner = flatten(e.getValue().graph());
            String in = single(inner, "Input", name);
            String out = single(inner, "Output", name);
            List<String> entry = new ArrayList<>();
            List<String> exit = new ArrayList<>();
            for (Map.Entry<String, NirNode> n : inner.nodes().entrySet()) {
                if (!n.getKey().equals(in) && !n.getKey().equals(out)) {
                    put(nodes, name + "." + n.getKey(), n.getValue());
                }
            }
            for (NirGraph.Edge ie : inner.edges()) {
                if (ie.source().equals(in) && ie.target().equals(out)) {
                    throw new NirException(
                            "node '" + name + "': a nested graph whose Input feeds its Output");
                } else if (ie.source().equals(in)) {
                    entry.add(name + "." + ie.target());
                } else if (ie.target().equals(out)) {
                    exit.add(name + "." + ie.source());
                } else {
                    edges.add(
                            new NirGraph.Edge(name + "." + ie.source(), name + "." + ie.target()));
                }
            }
            entries.put(name, entry);
            exits.put(name, exit);
        }
        for (NirGraph.Edge e : g.edges()) {
            for (String s : exits.getOrDefault(e.source(), List.of(e.source()))) {
                for (String t : entries.getOrDefault(e.target(), List.of(e.target()))) {
                    NirGraph.Edge f = new NirGraph.Edge(s, t);
                    if (!edges.contains(f)) {
                        edges.add(f);
                    }
                }
            }
        }
        List<NirGraph.Edge> unique = new ArrayList<>();
        for (NirGraph.Edge e : edges) {
            if (!unique.contains(e)) {
                unique.add(e);
            }
        }
        return new NirGraph(nodes, unique, g.metadata());
    }

    private static void put(Map<String, NirNode> nodes, String name, NirNode node) {
        if (nodes.putIfAbsent(name, node) != null) {
            throw new NirException(
                    "node '" + name + "' appears twice once nested graphs are inlined");
        }
    }

    private static String single(NirGraph g, String type, String where) {
        List<String> found = new ArrayList<>();
        for (Map.Entry<String, NirNode> e : g.nodes().entrySet()) {
            if (e.getValue().type().equals(type)) {
                found.add(e.getKey());
            }
        }
        if (found.size() != 1) {
            throw new NirException(
                    (where.isEmpty() ? "the graph" : "node '" + where + "' (a nested graph)")
                            + " has "
                            + found.size()
                            + " "
                            + type
                            + " nodes "
                            + found
                            + "; Spikeloop's networks have one input and one output");
        }
        return found.get(0);
    }

    /** Walks Input → … → Output and returns the layers in order. */
    private static List<Stage> chain(NirGraph g) {
        String input = single(g, "Input", "");
        String output = single(g, "Output", "");
        Map<String, List<String>> succ = new LinkedHashMap<>();
        Map<String, List<String>> pred = new LinkedHashMap<>();
        for (String n : g.nodes().keySet()) {
            succ.put(n, new ArrayList<>());
            pred.put(n, new ArrayList<>());
        }
        for (NirGraph.Edge e : g.edges()) {
            succ.get(e.source()).add(e.target());
            pred.get(e.target()).add(e.source());
        }
        Set<String> seen = new HashSet<>(List.of(input, output));
        List<Stage> stages = new ArrayList<>();
        String cur = input;
        String curRecurrent = null;
        while (true) {
            List<String> next = new ArrayList<>(succ.get(cur));
            next.remove(curRecurrent);
            if (next.size() != 1) {
                throw new NirException(
                        "node '"
                                + cur
                                + "' feeds "
                                + next.size()
                                + " nodes "
                                + next
                                + "; Spikeloop takes a chain of layers (branches and merges have"
                                + " no Spikeloop form)");
            }
            String p = next.get(0);
            if (p.equals(output)) {
                if (stages.isEmpty()) {
                    throw new NirException("the Input feeds the Output directly: no layer");
                }
                break;
            }
            requireType(g, p, cur);
            if (!pred.get(p).equals(List.of(cur))) {
                throw new NirException(
                        "node '" + p + "' has inputs " + pred.get(p) + "; a projection takes one");
            }
            if (succ.get(p).size() != 1) {
                throw new NirException(
                        "node '"
                                + p
                                + "' feeds "
                                + succ.get(p)
                                + "; a projection feeds one neuron node");
            }
            String n = succ.get(p).get(0);
            if (n.equals(output)) {
                throw new NirException(
                        "node '"
                                + p
                                + "' feeds the Output directly; Spikeloop's readout needs an LI or"
                                + " a spiking node after its projection");
            }
            String type = g.nodes().get(n).type();
            if (!NEURONS.contains(type)) {
                throw new NirException(
                        "node '"
                                + n
                                + "' ("
                                + type
                                + ") follows projection '"
                                + p
                                + "'; Spikeloop expects a neuron node there (LIF, IF, CubaLIF or"
                                + " LI)");
            }
            String recurrent = null;
            for (String q : pred.get(n)) {
                if (q.equals(p)) {
                    continue;
                }
                boolean cycle =
                        PROJECTIONS.contains(g.nodes().get(q).type())
                                && pred.get(q).equals(List.of(n))
                                && succ.get(q).equals(List.of(n))
                                && recurrent == null;
                if (!cycle) {
                    throw new NirException(
                            "node '"
                                    + n
                                    + "' also takes input from '"
                                    + q
                                    + "'; Spikeloop's layers take one feed-forward projection"
                                    + " and at most one recurrent projection (a cycle through"
                                    + " an Affine or Linear node)");
                }
                recurrent = q;
            }
            for (String s : List.of(p, n)) {
                if (!seen.add(s)) {
                    throw new NirException("node '" + s + "' is reached twice: a cycle");
                }
            }
            if (recurrent != null) {
                seen.add(recurrent);
            }
            stages.add(new Stage(p, n, recurrent));
            cur = n;
            curRecurrent = recurrent;
        }
        for (String n : g.nodes().keySet()) {
            if (!seen.contains(n)) {
                throw new NirException(
                        "node '"
                                + n
                                + "' ("
                                + g.nodes().get(n).type()
                                + ") is not on the path from the Input to the Output");
            }
        }
        return stages;
    }

    private static void requireType(NirGraph g, String p, String after) {
        String type = g.nodes().get(p).type();
        if (PROJECTIONS.contains(type)) {
            return;
        }
        String why;
        switch (type) {
            case "Conv1d":
            case "Conv2d":
                why =
                        "a convolution over a spatial axis within one time step; Spikeloop's"
                                + " conv front-end convolves over time, and the import does not"
                                + " unroll spatial convolutions into dense layers";
                break;
            case "LIF":
            case "IF":
            case "CubaLIF":
            case "LI":
                why =
                        "a neuron node right after '"
                                + after
                                + "'; each Spikeloop layer starts with a projection (Affine or"
                                + " Linear)";
                break;
            default:
                why = "a NIR " + type + " node has no Spikeloop form";
        }
        throw new NirException("node '" + p + "' (" + type + "): " + why);
    }

    private static int outputSize(NirGraph g) {
        return shapeSize(g.nodes().get(single(g, "Output", "")), "output");
    }

    private static int shapeSize(NirNode node, String what) {
        NirArray shape = node.field("shape");
        if (shape == null || shape.size() == 0) {
            throw new NirException("the " + what + " node has no shape");
        }
        int size = 1;
        for (int i = 0; i < shape.size(); i++) {
            size *= (int) shape.get(i);
            if (i < shape.size() - 1 && shape.get(i) != 1) {
                throw new NirException(
                        "the "
                                + what
                                + " node has shape "
                                + Arrays.toString(shape.values())
                                + "; Spikeloop takes a flat vector (only leading 1s allowed)");
            }
        }
        return size;
    }

    // ---- neurons ----

    /** A neuron node's Spikeloop form at one step. */
    private static final class Population {
        NeuronSpec spec;
        boolean leakyReadout;
        double tauOutMs;
        double[] scale;
        double[] biasAdd;
        double[] theta;
        double[] delta;
    }

    private static Population population(
            NirNode node, String name, int n, double dtS, double stepMs) {
        Population p = new Population();
        p.scale = new double[n];
        p.biasAdd = new double[n];
        p.theta = new double[n];
        p.delta = new double[n];
        switch (node.type()) {
            case "LIF":
                {
                    double tau = uniform(node, name, "tau", n);
                    double beta = decay(name, "tau", dtS, tau);
                    double[] r = vector(node, name, "r", n, null);
                    double[] leak = vector(node, name, "v_leak", n, 0.0);
                    double[] reset = vector(node, name, "v_reset", n, 0.0);
                    thresholds(node, name, n, p.theta);
                    for (int j = 0; j < n; j++) {
                        p.scale[j] = Discretisation.snapToOne(dtS / tau * r[j]);
                        p.biasAdd[j] = dtS / tau * leak[j];
                        p.delta[j] = beta * reset[j];
                    }
                    p.spec =
                            NeuronSpec.lif()
                                    .withReset(ResetMode.ZERO, 0.0)
                                    .withMembrane(
                                            Discretisation.spikeloopTauMs(beta, stepMs),
                                            p.theta[0]);
                    return p;
                }
            case "IF":
                {
                    double[] r = vector(node, name, "r", n, null);
                    double[] reset = vector(node, name, "v_reset", n, 0.0);
                    thresholds(node, name, n, p.theta);
                    for (int j = 0; j < n; j++) {
                        p.scale[j] = Discretisation.snapToOne(dtS * r[j]);
                        p.delta[j] = reset[j];
                    }
                    p.spec =
                            NeuronSpec.lif()
                                    .withReset(ResetMode.ZERO, 0.0)
                                    .withMembrane(Double.MAX_VALUE, p.theta[0]);
                    return p;
                }
            case "CubaLIF":
                {
                    double tauMem = uniform(node, name, "tau_mem", n);
                    double tauSyn = uniform(node, name, "tau_syn", n);
                    double betaMem = decay(name, "tau_mem", dtS, tauMem);
                    double betaSyn = decay(name, "tau_syn", dtS, tauSyn);
                    double[] r = vector(node, name, "r", n, null);
                    double[] wIn = vector(node, name, "w_in", n, 1.0);
                    double[] leak = vector(node, name, "v_leak", n, 0.0);
                    double[] reset = vector(node, name, "v_reset", n, 0.0);
                    for (int j = 0; j < n; j++) {
                        if (leak[j] != 0.0) {
                            throw new NirException(
                                    "node '"
                                            + name
                                            + "'.v_leak["
                                            + j
                                            + "] = "
                                            + leak[j]
                                            + ": a CubaLIF's membrane leak target has no Spikeloop"
                                            + " form (the two-compartment soma has no constant"
                                            + " drive)");
                        }
                    }
                    thresholds(node, name, n, p.theta);
                    for (int j = 0; j < n; j++) {
                        p.scale[j] =
                                Discretisation.snapToOne(
                                        dtS / tauSyn * wIn[j] * (dtS / tauMem) * r[j]);
                        p.delta[j] = betaMem * reset[j];
                    }
                    p.spec =
                            NeuronSpec.twoCompartment()
                                    .withReset(ResetMode.ZERO, 0.0)
                                    .withMembrane(
                                            Discretisation.spikeloopTauMs(betaMem, stepMs),
                                            p.theta[0])
                                    .withDendrite(
                                            Discretisation.spikeloopTauMs(betaSyn, stepMs),
                                            1.0,
                                            false,
                                            1.0);
                    return p;
                }
            case "LI":
                {
                    double tau = uniform(node, name, "tau", n);
                    double kappa = decay(name, "tau", dtS, tau);
                    double[] r = vector(node, name, "r", n, null);
                    double[] leak = vector(node, name, "v_leak", n, 0.0);
                    for (int j = 0; j < n; j++) {
                        p.scale[j] = Discretisation.snapToOne(r[j]);
                        p.biasAdd[j] = leak[j];
                    }
                    p.leakyReadout = true;
                    p.tauOutMs = Discretisation.spikeloopTauMs(kappa, stepMs);
                    p.spec = NeuronSpec.lif();
                    return p;
                }
            default:
                throw new IllegalStateException("not a neuron type: " + node.type());
        }
    }

    private static double decay(String name, String field, double dtS, double tauS) {
        double beta = Discretisation.decay(dtS, tauS);
        if (!(beta > 0.0 && beta < 1.0)) {
            throw new NirException(
                    String.format(
                            Locale.ROOT,
                            "node '%s'.%s = %s s at dt = %s s gives a decay 1 - dt/tau = %s outside"
                                    + " (0, 1); pass the dt the file was written with (--dt-s)",
                            name,
                            field,
                            tauS,
                            dtS,
                            beta));
        }
        return beta;
    }

    private static void thresholds(NirNode node, String name, int n, double[] out) {
        double[] t = vector(node, name, "v_threshold", n, null);
        for (int j = 0; j < n; j++) {
            if (!(t[j] > 0.0)) {
                throw new NirException(
                        "node '"
                                + name
                                + "'.v_threshold["
                                + j
                                + "] = "
                                + t[j]
                                + ": Spikeloop's thresholds must be > 0");
            }
            out[j] = t[j];
        }
    }

    private static double uniform(NirNode node, String name, String field, int n) {
        double[] v = vector(node, name, field, n, null);
        for (double x : v) {
            if (Math.abs(x - v[0]) > 1e-12 * Math.abs(v[0])) {
                throw new NirException(
                        "node '"
                                + name
                                + "'."
                                + field
                                + " differs across neurons ("
                                + v[0]
                                + " and "
                                + x
                                + "); Spikeloop has one time constant per layer");
            }
        }
        if (!(v[0] > 0) || !Double.isFinite(v[0])) {
            throw new NirException(
                    "node '" + name + "'." + field + " must be finite and > 0, got " + v[0]);
        }
        return v[0];
    }

    private static NirArray require(NirNode node, String name, String field) {
        NirArray a = node.field(field);
        if (a == null) {
            throw new NirException(
                    "node '" + name + "' (" + node.type() + ") has no field '" + field + "'");
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Double.isFinite(a.get(i))) {
                throw new NirException(
                        "node '"
                                + name
                                + "'."
                                + field
                                + " has a non-finite value ("
                                + a.get(i)
                                + ") at flat index "
                                + i);
            }
        }
        return a;
    }

    /**
     * A per-neuron field of length n (a scalar or one value broadcasts); {@code orElse} if absent.
     */
    private static double[] vector(NirNode node, String name, String field, int n, Double orElse) {
        if (node.field(field) == null && orElse != null) {
            double[] v = new double[n];
            Arrays.fill(v, orElse);
            return v;
        }
        NirArray a = require(node, name, field);
        if (a.size() == n) {
            return a.values();
        }
        if (a.size() == 1) {
            double[] v = new double[n];
            Arrays.fill(v, a.get(0));
            return v;
        }
        throw new NirException(
                "node '"
                        + name
                        + "'."
                        + field
                        + " has shape "
                        + a.shapeText()
                        + ", expected ["
                        + n
                        + "] (one value per neuron)");
    }

    private static double[] vectorOrZeros(NirNode node, String name, String field, int n) {
        return node.field(field) == null ? new double[n] : vector(node, name, field, n, null);
    }
}
