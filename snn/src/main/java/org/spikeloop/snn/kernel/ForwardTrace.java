package org.spikeloop.snn.kernel;

import java.util.ArrayList;
import java.util.List;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * Runs a network over a whole input sequence and records, for every step it took, the readout and
 * each population's spikes and membranes: the forward CLI's output (snn contract, "Forward CLI").
 * Control plane and verification only: it allocates the full trace.
 *
 * @param steps T', the number of steps the network took (fewer than the frames with a strided conv)
 * @param entries the recorded arrays, each [T', width] row-major float64, in output order: {@code
 *     readout}, {@code layer<l>.spikes}, {@code layer<l>.v} for each layer, then {@code
 *     conv.spikes} when there is a conv front-end
 */
public record ForwardTrace(int steps, List<Entry> entries) {

    /** One recorded array: {@code name}, shape [steps, width], row-major values. */
    public record Entry(String name, int width, double[] values) {}

    /** Numeric precision of the run. */
    public enum Precision {
        /** {@link ReferenceNetwork}. */
        FLOAT64,
        /** {@link FloatNetwork}, the production kernel. */
        FLOAT32
    }

    /**
     * @param spec the architecture (not modified)
     * @param params its parameters (not modified)
     * @param x input frames [T][spec.inputs()] (not modified)
     * @param precision which kernel runs
     * @throws IllegalArgumentException on a frame of the wrong width or a non-finite value (naming
     *     the frame and channel)
     */
    public static ForwardTrace run(
            NetworkSpec spec, NetworkParams params, double[][] x, Precision precision) {
        for (int t = 0; t < x.length; t++) {
            if (x[t].length != spec.inputs()) {
                throw new IllegalArgumentException(
                        "frame "
                                + t
                                + " has "
                                + x[t].length
                                + " channels, the network has "
                                + spec.inputs());
            }
        }
        Recorder rec = new Recorder(spec, x.length);
        if (precision == Precision.FLOAT64) {
            ReferenceNetwork net = new ReferenceNetwork(spec, params);
            double[] out = new double[spec.outputs()];
            for (int t = 0; t < x.length; t++) {
                if (stepped(t, net, x[t], out)) {
                    rec.row(out);
                    for (int l = 0; l < spec.layers().size(); l++) {
                        rec.layer(l, net.spikes(l), net.membrane(l));
                    }
                    if (spec.conv() != null) {
                        rec.conv(net.convSpikes());
                    }
                    rec.next();
                }
            }
        } else {
            FloatNetwork net = new FloatNetwork(spec, params);
            float[] frame = new float[spec.inputs()];
            float[] out = new float[spec.outputs()];
            double[] outD = new double[spec.outputs()];
            for (int t = 0; t < x.length; t++) {
                double[] row = x[t];
                for (int i = 0; i < frame.length; i++) {
                    frame[i] = (float) row[i];
                }
                if (stepped(t, net, frame, out)) {
                    for (int o = 0; o < out.length; o++) {
                        outD[o] = out[o];
                    }
                    rec.row(outD);
                    for (int l = 0; l < spec.layers().size(); l++) {
                        rec.layer(l, net.layer(l));
                    }
                    if (spec.conv() != null) {
                        rec.conv(net.convLayer());
                    }
                    rec.next();
                }
            }
        }
        return rec.finish();
    }

    /** Runs one step, prefixing a bad-input message with the frame index. */
    private static boolean stepped(int t, ReferenceNetwork net, double[] x, double[] out) {
        try {
            return net.step(x, out);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("frame " + t + ": " + e.getMessage(), e);
        }
    }

    private static boolean stepped(int t, FloatNetwork net, float[] x, float[] out) {
        try {
            return net.step(x, out);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("frame " + t + ": " + e.getMessage(), e);
        }
    }

    /** Collects rows into growable flat arrays (trimmed to T' at the end). */
    private static final class Recorder {
        private final List<String> names = new ArrayList<>();
        private final List<Integer> widths = new ArrayList<>();
        private final List<double[]> data = new ArrayList<>();
        private int steps;

        Recorder(NetworkSpec spec, int maxSteps) {
            add("readout", spec.outputs(), maxSteps);
            for (int l = 0; l < spec.layers().size(); l++) {
                int h = spec.layers().get(l).size();
                add("layer" + l + ".spikes", h, maxSteps);
                add("layer" + l + ".v", h, maxSteps);
            }
            if (spec.conv() != null) {
                add("conv.spikes", spec.conv().outChannels(), maxSteps);
            }
        }

        private void add(String name, int width, int maxSteps) {
            names.add(name);
            widths.add(width);
            data.add(new double[width * maxSteps]);
        }

        void row(double[] readout) {
            System.arraycopy(readout, 0, data.get(0), steps * readout.length, readout.length);
        }

        void layer(int l, double[] spikes, double[] v) {
            System.arraycopy(spikes, 0, data.get(1 + 2 * l), steps * spikes.length, spikes.length);
            System.arraycopy(v, 0, data.get(2 + 2 * l), steps * v.length, v.length);
        }

        void layer(int l, LayerState s) {
            double[] z = data.get(1 + 2 * l);
            double[] v = data.get(2 + 2 * l);
            int h = s.size();
            for (int j = 0; j < h; j++) {
                z[steps * h + j] = s.z(j);
                v[steps * h + j] = s.v(j);
            }
        }

        void conv(double[] spikes) {
            System.arraycopy(
                    spikes, 0, data.get(data.size() - 1), steps * spikes.length, spikes.length);
        }

        void conv(LayerState s) {
            double[] z = data.get(data.size() - 1);
            int c = s.size();
            for (int j = 0; j < c; j++) {
                z[steps * c + j] = s.z(j);
            }
        }

        void next() {
            steps++;
        }

        ForwardTrace finish() {
            List<Entry> entries = new ArrayList<>();
            for (int i = 0; i < names.size(); i++) {
                int w = widths.get(i);
                double[] full = data.get(i);
                double[] trimmed = full.length == steps * w ? full : new double[steps * w];
                if (trimmed != full) {
                    System.arraycopy(full, 0, trimmed, 0, steps * w);
                }
                entries.add(new Entry(names.get(i), w, trimmed));
            }
            return new ForwardTrace(steps, List.copyOf(entries));
        }
    }
}
