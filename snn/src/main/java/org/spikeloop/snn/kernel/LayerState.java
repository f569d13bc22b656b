package org.spikeloop.snn.kernel;

import org.spikeloop.snn.spec.NeuronModel;

/**
 * Read-only view of one population's state after the last {@link FloatNetwork#step}: what e-prop
 * needs to form ψ, eligibility traces and learning signals, without being able to change the
 * kernel's state. Indices are neuron indices 0..{@link #size()}−1.
 *
 * <p>Threading: the view reads the live arrays of the network, so it must be read on the thread
 * that steps the network (the engine), between steps. Allocation: none. The view stays valid for
 * the network's lifetime (across {@link FloatNetwork#reset} and weight loads).
 */
public interface LayerState {

    /** Number of neurons. */
    int size();

    /** The neuron model of this population. */
    NeuronModel model();

    /** Membrane v_t after the last step (before the next step's reset). */
    float v(int j);

    /** Spike z_t of the last step, 0 or 1. */
    float z(int j);

    /** Spike z_{t−1} of the step before, 0 or 1 (the one the last step's reset and W_rec used). */
    float zPrev(int j);

    /** ALIF adaptation a_t (0 for other models). */
    float adaptation(int j);

    /** Effective threshold A_t = θ + β·a_t (θ for non-ALIF models). */
    float effectiveThreshold(int j);

    /** The trainable base threshold θ_j. */
    float threshold(int j);

    /** Dendritic potential d_t (two-compartment; 0 otherwise). */
    float dendrite(int j);

    /** Dendritic gate s_t (1 without dendritic spikes; 0 for non-two-compartment models). */
    float dendriticGate(int j);

    /** Refractory counter r_t after the last step (0 when refractorySteps = 0). */
    int refractoryCount(int j);

    /**
     * Whether neuron j was refractory during the last step (r_{t−1} &gt; 0): it could not spike and
     * its pseudo-derivative ψ_t must be zero.
     */
    boolean wasRefractory(int j);

    /** Number of neurons that spiked in the last step. */
    int spikeCount();

    /**
     * Index of the k-th neuron that spiked in the last step, k &lt; {@link #spikeCount()},
     * ascending.
     */
    int spikeIndex(int k);

    /**
     * Copies v_t into {@code dst} (length ≥ {@link #size()}; modified).
     *
     * @return dst
     */
    float[] copyMembrane(float[] dst);

    /**
     * Copies z_t into {@code dst} (length ≥ {@link #size()}; modified).
     *
     * @return dst
     */
    float[] copySpikes(float[] dst);
}
