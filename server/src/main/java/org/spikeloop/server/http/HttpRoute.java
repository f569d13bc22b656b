package org.spikeloop.server.http;

/**
 * What the {@link HttpServer} serves at one path: the metrics endpoint, the status page's files,
 * its JSON and its operator actions. Called on the server's handler thread, never on its event
 * loop, after the token check; it may take milliseconds (a Prometheus scrape) but must not block
 * for long.
 */
@FunctionalInterface
public interface HttpRoute {
    /**
     * The answer to the request (a HEAD sends its headers without the body).
     *
     * @throws RouteException to refuse it with a status and one line of text
     */
    HttpReply handle(RouteRequest request);

    /**
     * Whether the route is served without a token even when the listener has tokens: only for
     * content that holds no data of the server (the status page's HTML, script and style).
     */
    default boolean isPublic() {
        return false;
    }

    /**
     * Whether the route takes POST (with an empty body: parameters travel in the query) as well as
     * GET and HEAD; the status page's operator actions do, so that following a link or a prefetch
     * never triggers one.
     */
    default boolean acceptsPost() {
        return false;
    }
}
