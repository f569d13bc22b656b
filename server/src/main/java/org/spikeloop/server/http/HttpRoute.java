package org.spikeloop.server.http;

/**
 * What the {@link HttpServer} serves at one path (GET and HEAD only): the metrics endpoint, the
 * status page. Called on the server's handler thread, never on its event loop, after the token
 * check; it may take milliseconds (a Prometheus scrape) but must not block for long.
 */
@FunctionalInterface
public interface HttpRoute {
    /** The answer to a GET of the route's path (HEAD sends its headers without the body). */
    HttpReply get();
}
