package org.spikeloop.snn.params;

import static org.spikeloop.snn.params.ParameterNames.*;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutType;

/**
 * A network's trainable parameters by name ({@link ParameterNames}), in a fixed order. Not
 * thread-safe: one owner at a time (a trainer, a checkpoint, or a kernel being loaded).
 */
public final class NetworkParams {
    private final LinkedHashMap<String, Tensor> tensors;

    private NetworkParams(LinkedHashMap<String, Tensor> tensors) {
        this.tensors = tensors;
    }

    /**
     * The shape every parameter of {@code spec} must have, in canonical order.
     *
     * @param spec the architecture (not modified)
     * @return name → shape, insertion-ordered
     */
    public static Map<String, int[]> expectedShapes(NetworkSpec spec) {
        LinkedHashMap<String, int[]> shapes = new LinkedHashMap<>();
        if (spec.conv() != null) {
            int c = spec.conv().outChannels();
            shapes.put(CONV_WEIGHT, new int[] {c, spec.inputs(), spec.conv().kernelSize()});
            shapes.put(CONV_BIAS, new int[] {c});
            shapes.put(CONV_THRESHOLD, new int[] {c});
            shapes.put(CONV_RESET_OFFSET, new int[] {c});
        }
        for (int l = 0; l < spec.layers().size(); l++) {
            LayerSpec layer = spec.layers().get(l);
            int h = layer.size();
            shapes.put(inputWeights(l), new int[] {h, spec.layerInputs(l)});
            if (layer.recurrent()) {
                shapes.put(recurrentWeights(l), new int[] {h, h});
            }
            shapes.put(bias(l), new int[] {h});
            shapes.put(threshold(l), new int[] {h});
            shapes.put(resetOffset(l), new int[] {h});
        }
        int o = spec.outputs();
        shapes.put(READOUT_WEIGHT, new int[] {o, spec.lastLayerSize()});
        shapes.put(READOUT_BIAS, new int[] {o});
        if (spec.readout().type() == ReadoutType.SPIKE_COUNT) {
            shapes.put(READOUT_THRESHOLD, new int[] {o});
            shapes.put(READOUT_RESET_OFFSET, new int[] {o});
        }
        return shapes;
    }

    /**
     * Builds parameters from named tensors after checking them against {@code spec}: every expected
     * name present with its exact shape, no unknown names, every value finite, recurrent diagonals
     * zero.
     *
     * @throws IllegalArgumentException naming the first offending parameter
     */
    public static NetworkParams of(NetworkSpec spec, Map<String, Tensor> named) {
        Map<String, int[]> expected = expectedShapes(spec);
        LinkedHashMap<String, Tensor> ordered = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Tensor t = named.get(e.getKey());
            if (t == null) {
                throw new IllegalArgumentException(
                        "parameter "
                                + e.getKey()
                                + " is missing (architecture needs shape "
                                + Arrays.toString(e.getValue())
                                + ")");
            }
            if (!t.sameShape(e.getValue())) {
                throw new IllegalArgumentException(
                        "parameter "
                                + e.getKey()
                                + " has shape "
                                + Arrays.toString(t.shape())
                                + ", architecture needs "
                                + Arrays.toString(e.getValue()));
            }
            int bad = t.firstNonFinite();
            if (bad >= 0) {
                throw new IllegalArgumentException(
                        "parameter "
                                + e.getKey()
                                + " has a non-finite value at flat index "
                                + bad
                                + ": "
                                + t.data()[bad]);
            }
            ordered.put(e.getKey(), t);
        }
        for (String name : named.keySet()) {
            if (!expected.containsKey(name)) {
                throw new IllegalArgumentException(
                        "parameter "
                                + name
                                + " is not part of this architecture; expected "
                                + expected.keySet());
            }
        }
        for (int l = 0; l < spec.layers().size(); l++) {
            Tensor rec = ordered.get(recurrentWeights(l));
            if (rec != null) {
                int h = rec.dim(0);
                for (int i = 0; i < h; i++) {
                    if (rec.data()[i * h + i] != 0.0) {
                        throw new IllegalArgumentException(
                                "parameter "
                                        + recurrentWeights(l)
                                        + " has a non-zero diagonal at ["
                                        + i
                                        + ", "
                                        + i
                                        + "]: autapses are not allowed");
                    }
                }
            }
        }
        return new NetworkParams(ordered);
    }

    /**
     * Zero weights and biases; thresholds and reset offsets at their spec's initial values.
     *
     * @param spec the architecture (not modified)
     */
    public static NetworkParams zeros(NetworkSpec spec) {
        LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
        for (Map.Entry<String, int[]> e : expectedShapes(spec).entrySet()) {
            t.put(e.getKey(), Tensor.zeros(e.getValue()));
        }
        if (spec.conv() != null) {
            fillNeuron(t, CONV_THRESHOLD, CONV_RESET_OFFSET, spec.conv().neuron());
        }
        for (int l = 0; l < spec.layers().size(); l++) {
            fillNeuron(t, threshold(l), resetOffset(l), spec.layers().get(l).neuron());
        }
        if (spec.readout().type() == ReadoutType.SPIKE_COUNT) {
            fillNeuron(t, READOUT_THRESHOLD, READOUT_RESET_OFFSET, spec.readout().neuron());
        }
        return new NetworkParams(t);
    }

    private static void fillNeuron(
            Map<String, Tensor> t, String thresholdName, String offsetName, NeuronSpec neuron) {
        Arrays.fill(t.get(thresholdName).data(), neuron.thresholdInit());
        Arrays.fill(t.get(offsetName).data(), neuron.resetOffsetInit());
    }

    /** The tensor called {@code name}. @throws IllegalArgumentException if there is none */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named " + name + "; have " + names());
        }
        return t;
    }

    /** Whether a parameter called {@code name} exists. */
    public boolean has(String name) {
        return tensors.containsKey(name);
    }

    /** Parameter names in canonical order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(tensors.keySet());
    }

    /** Name → tensor, canonical order, unmodifiable view (the tensors themselves are live). */
    public Map<String, Tensor> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    /** A deep copy. */
    public NetworkParams copy() {
        LinkedHashMap<String, Tensor> c = new LinkedHashMap<>();
        tensors.forEach((k, v) -> c.put(k, v.copy()));
        return new NetworkParams(c);
    }

    /** Total number of scalar parameters. */
    public long count() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.size();
        }
        return n;
    }
}
