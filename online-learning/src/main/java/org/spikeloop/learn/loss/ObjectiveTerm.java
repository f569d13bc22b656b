package org.spikeloop.learn.loss;

import org.spikeloop.learn.data.Batch;

/**
 * One additive term of the training objective (a loss or a regulariser). Every term is a mean over
 * the batch's samples of a per-sample quantity, except where its javadoc says otherwise (the rate
 * target couples samples through the batch-mean rate).
 *
 * <p>Life cycle per mini-batch: {@link #check} (before the forward pass, names the bad field),
 * {@link #evaluate} (once, after the forward pass, on the caller's thread; caches what the gradient
 * needs), then {@link #addGradient} from the backward workers (concurrently, one call per step and
 * sample; must only read the cache).
 */
public interface ObjectiveTerm {
    /** The configuration name ({@code readout_mse}, {@code spike_count}, ...). */
    String name();

    /**
     * Checks that the batch carries this term's targets with the right shapes.
     *
     * @param steps the number of network steps T' the batch will produce
     * @throws org.spikeloop.learn.data.InvalidDataException naming the target field
     */
    void check(Batch batch, int steps);

    /** The term's value on the rollout; caches what {@link #addGradient} needs. */
    double evaluate(Rollout rollout);

    /** Adds this term's direct partials for {@code sink.step()} and {@code sink.sample()}. */
    void addGradient(GradientSink sink);
}
