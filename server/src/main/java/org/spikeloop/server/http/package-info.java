/**
 * The server's one HTTP listener ({@link org.spikeloop.server.http.HttpServer}, Netty): routes
 * ({@link org.spikeloop.server.http.HttpRoute}) such as the Prometheus endpoint and the status page
 * share its connection caps, request timeout, header cap, token check and TLS.
 *
 * <p>Threads: one event-loop thread (accept, I/O, refusals), one handler thread (routes); an event
 * stream's events are written from whichever thread sends them.
 *
 * <p>May import: {@code config}, {@code net}, {@code security}. Imported by {@code metrics} (its
 * route), {@code page} (the status page's routes and feed) and the application.
 */
package org.spikeloop.server.http;
