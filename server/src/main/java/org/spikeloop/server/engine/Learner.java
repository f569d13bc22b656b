package org.spikeloop.server.engine;

/**
 * The online-learning hook the engine calls after every decoder step; {@link EpropLearner} adapts
 * the e-prop learner of {@code org.spikeloop.learn.eprop}. A session whose architecture e-prop
 * cannot learn has none, and enabling learning there answers FAILED_PRECONDITION.
 *
 * <p>Threading: engine thread only. Allocation: {@link #afterStep} none; the setters are called
 * from engine commands (control plane).
 */
public interface Learner {
    /** A short name of the learning rule (shown in the API). */
    String name();

    /**
     * Accumulates this step's contribution and applies an update when one is due.
     *
     * @param input the input frame the decoder just stepped on (not modified)
     * @param output the decoder's readout of this step (not modified)
     * @param target the label of this step (not modified), meaningful only when {@code hasTarget}
     * @return true if weights were updated in this call
     */
    boolean afterStep(float[] input, float[] output, float[] target, boolean hasTarget);

    /**
     * Ends a trial window: the update accumulated since the last one falls due now (e-prop's update
     * at trial end). Engine thread; allocation-free.
     */
    void endTrial();

    /** Sets η (within bounds already checked by the caller). */
    void setLearningRate(double learningRate);

    /** Sets the number of steps between weight updates. */
    void setUpdateIntervalSteps(int steps);

    /** Frobenius norm of the trained weights. */
    double weightNorm();

    /** Guard events so far (bounded step, norm limit, non-finite update). */
    long guardEvents();

    /** A description of the last guard event, or "" if none (control plane; may allocate). */
    String lastGuardEvent();

    /** Clears traces and accumulated updates (after a weight load or roll back). */
    void resetTraces();
}
