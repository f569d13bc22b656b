package org.spikeloop.server.http;

/**
 * A route's answer.
 *
 * @param status HTTP status code
 * @param contentType the {@code Content-Type} header
 * @param body the body (not modified after it is returned)
 */
public record HttpReply(int status, String contentType, byte[] body) {
    /** 200 with the body. */
    public static HttpReply ok(String contentType, byte[] body) {
        return new HttpReply(200, contentType, body);
    }
}
