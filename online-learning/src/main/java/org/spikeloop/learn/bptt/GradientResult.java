package org.spikeloop.learn.bptt;

import java.util.Map;

/**
 * The outcome of one BPTT evaluation.
 *
 * @param loss the objective (sum of the terms)
 * @param terms each term's value by name (losses and regularisers), in configuration order
 * @param gradients ∂loss/∂p for every parameter
 * @param trajectoryBytes bytes of the stored forward trajectory (all workers)
 * @param meanRateHz mean firing rate per spiking population over the batch (Hz), by name
 */
public record GradientResult(
        double loss,
        Map<String, Double> terms,
        Gradients gradients,
        long trajectoryBytes,
        Map<String, Double> meanRateHz) {}
