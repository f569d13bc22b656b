package org.spikeloop.app.bench;

/**
 * What one timed real-time step does in {@code spikeloop bench step}: the decoder's forward step,
 * and later also the e-prop learner's per-step update ({@link StepWorkloads#eprop}).
 *
 * <p>Threading: the benchmark thread only. Allocation: {@link #step} must allocate nothing (the
 * benchmark measures and reports it).
 */
public interface StepWorkload {
    /**
     * One step.
     *
     * @param x the input frame (not modified)
     * @param target the regression target of this step (not modified; ignored by inference)
     * @param out receives the readout (modified)
     */
    void step(float[] x, float[] target, float[] out);

    /** Number of recurrent-layer spikes in the last step (read outside the timed window). */
    int spikesInLastStep();

    /** The e-prop learner's window W in steps (0 for inference only). */
    default int epropWindowSteps() {
        return 0;
    }

    /** The e-prop learner's state in bytes (0 for inference only). */
    default long epropStateBytes() {
        return 0L;
    }
}
