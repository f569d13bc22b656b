/**
 * Simulated rigs for the demo, the benchmarks and the tests: a cosine-tuned intracortical array
 * with a center-out reaching task ({@link org.spikeloop.adapters.sim.IntracorticalRig}), cue-based
 * motor-imagery EEG with its markers ({@link org.spikeloop.adapters.sim.MotorImageryEeg}), and
 * scheduled drift of either ({@link org.spikeloop.adapters.sim.DriftSchedule}). Each model cites
 * the paper and equation it follows; every rig is seeded and deterministic.
 *
 * <p>Threads: none of its own; a rig is single-threaded, owned by whoever steps it (the demo's
 * {@code demo-rig} thread, a {@code spikeloop sim} command, a benchmark). Allocation: {@code step}
 * and {@code next} allocate nothing; configuration and drift parsing are control plane.
 *
 * <p>May import: the JDK only. Imported by the application (demo, {@code sim}, benchmarks); the
 * server never imports it.
 */
package org.spikeloop.adapters.sim;
