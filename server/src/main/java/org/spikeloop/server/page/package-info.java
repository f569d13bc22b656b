/**
 * The live status page on the server's HTTP listener ({@link
 * org.spikeloop.server.page.StatusPage}): static files (its own and uPlot's WebJar), a JSON status
 * and operator actions made through the gRPC services in-process with the browser's token, and one
 * Server-Sent Events feed per session fanned out to its browsers from a single rate-limited
 * subscription to the session's publishers.
 *
 * <p>Threads: the HTTP handler thread (routes, opening feeds), the sessions' publisher threads
 * (frames, decisions; encoding and offering to each browser's bounded stream, never waiting),
 * {@code spikeloop-page-status} (the once-a-second status event).
 *
 * <p>May import: {@code engine}, {@code http}, {@code security}, {@code session}, root. Imported by
 * the application.
 */
package org.spikeloop.server.page;
