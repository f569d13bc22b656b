package org.spikeloop.snn.nir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.spikeloop.snn.kernel.ReferenceNetwork;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronModel;
import org.spikeloop.snn.spec.ReadoutType;
import org.spikeloop.snn.spec.ResetMode;

class NirImportTest {
    static final double DT = 1e-4;
    static final NirImport.Options AT_DT = new NirImport.Options(DT, null);

    @Test
    void shouldInlineANestedRecurrentGraphAndFoldItsDiagonalIntoTheReset() throws Exception {
        NirGraph g = NirFile.read(NirFileTest.fixture("nested-rleaky.nir"));

        NirImport.Result r = NirImport.toNetwork(g, AT_DT);

        NetworkSpec s = r.spec();
        assertThat(s.dtMs()).isEqualTo(0.1);
        assertThat(s.inputs()).isEqualTo(3);
        assertThat(s.layers()).hasSize(1);
        assertThat(s.layers().get(0).recurrent()).isTrue();
        assertThat(s.layers().get(0).neuron().reset()).isEqualTo(ResetMode.ZERO);
        // α = e^(−step/τ_sl) equals NIR's Euler decay β = 1 − dt/τ = 0.9.
        assertThat(s.layers().get(0).neuron().alpha(s.dtMs())).isCloseTo(0.9, within(1e-12));
        assertThat(s.readout().type()).isEqualTo(ReadoutType.LEAKY);
        assertThat(s.readout().kappa(s.dtMs())).isCloseTo(0.8, within(1e-12));
        // The recurrent Affine's bias adds to the layer's; its diagonal becomes the reset offset.
        assertThat(r.params().get("layer0.bias").data())
                .containsExactly((double) 0.1f + (double) 0.01f, (double) -0.1f + (double) 0.02f);
        assertThat(r.params().get("layer0.reset_offset").data())
                .containsExactly((double) 0.3f, (double) -0.1f);
        assertThat(r.params().get("layer0.w_rec").data())
                .containsExactly(0.0, (double) -0.2f, (double) 0.4f, 0.0);
        assertThat(r.params().get("layer0.w_in").data())
                .containsExactly(0.5, -1.0, 2.0, 1.5, 0.25, -0.5);
        assertThat(r.params().get("readout.w_out").data()).containsExactly(1.0, -2.0);
        assertThat(r.source()).isEqualTo("--dt-s");
    }

    @Test
    void shouldStepLikeTheEulerDiscretisationWithASelfConnection() {
        // One LIF neuron (input weight 0.5) with a self-connection w: v_t = β(1 − z)v + 0.5·x +
        // w·z_{t−1}.
        double beta = 0.75;
        double w = 0.4;
        NirGraph g =
                chain(
                        1,
                        lif(1, DT / (1 - beta), 1.0),
                        NirNode.of(
                                "Linear",
                                Map.of("weight", NirArray.matrix(1, 1, new double[] {w}))));
        NirImport.Result r = NirImport.toNetwork(g, AT_DT);
        ReferenceNetwork net = new ReferenceNetwork(r.spec(), r.params());
        double[] out = new double[1];
        double v = 0;
        double z = 0;
        double[] drive = {1.2, 1.4, 0.2, 1.8, 0.1, 0.6, 1.6, 0.0, 2.2, 2.2};
        for (double x : drive) {
            v = beta * (1 - z) * v + 0.5 * x + w * z;
            z = v > 1.0 ? 1 : 0;
            net.step(new double[] {x}, out);
            assertThat(net.membrane(0)[0]).isCloseTo(v, within(1e-12));
            assertThat(net.spikes(0)[0]).isEqualTo(z);
        }
    }

    @Test
    void shouldMapCubaLifToATwoCompartmentNeuronAndIfToANonLeakyOne() {
        Map<String, NirArray> cuba = new LinkedHashMap<>();
        cuba.put("tau_syn", NirArray.vector(DT / 0.5, DT / 0.5));
        cuba.put("tau_mem", NirArray.vector(DT / 0.1, DT / 0.1));
        cuba.put("r", NirArray.vector(10, 10));
        cuba.put("v_leak", NirArray.vector(0, 0));
        cuba.put("v_threshold", NirArray.vector(1, 1));
        cuba.put("v_reset", NirArray.vector(0, 0));
        cuba.put("w_in", NirArray.vector(2, 2));
        Map<String, NirArray> ifn = new LinkedHashMap<>();
        ifn.put("r", NirArray.vector(1 / DT, 1 / DT));
        ifn.put("v_threshold", NirArray.vector(1, 1));
        NirGraph g = chainOf(2, List.of(NirNode.of("CubaLIF", cuba), NirNode.of("IF", ifn)));

        NirImport.Result r = NirImport.toNetwork(g, AT_DT);

        assertThat(r.spec().layers().get(0).neuron().model())
                .isEqualTo(NeuronModel.TWO_COMPARTMENT);
        assertThat(r.spec().layers().get(0).neuron().dendriticSpikes()).isFalse();
        assertThat(r.spec().layers().get(0).neuron().alphaDend(0.1)).isCloseTo(0.5, within(1e-12));
        assertThat(r.spec().layers().get(0).neuron().alpha(0.1)).isCloseTo(0.9, within(1e-12));
        assertThat(r.spec().readout().type()).isEqualTo(ReadoutType.SPIKE_COUNT);
        assertThat(r.spec().readout().neuron().alpha(0.1)).isEqualTo(1.0);
    }

    @Test
    void shouldTakeDtFromTheMetadataAndRefuseWithoutIt() {
        NirGraph g = chain(2, lif(2, 1e-3, 1.0), null);
        NirGraph withDt = new NirGraph(g.nodes(), g.edges(), Map.of("dt", NirArray.scalar(1e-4)));

        assertThat(NirImport.toNetwork(withDt, new NirImport.Options(null, null)).dtS())
                .isEqualTo(1e-4);
        assertThatThrownBy(() -> NirImport.toNetwork(g, new NirImport.Options(null, null)))
                .isInstanceOf(NirException.class)
                .hasMessageContaining("does not say its time step")
                .hasMessageContaining("--dt-s");
    }

    @Test
    void shouldRescaleTimeToTheStepAsked() {
        NirImport.Result r =
                NirImport.toNetwork(
                        chain(2, lif(2, DT / 0.1, 1.0), null), new NirImport.Options(DT, 1.0));

        assertThat(r.spec().dtMs()).isEqualTo(1.0);
        assertThat(r.spec().layers().get(0).neuron().alpha(1.0)).isCloseTo(0.9, within(1e-12));
    }

    @Test
    void shouldRefuseWhatSpikeloopCannotExpressNamingTheNode() {
        Map<String, NirArray> conv = new LinkedHashMap<>();
        conv.put("weight", new NirArray(new int[] {1, 1, 2}, new double[] {1, 1}));
        NirGraph convGraph = replace(chain(2, lif(2, 1e-3, 1.0), null), "fc0", "Conv1d", conv);
        assertThatThrownBy(() -> NirImport.toNetwork(convGraph, AT_DT))
                .isInstanceOf(NirException.class)
                .hasMessageStartingWith("node 'fc0' (Conv1d): a convolution over a spatial axis");

        NirGraph mixedTau = chain(2, lifTaus(new double[] {1e-3, 2e-3}), null);
        assertThatThrownBy(() -> NirImport.toNetwork(mixedTau, AT_DT))
                .hasMessageStartingWith("node 'lif0'.tau differs across neurons");

        assertThatThrownBy(() -> NirImport.toNetwork(chain(2, lif(2, 5e-5, 1.0), null), AT_DT))
                .hasMessageContaining("node 'lif0'.tau = 5.0E-5 s at dt = 1.0E-4 s");

        NirGraph delay =
                replace(
                        chain(2, lif(2, 1e-3, 1.0), null),
                        "lif0",
                        "Delay",
                        Map.of("delay", NirArray.vector(1, 1)));
        assertThatThrownBy(() -> NirImport.toNetwork(delay, AT_DT))
                .hasMessageStartingWith("node 'lif0' (Delay) follows projection 'fc0'");
    }

    @Test
    void shouldRefuseABranchNamingTheNode() {
        NirGraph g = chain(2, lif(2, 1e-3, 1.0), null);
        List<NirGraph.Edge> edges = new ArrayList<>(g.edges());
        edges.add(new NirGraph.Edge("input", "fc_out"));
        NirGraph branched = new NirGraph(g.nodes(), edges, Map.of());

        assertThatThrownBy(() -> NirImport.toNetwork(branched, AT_DT))
                .isInstanceOf(NirException.class)
                .hasMessageStartingWith("node 'input' feeds 2 nodes");
    }

    // ---- graphs ----

    static NirNode lif(int n, double tauS, double threshold) {
        double[] tau = new double[n];
        java.util.Arrays.fill(tau, tauS);
        NirNode base = lifTaus(tau);
        Map<String, NirArray> f = new LinkedHashMap<>(base.fields());
        double[] th = new double[n];
        java.util.Arrays.fill(th, threshold);
        f.put("v_threshold", NirArray.vector(th));
        return NirNode.of("LIF", f);
    }

    static NirNode lifTaus(double[] tau) {
        int n = tau.length;
        double[] r = new double[n];
        for (int j = 0; j < n; j++) {
            r[j] = tau[j] / DT;
        }
        Map<String, NirArray> f = new LinkedHashMap<>();
        f.put("tau", NirArray.vector(tau));
        f.put("r", NirArray.vector(r));
        f.put("v_leak", NirArray.vector(new double[n]));
        f.put("v_threshold", NirArray.vector(filled(n, 1.0)));
        f.put("v_reset", NirArray.vector(new double[n]));
        return NirNode.of("LIF", f);
    }

    /** input(2) → fc0 → hidden [⇄ rec0] → fc_out → lif_out(1) → output. */
    static NirGraph chain(int inputs, NirNode hidden, NirNode recurrent) {
        int n = hidden.field(hidden.type().equals("IF") ? "r" : "v_threshold").size();
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        nodes.put("input", NirNode.of("Input", Map.of("shape", NirArray.vector(inputs))));
        nodes.put("fc0", affine(n, inputs));
        nodes.put("lif0", hidden);
        nodes.put("fc_out", affine(1, n));
        nodes.put("lif_out", lif(1, 1e-3, 1.0));
        nodes.put("output", NirNode.of("Output", Map.of("shape", NirArray.vector(1))));
        List<NirGraph.Edge> edges = new ArrayList<>();
        edges.add(new NirGraph.Edge("input", "fc0"));
        edges.add(new NirGraph.Edge("fc0", "lif0"));
        if (recurrent != null) {
            nodes.put("rec0", recurrent);
            edges.add(new NirGraph.Edge("lif0", "rec0"));
            edges.add(new NirGraph.Edge("rec0", "lif0"));
        }
        edges.add(new NirGraph.Edge("lif0", "fc_out"));
        edges.add(new NirGraph.Edge("fc_out", "lif_out"));
        edges.add(new NirGraph.Edge("lif_out", "output"));
        return new NirGraph(nodes, edges, Map.of());
    }

    /** input(inputs) → fc0 → neurons[0] → fc1 → neurons[1] → output; layers of 2, last of 1. */
    static NirGraph chainOf(int inputs, List<NirNode> neurons) {
        Map<String, NirNode> nodes = new LinkedHashMap<>();
        List<NirGraph.Edge> edges = new ArrayList<>();
        nodes.put("input", NirNode.of("Input", Map.of("shape", NirArray.vector(inputs))));
        String prev = "input";
        int in = inputs;
        for (int l = 0; l < neurons.size(); l++) {
            int n = 2;
            nodes.put("fc" + l, affine(n, in));
            nodes.put("n" + l, neurons.get(l));
            edges.add(new NirGraph.Edge(prev, "fc" + l));
            edges.add(new NirGraph.Edge("fc" + l, "n" + l));
            prev = "n" + l;
            in = n;
        }
        nodes.put("output", NirNode.of("Output", Map.of("shape", NirArray.vector(in))));
        edges.add(new NirGraph.Edge(prev, "output"));
        return new NirGraph(nodes, edges, Map.of());
    }

    static NirGraph replace(NirGraph g, String name, String type, Map<String, NirArray> fields) {
        Map<String, NirNode> nodes = new LinkedHashMap<>(g.nodes());
        nodes.put(name, NirNode.of(type, fields));
        return new NirGraph(nodes, g.edges(), g.metadata());
    }

    static NirNode affine(int out, int in) {
        double[] w = new double[out * in];
        for (int i = 0; i < w.length; i++) {
            w[i] = 0.5 + 0.25 * i;
        }
        Map<String, NirArray> f = new LinkedHashMap<>();
        f.put("weight", NirArray.matrix(out, in, w));
        f.put("bias", NirArray.vector(new double[out]));
        return NirNode.of("Affine", f);
    }

    static double[] filled(int n, double v) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, v);
        return a;
    }
}
