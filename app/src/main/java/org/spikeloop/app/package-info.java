/**
 * The application: {@link org.spikeloop.app.SpikeloopApplication}, the composition root that builds
 * the server's runtime (config checks, metrics, audit log, registry, sessions, jobs and governance,
 * the gRPC services and server) and closes it in order; and {@link org.spikeloop.app.Main}, the
 * entry point of {@code spikeloop.jar}.
 *
 * <p>Threads: none of its own beyond the control executor it hands to the services; start and close
 * run on the caller's thread.
 *
 * <p>May import: every {@code org.spikeloop.server} package and the modules below it. Nothing in
 * {@code server/} imports this package.
 */
package org.spikeloop.app;
