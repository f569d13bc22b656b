/**
 * The benchmark harnesses behind {@code spikeloop bench} (docs/benchmarks.md): step latency, decode
 * quality against peer decoders, ingest throughput, end to end over LSL, training, decode latency
 * beside a training job, and robustness to recording artifacts ({@code bench robustness}: the job
 * recipes, the artifacts of {@code org.spikeloop.signal.artifacts}, the ANN-to-SNN conversion
 * baseline, FGSM through SG-BPTT's input gradient). They measure the product through its public
 * paths; control-plane code that allocates freely and is never run by the unit tests.
 *
 * <p>Threads: the caller's, plus the load generators each harness starts; {@code bench e2e} also
 * starts processes of its own (its rigs and its watcher, {@code bench e2e-watch}) and reads what
 * the server's threads allocate and compute by their names ({@code ThreadRoles}).
 *
 * <p>May import: {@link org.spikeloop.app}, {@link org.spikeloop.app.demo} (the demo's simulated
 * rig over LSL and its reference checkpoint, which {@code bench decode} runs as the demo does), the
 * server's packages and the modules below it.
 */
package org.spikeloop.app.bench;
