/**
 * The benchmark harnesses behind {@code spikeloop bench} (docs/benchmarks.md): step latency, decode
 * quality against peer decoders, ingest throughput, end to end over LSL, training, and decode
 * latency beside a training job. They measure the product through its public paths; control-plane
 * code that allocates freely and is never run by the unit tests.
 *
 * <p>Threads: the caller's, plus the load generators each harness starts.
 *
 * <p>May import: {@link org.spikeloop.app}, {@link org.spikeloop.app.demo} (the demo's simulated
 * rig over LSL and its reference checkpoint, which {@code bench decode} runs as the demo does), the
 * server's packages and the modules below it.
 */
package org.spikeloop.app.bench;
