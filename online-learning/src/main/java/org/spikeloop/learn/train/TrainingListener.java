package org.spikeloop.learn.train;

/** Hears about each optimisation step of a {@link Trainer} (on the trainer's thread). */
@FunctionalInterface
public interface TrainingListener {
    /**
     * @param iteration 1-based step number
     * @param total steps the run will take
     * @param epoch 1-based epoch
     * @param loss the mini-batch objective before the step
     * @param elapsedNs time since training started
     */
    void onStep(int iteration, int total, int epoch, double loss, long elapsedNs);
}
