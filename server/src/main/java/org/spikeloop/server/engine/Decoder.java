package org.spikeloop.server.engine;

import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * What the engine steps: one input frame in, the readout out. Implemented by {@link NetworkDecoder}
 * over the float32 kernel; the seam lets a session run any decoder (baselines from issue 7) and
 * gives the learner its hook.
 *
 * <p>Threading: the engine thread only. Allocation: {@link #step} and {@link #spikeCount} none;
 * {@link #exportParams}/{@link #loadParams} are control-plane calls and may allocate.
 */
public interface Decoder {
    /** The architecture (inputs, outputs, dt). */
    NetworkSpec spec();

    /**
     * One step.
     *
     * @param in input frame, length {@code spec().inputs()} (not modified)
     * @param out readout, length {@code spec().outputs()} (modified when true is returned)
     * @return false when the decoder produced no output for this frame (a strided front-end)
     */
    boolean step(float[] in, float[] out);

    /** Spikes emitted by all hidden layers in the last step. */
    int spikeCount();

    /** Hidden neurons in all layers (for per-neuron spike rates). */
    int hiddenNeurons();

    /** A copy of the current weights (control plane). */
    NetworkParams exportParams();

    /** Replaces the weights (control plane); the state is kept. */
    void loadParams(NetworkParams params);

    /** Zeroes the state. */
    void reset();

    /**
     * Adds per-output offsets δ to the live readout bias (the class-bias calibration of a
     * marker-labelled session, {@link TrialWindows#calibrate}). Control plane (an engine command);
     * allocation-free.
     *
     * @param delta one finite value per output (not modified)
     * @throws IllegalArgumentException for a wrong length or a value that would make a bias
     *     non-finite (the bias unchanged)
     */
    void shiftReadoutBias(double[] delta);
}
