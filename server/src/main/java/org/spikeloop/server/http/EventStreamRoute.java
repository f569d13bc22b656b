package org.spikeloop.server.http;

/**
 * A path whose answer is a Server-Sent Events stream ({@code text/event-stream}) that stays open:
 * the status page's live feed. The listener checks the token, then the route's {@link #check}, then
 * the {@code http.maxEventStreams} cap; only then are the response's headers written and {@link
 * #open} called. Both run on the listener's handler thread.
 */
public interface EventStreamRoute {
    /**
     * Refuses a request before the stream opens (e.g. an unknown session).
     *
     * @throws RouteException with the status to answer
     */
    default void check(RouteRequest request) {}

    /**
     * Starts feeding {@code stream}; the route sends on it from any thread until it closes. A
     * RuntimeException thrown here is sent as an {@code error} event and closes the stream.
     */
    void open(RouteRequest request, EventStream stream);
}
