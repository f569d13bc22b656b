/**
 * JMH microbenchmarks of the building blocks ({@link org.spikeloop.bench.StepBenchmark}: one
 * float32 kernel step); run by the scripts in {@code bench/}, never by the test command. The
 * product's own harnesses are {@code spikeloop bench} ({@code org.spikeloop.app.bench}).
 *
 * <p>Threads: JMH's. Allocation: measured with {@code -prof gc}.
 *
 * <p>May import: {@code snn}, {@code signal}, {@code online-learning} and {@code adapters}
 * (docs/architecture.md); never the server or the application.
 */
package org.spikeloop.bench;
