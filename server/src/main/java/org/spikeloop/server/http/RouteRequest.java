package org.spikeloop.server.http;

import java.util.Map;
import org.spikeloop.server.security.Principal;

/**
 * What a route sees of a request that passed the listener's checks.
 *
 * @param method {@code GET}, {@code HEAD} or {@code POST}
 * @param path the path, without the query
 * @param query the query's parameters (the first value of each)
 * @param caller who sent it: the token's principal, {@link Principal#ANONYMOUS} when the listener
 *     has no tokens, null for a public route requested without a token
 * @param authorization the request's {@code Authorization} header as sent, or "" (a route that
 *     calls the gRPC services in-process forwards it, so they check the same credentials)
 */
public record RouteRequest(
        String method,
        String path,
        Map<String, String> query,
        Principal caller,
        String authorization) {
    public RouteRequest {
        query = Map.copyOf(query);
    }

    /** A query parameter, or "" when absent. */
    public String param(String name) {
        return query.getOrDefault(name, "");
    }
}
