/**
 * The server's one HTTP listener ({@link org.spikeloop.server.http.HttpServer}, Netty): routes
 * ({@link org.spikeloop.server.http.HttpRoute}) such as the Prometheus endpoint and the status page
 * share its connection caps, request timeout, header cap, token check and TLS.
 *
 * <p>Threads: one event-loop thread (accept, I/O, refusals), one handler thread (routes).
 *
 * <p>May import: {@code config}, {@code net}, {@code security}. Imported by {@code metrics} (its
 * route) and the application.
 */
package org.spikeloop.server.http;
