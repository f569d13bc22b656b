package org.spikeloop.learn.bptt;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.params.Tensor;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * ∂L/∂p for every parameter of a network, by {@link org.spikeloop.snn.params.ParameterNames name},
 * in canonical order, shaped like the parameter. Not thread-safe.
 */
public final class Gradients {
    private final LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();

    /** Zero gradients shaped like {@code spec}'s parameters. */
    public Gradients(NetworkSpec spec) {
        for (Map.Entry<String, int[]> e : NetworkParams.expectedShapes(spec).entrySet()) {
            tensors.put(e.getKey(), Tensor.zeros(e.getValue()));
        }
    }

    /** The gradient of parameter {@code name}. */
    public Tensor get(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no parameter named " + name);
        }
        return t;
    }

    /** Name → gradient, canonical order (unmodifiable view of live tensors). */
    public Map<String, Tensor> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    /** ‖g‖₂ over all parameters. */
    public double globalNorm() {
        double s = 0.0;
        for (Tensor t : tensors.values()) {
            for (double v : t.data()) {
                s += v * v;
            }
        }
        return Math.sqrt(s);
    }

    /** Multiplies every gradient by {@code factor}. */
    public void scale(double factor) {
        for (Tensor t : tensors.values()) {
            double[] d = t.data();
            for (int i = 0; i < d.length; i++) {
                d[i] *= factor;
            }
        }
    }

    /** Whether every value is finite. */
    public boolean allFinite() {
        for (Tensor t : tensors.values()) {
            if (t.firstNonFinite() >= 0) {
                return false;
            }
        }
        return true;
    }
}
