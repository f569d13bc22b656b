package org.spikeloop.server.page;

import io.grpc.Channel;
import io.grpc.StatusRuntimeException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.spikeloop.server.http.EventStreamRoute;
import org.spikeloop.server.http.HttpReply;
import org.spikeloop.server.http.HttpRoute;
import org.spikeloop.server.http.RouteRequest;
import org.spikeloop.server.security.AuditLog;
import org.spikeloop.server.session.SessionManager;

/**
 * The live status page, as routes of the server's HTTP listener:
 *
 * <ul>
 *   <li>{@code /} and {@code /page/*}: the page and uPlot ({@link PageFiles}; public);
 *   <li>{@code GET /api/status}: every session ({@code ListSessions}); with {@code ?session=ID}
 *       that session's report ({@link StatusReport});
 *   <li>{@code GET /api/stream?session=ID}: its live feed ({@link PageFeeds});
 *   <li>{@code POST /api/action}: stop, pause or resume learning, roll back ({@link PageActions}).
 * </ul>
 *
 * Every figure and action goes through the gRPC services, called in-process on {@code channel} with
 * the browser's token ({@link GrpcGateway}); the live feed reads the sessions' publishers.
 */
public final class StatusPage implements AutoCloseable {
    /** The path of the JSON status. */
    public static final String STATUS_PATH = "/api/status";

    private final GrpcGateway grpc;
    private final StatusReport report;
    private final PageFeeds feeds;
    private final PageActions actions;

    /**
     * @param channel an in-process channel to the server's gRPC services (with their interceptors)
     * @param maxWatchers {@code limits.maxWatchersPerSession}
     */
    public StatusPage(Channel channel, SessionManager sessions, AuditLog audit, int maxWatchers) {
        this.grpc = new GrpcGateway(channel);
        this.report = new StatusReport(grpc, PageFeeds.FRAME_RATE_HZ);
        this.feeds = new PageFeeds(sessions, report, maxWatchers);
        this.actions = new PageActions(grpc, audit);
    }

    /** Path → route for the page's files, its JSON and its actions. */
    public Map<String, HttpRoute> routes() {
        Map<String, HttpRoute> m = new LinkedHashMap<>(PageFiles.routes());
        m.put(STATUS_PATH, this::status);
        m.put(PageActions.PATH, actions);
        return m;
    }

    /** Path → event stream route (the live feed). */
    public Map<String, EventStreamRoute> streams() {
        return Map.of(PageFeeds.PATH, feeds);
    }

    /** Sessions whose feed is open now. */
    public int openFeeds() {
        return feeds.feeds();
    }

    private HttpReply status(RouteRequest r) {
        String id = r.param("session");
        try {
            String json =
                    id.isEmpty()
                            ? report.overview(r.authorization())
                            : report.session(id, r.authorization());
            return HttpReply.ok(
                    "application/json; charset=utf-8", json.getBytes(StandardCharsets.UTF_8));
        } catch (StatusRuntimeException e) {
            throw GrpcGateway.refusal(e);
        }
    }

    @Override
    public void close() {
        feeds.close();
    }
}
