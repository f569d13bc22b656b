/**
 * Every meter the server registers, one Micrometer {@code MeterBinder} per subsystem, and the
 * Prometheus endpoint ({@link org.spikeloop.server.metrics.MetricsHttpServer}). {@link
 * org.spikeloop.server.metrics.ServerMetrics} holds the registry; the process-wide binders ({@link
 * org.spikeloop.server.metrics.ProcessMetrics}, {@link org.spikeloop.server.metrics.DiskMetrics},
 * {@link org.spikeloop.server.metrics.SessionMetrics}, {@link
 * org.spikeloop.server.metrics.RegistryMetrics}, {@link org.spikeloop.server.metrics.JobMetrics})
 * are bound once at start-up; a session's ({@link org.spikeloop.server.metrics.LatencyMetrics},
 * {@link org.spikeloop.server.metrics.EngineMetrics}, {@link
 * org.spikeloop.server.metrics.IoMetrics}, {@link org.spikeloop.server.metrics.TrialMetrics}
 * (marker labels only), {@link org.spikeloop.server.metrics.RecordingMetrics}, {@link
 * org.spikeloop.server.metrics.GovernanceMetrics}) once when it is created, into its {@link
 * org.spikeloop.server.metrics.SessionMeters}, which removes every meter of the session when it
 * stops. Names are Micrometer's dotted form; docs/server.md lists each as Prometheus shows it.
 *
 * <p>Threads: binding runs on the control plane (start-up, session creation); counters and gauges
 * are read on the scraping thread ({@code spikeloop-metrics-http}). The hot path never calls in
 * here: the engine records into the timers {@code LatencyMetrics} gave it and increments its own
 * single-writer counters, which {@code FunctionCounter}s read at scrape time.
 *
 * <p>May import: {@code engine}, {@code io}, {@code jobs}, {@code recording}, {@code registry} (the
 * subsystems it reads), Micrometer and the JDK's HTTP server. Imported by {@code session}, {@code
 * governance} and the application; the packages it reads never import it.
 */
package org.spikeloop.server.metrics;
