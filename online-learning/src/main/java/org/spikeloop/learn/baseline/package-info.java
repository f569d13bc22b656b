/**
 * The classical decoders Spikeloop's spiking decoders are compared with: the velocity Kalman filter
 * ({@link org.spikeloop.learn.baseline.KalmanModel}, {@link
 * org.spikeloop.learn.baseline.KalmanDecoder}), the Wiener filter, common spatial patterns with
 * linear discriminant analysis for motor imagery ({@link
 * org.spikeloop.learn.baseline.CspLdaDecoder}), the ANN-to-SNN conversion baseline (a ReLU network,
 * {@link org.spikeloop.learn.baseline.ReluMlp}, trained by {@link
 * org.spikeloop.learn.baseline.ReluMlpTrainer} and converted to a rate-coded integrate-and-fire
 * network, {@link org.spikeloop.learn.baseline.ConvertedSnn}), and the sliding-window R² of the
 * live status lines; each states the equations and the paper it follows.
 *
 * <p>Threads: none of its own. Fitting is control plane (allocates, on the caller's thread); a
 * fitted decoder is then owned by one thread, and its per-bin or per-sample calls ({@code decode},
 * {@code step}, {@code predict}, {@code SlidingR2.add}) allocate nothing and take no lock.
 *
 * <p>May import: {@code org.spikeloop.signal} (CSP+LDA's causal band-pass), {@code
 * org.spikeloop.learn.optim}'s Adam kernel (the ReLU network's fit) and EJML. Imported by {@code
 * learn.jobs} (the baselines a regression job reports) and the application (demo and benchmarks);
 * never imports the spiking learners.
 */
package org.spikeloop.learn.baseline;
