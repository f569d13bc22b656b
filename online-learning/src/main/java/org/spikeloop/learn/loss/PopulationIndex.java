package org.spikeloop.learn.loss;

import java.util.ArrayList;
import java.util.List;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.ReadoutType;

/**
 * The spiking populations of a network, bottom-up, with the names configurations use: {@code conv}
 * (if present), {@code layer0} … {@code layer<L−1>}, and {@code readout} when the readout is
 * SPIKE_COUNT. The BPTT engine uses the same order.
 */
public final class PopulationIndex {
    private final List<String> names;
    private final int[] sizes;

    public PopulationIndex(NetworkSpec spec) {
        List<String> n = new ArrayList<>();
        List<Integer> s = new ArrayList<>();
        if (spec.conv() != null) {
            n.add("conv");
            s.add(spec.conv().outChannels());
        }
        for (int l = 0; l < spec.layers().size(); l++) {
            n.add("layer" + l);
            s.add(spec.layers().get(l).size());
        }
        if (spec.readout().type() == ReadoutType.SPIKE_COUNT) {
            n.add("readout");
            s.add(spec.outputs());
        }
        this.names = List.copyOf(n);
        this.sizes = s.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Population names, bottom-up. */
    public List<String> names() {
        return names;
    }

    /** Number of spiking populations. */
    public int count() {
        return names.size();
    }

    /** Size of population {@code pop}. */
    public int size(int pop) {
        return sizes[pop];
    }

    /** Indices of the hidden layers ({@code layer<l>}), the regularisers' default. */
    public int[] hiddenLayers() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).startsWith("layer")) {
                out.add(i);
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * The index of the population called {@code name}.
     *
     * @param field the configuration field, for the error message
     * @throws IllegalArgumentException naming {@code field} and the known names
     */
    public int indexOf(String name, String field) {
        int i = names.indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException(
                    field + " '" + name + "' is not a spiking population; known: " + names);
        }
        return i;
    }
}
