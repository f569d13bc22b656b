/**
 * Where the process's log lines go, and how many a client can cause: {@link
 * org.spikeloop.app.logging.LogRouting} sends the {@code java.util.logging} records of gRPC and
 * Netty through SLF4J to Logback (so {@code logback.xml} decides their levels, as it does ours),
 * and {@link org.spikeloop.app.logging.LinesPerLoggerLimit} caps the lines each of those libraries'
 * loggers may write (a hostile client can make them log per stream; docs/server.md, "Limits").
 *
 * <p>Threads: none of its own; the filter runs on whichever thread logs and is thread-safe.
 *
 * <p>May import: SLF4J and Logback. Nothing else in the application depends on it but {@link
 * org.spikeloop.app.Main}.
 */
package org.spikeloop.app.logging;
