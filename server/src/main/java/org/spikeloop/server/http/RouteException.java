package org.spikeloop.server.http;

/**
 * A route's refusal: the listener answers it with {@code status} and the message as one line of
 * plain text (an event stream refused before it opens answers so too).
 */
public final class RouteException extends RuntimeException {
    private final int status;

    public RouteException(int status, String message) {
        super(message);
        this.status = status;
    }

    /** The HTTP status to answer with. */
    public int status() {
        return status;
    }
}
