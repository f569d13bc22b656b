/**
 * Artifacts for robustness tests: operations that corrupt a block of recorded or simulated data the
 * way real recordings are corrupted — EMG-like broadband bursts ({@link
 * org.spikeloop.signal.artifacts.EmgBursts}), electrode pops ({@link
 * org.spikeloop.signal.artifacts.ElectrodePops}), mains line noise ({@link
 * org.spikeloop.signal.artifacts.LineNoise}), dead channels ({@link
 * org.spikeloop.signal.artifacts.DeadChannels}), spurious spike bursts on spike-count inputs
 * ({@link org.spikeloop.signal.artifacts.SpikeBursts}), and a given additive perturbation such as a
 * gradient-crafted one ({@link org.spikeloop.signal.artifacts.AddedPerturbation}).
 *
 * <p>Role: every artifact implements {@link org.spikeloop.signal.artifacts.Artifact}: it modifies a
 * row-major [frames, channels] block in place at its stated strength, with amplitudes in units of
 * each channel's standard deviation over the block ({@link
 * org.spikeloop.signal.artifacts.ChannelScale}) so one strength means the same on spike counts and
 * on EEG microvolts; random placements come from the artifact's seed, so a corrupted block is
 * reproducible. Applicable to any held-out data: the {@code bench robustness} harness applies them
 * to the simulated intracortical and EEG recordings before the decoders see them.
 *
 * <p>Threads: none; an artifact is a value, {@code apply} runs on the caller's thread. Allocation:
 * offline (test and benchmark data), allocates freely.
 *
 * <p>May import: the JDK only, as the rest of the {@code signal} module.
 */
package org.spikeloop.signal.artifacts;
