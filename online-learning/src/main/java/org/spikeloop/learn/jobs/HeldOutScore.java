package org.spikeloop.learn.jobs;

/**
 * How well a decoder predicts held-out data when run causally, step by step, as the live engine
 * runs it.
 *
 * @param mse mean over frames and outputs of (ŷ − y)²
 * @param r2 coefficient of determination 1 − SSE/SST, averaged over outputs
 * @param predictions ŷ, row-major [T, O] (for plots)
 */
public record HeldOutScore(double mse, double r2, float[] predictions) {}
