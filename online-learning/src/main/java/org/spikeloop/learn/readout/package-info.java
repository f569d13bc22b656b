/**
 * The closed-form fit of a leaky readout ({@link org.spikeloop.learn.readout.LeastSquaresReadout}):
 * the ridge problem on filtered spikes that calibrates a reservoir's readout in one pass, before
 * any gradient training; the demo calibrates its reference decoder with it.
 *
 * <p>Threads: the caller's. Control plane: allocates freely; not for the step loop.
 *
 * <p>May import: EJML. Nothing of the project; imported by the application's demo.
 */
package org.spikeloop.learn.readout;
