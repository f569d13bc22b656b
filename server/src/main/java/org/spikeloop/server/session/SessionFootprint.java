package org.spikeloop.server.session;

import java.util.Locale;
import java.util.Map;
import org.spikeloop.server.engine.RingCapacity;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * What a session is expected to cost, computed from its spec before it is built (admission control,
 * {@link Admission}): the heap its parts hold and the engine time one step takes.
 *
 * <p>Memory: the float32 weights the kernel steps on (4 B per parameter), the neuron state, the
 * e-prop learner's state (its per-synapse arrays and window buffers, {@code
 * FloatEpropLearner.stateBytes}), the three rings (input and label rows with a time stamp and an
 * arrival time each; frames with outputs, labels and their stamps) and, for a session with trial
 * windows, its trial-event and decision rings, and the roll-back history at its full depth (each
 * entry a float64 copy of the weights, 8 B per parameter): a session may reach that through
 * LoadCheckpoint calls alone, so it is reserved from the start.
 *
 * <p>Step time: {@value #STEP_OVERHEAD_NS} ns of per-step work that does not grow with the network
 * (ring, clock, frame) plus {@code stepNsPerSynapse} per synapse (every weight-matrix element); the
 * default of {@code admission.stepNsPerSynapse} comes from the e-prop step benchmarks
 * (docs/benchmarks.md: LIF 1024 with e-prop, ≈ 1.15 M synapses, p50 60–90 µs). A running session
 * replaces this estimate by its measured mean once it has stepped ({@link Session#demandNs}).
 *
 * @param parameters every trainable parameter (weights, biases, thresholds, offsets)
 * @param synapses weight-matrix elements (the step's work grows with these)
 * @param weightBytes the kernel's float32 parameters and neuron state
 * @param learnerBytes the e-prop learner's state (0 without a learner)
 * @param ringBytes the input, label and frame rings (and a trial session's event and decision
 *     rings)
 * @param rollbackBytes the roll-back history at its full depth
 * @param stepNs the estimated engine time of one step
 * @param periodNs one step period (dt)
 */
public record SessionFootprint(
        long parameters,
        long synapses,
        long weightBytes,
        long learnerBytes,
        long ringBytes,
        long rollbackBytes,
        double stepNs,
        double periodNs) {

    /** Per-step work that does not grow with the network, in the step-time estimate. */
    public static final double STEP_OVERHEAD_NS = 2_000;

    /** Bytes of neuron state per neuron (membrane, adaptation, spike, refractory, currents). */
    static final int NEURON_STATE_BYTES = 48;

    /**
     * @param learnerBytes the learner's state ({@code FloatEpropLearner.stateBytes}), 0 for none
     * @param inputRingRows {@code engine.inputRingSamples} (rounded up to a power of two here, as
     *     the ring does)
     * @param outputRingFrames {@code engine.outputRingFrames} (likewise)
     * @param rollbackDepth weight sets the roll-back history keeps
     * @param trialRingBytes a trial session's event and decision rings ({@code
     *     TrialEventRing.bytesFor}, {@code DecisionRing.bytesFor}); 0 without trial windows
     */
    static SessionFootprint of(
            NetworkSpec spec,
            long learnerBytes,
            int inputRingRows,
            int outputRingFrames,
            int rollbackDepth,
            double stepNsPerSynapse,
            long trialRingBytes) {
        long parameters = 0;
        long synapses = 0;
        for (Map.Entry<String, int[]> e : NetworkParams.expectedShapes(spec).entrySet()) {
            long n = 1;
            for (int d : e.getValue()) {
                n *= d;
            }
            parameters += n;
            if (e.getValue().length > 1) {
                synapses += n;
            }
        }
        long neurons = spec.outputs();
        for (LayerSpec l : spec.layers()) {
            neurons += l.size();
        }
        long weights = 4 * parameters + NEURON_STATE_BYTES * neurons + 4L * spec.inputs();
        long inRows = RingCapacity.roundUp(inputRingRows);
        long frames = RingCapacity.roundUp(outputRingFrames);
        // Input and label rows: the values, a double stamp and a long arrival time each. Frames:
        // outputs and labels, a flag, three stamps, a spike count, a miss flag, a sequence number.
        long rings =
                inRows * (4L * spec.inputs() + 16)
                        + inRows * (4L * spec.outputs() + 16)
                        + frames * (8L * spec.outputs() + 1 + 24 + 4 + 1 + 8)
                        + trialRingBytes;
        return new SessionFootprint(
                parameters,
                synapses,
                weights,
                learnerBytes,
                rings,
                (long) rollbackDepth * 8 * parameters,
                STEP_OVERHEAD_NS + synapses * stepNsPerSynapse,
                spec.dtMs() * 1e6);
    }

    /** Everything the session may hold. */
    public long totalBytes() {
        return weightBytes + learnerBytes + ringBytes + rollbackBytes;
    }

    /** The estimated share of one engine thread the session takes (step time / period). */
    public double cpuShare() {
        return stepNs / periodNs;
    }

    /**
     * One line for refusals and logs, e.g. {@code 1.3 GiB (weights 190.0 MiB, learner 768.2 MiB,
     * rings 402.7 MiB, roll-back history 8 x 48.0 MiB)}.
     */
    public String describeMemory(int rollbackDepth) {
        return String.format(
                Locale.ROOT,
                "%s (weights %s, learner %s, rings %s, roll-back history %d x %s)",
                bytes(totalBytes()),
                bytes(weightBytes),
                bytes(learnerBytes),
                bytes(ringBytes),
                rollbackDepth,
                bytes(rollbackDepth == 0 ? 0 : rollbackBytes / rollbackDepth));
    }

    /** Bytes in binary units with one decimal: {@code 512 B}, {@code 3.5 KiB}, {@code 1.2 GiB}. */
    static String bytes(long b) {
        if (b < 1024) {
            return b + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        double v = b;
        int u = -1;
        do {
            v /= 1024;
            u++;
        } while (v >= 1024 && u < units.length - 1);
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
