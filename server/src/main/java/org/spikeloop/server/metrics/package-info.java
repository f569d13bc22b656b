/**
 * Every meter the server registers, one Micrometer {@code MeterBinder} per subsystem, and the
 * Prometheus route on the server's HTTP listener ({@link
 * org.spikeloop.server.metrics.MetricsRoute}). {@link org.spikeloop.server.metrics.ServerMetrics}
 * holds the registry; the process-wide binders ({@link
 * org.spikeloop.server.metrics.ProcessMetrics}, {@link org.spikeloop.server.metrics.DiskMetrics},
 * {@link org.spikeloop.server.metrics.SessionMetrics}, {@link
 * org.spikeloop.server.metrics.RegistryMetrics}, {@link org.spikeloop.server.metrics.JobMetrics},
 * {@link org.spikeloop.server.metrics.CapacityMeters}, {@link
 * org.spikeloop.server.metrics.TransportMeters}) are bound once at start-up; a session's ({@link
 * org.spikeloop.server.metrics.LatencyMetrics}, {@link org.spikeloop.server.metrics.EngineMetrics},
 * {@link org.spikeloop.server.metrics.IoMetrics}, {@link org.spikeloop.server.metrics.TrialMetrics}
 * (marker labels only), {@link org.spikeloop.server.metrics.RecordingMetrics}, {@link
 * org.spikeloop.server.metrics.GovernanceMetrics}) once when it is created, into its {@link
 * org.spikeloop.server.metrics.SessionMeters}, which removes every meter of the session when it
 * stops. Names are Micrometer's dotted form; docs/server.md lists each as Prometheus shows it.
 *
 * <p>Threads: binding runs on the control plane (start-up, session creation); counters and gauges
 * are read on the HTTP listener's handler thread ({@code spikeloop-http-handler}). The hot path
 * never calls in here: the engine records into the HdrHistogram recorders {@code LatencyMetrics}
 * gave it, which each scrape drains into the timers, and increments its own single-writer counters,
 * which {@code FunctionCounter}s read at scrape time.
 *
 * <p>May import: {@code engine}, {@code io}, {@code jobs}, {@code recording}, {@code registry},
 * {@code net} (the subsystems it reads), {@code http} (the route it serves on) and Micrometer.
 * Imported by {@code session}, {@code governance} and the application; the packages it reads never
 * import it.
 */
package org.spikeloop.server.metrics;
