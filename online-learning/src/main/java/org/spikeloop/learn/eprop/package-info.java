/**
 * e-prop (Bellec et al. 2020, "A solution to the learning dilemma for recurrent networks of spiking
 * neurons", Nat. Commun. 11:3625): the online learner a live session adapts its decoder with, its
 * readable float64 statement, and the offline runs built on them.
 *
 * <p>{@link org.spikeloop.learn.eprop.FloatEpropLearner} is the float32 hot-path learner (a facade
 * over package-private parts with one job each: {@code WindowSchedule}, {@code WindowBuffers},
 * {@code WindowCoefficients}, {@code SynapseMerge}, {@code SynapticUpdate}, {@code WeightGuard},
 * {@code ReadoutLearner}, {@code FiringRateRegularizer}, {@code SynapticRows}; see docs/eprop.md).
 * {@link org.spikeloop.learn.eprop.EpropReference} states the rule plainly in float64 and is the
 * oracle of the float learner and of the exactness tests against BPTT. {@link
 * org.spikeloop.learn.eprop.EpropConfig} validates every setting once; {@link
 * org.spikeloop.learn.eprop.LabelGate} decides which steps may learn. {@link
 * org.spikeloop.learn.eprop.EpropRunJob} and {@link org.spikeloop.learn.eprop.EpropGradientJob} run
 * the reference offline ({@code spikeloop eprop run}, {@code spikeloop grad --eprop}).
 *
 * <p>Threads: a {@code FloatEpropLearner} and its parts have one owner, the engine thread that
 * steps the network they adapt: per step they allocate nothing, take no lock and do not log (0
 * B/step is a test). The reference and the offline jobs run on the caller's thread (a training
 * job's executor); none of the classes is thread-safe.
 *
 * <p>May import: {@code org.spikeloop.snn} (spec, params, kernel, surrogate) and, on the hot path,
 * only {@code org.spikeloop.learn.optim.AdamKernel} besides; the offline jobs also {@code
 * learn.train}, {@code learn.loss}, {@code learn.data}, Gson and npy. Never {@code adapters} or the
 * server.
 */
package org.spikeloop.learn.eprop;
