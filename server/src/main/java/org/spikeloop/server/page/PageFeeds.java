package org.spikeloop.server.page;

import io.grpc.StatusRuntimeException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.http.EventStream;
import org.spikeloop.server.http.EventStreamRoute;
import org.spikeloop.server.http.RouteException;
import org.spikeloop.server.http.RouteRequest;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionManager;

/**
 * {@code GET /api/stream?session=ID}: a session's live feed as Server-Sent Events. Events: {@code
 * frame} (at most {@link #FRAME_RATE_HZ} a second), {@code decision} (each trial of a trial
 * session), {@code status} (the session's report, {@link StatusReport#session}, once on opening and
 * every {@link #STATUS_PERIOD_MS} ms), {@code ended} (the session stopped; the stream closes),
 * {@code error}.
 *
 * <p>However many browsers show a session, it has one {@link PageFeed}: one watcher slot of the
 * session's frame publisher (a viewer's slot, {@code limits.maxWatchersPerSession}) taken when the
 * first browser opens the feed and given back when the last one leaves. The streams themselves are
 * capped by {@code http.maxEventStreams} (the listener's check).
 *
 * <p>Threading: {@link #check}/{@link #open} on the HTTP handler thread; leaving on Netty's event
 * loop; status on this class's own daemon thread ({@code spikeloop-page-status}). The feeds' map is
 * guarded by this object's lock (control plane only).
 */
public final class PageFeeds implements EventStreamRoute, AutoCloseable {
    /** The path of the feed. */
    public static final String PATH = "/api/stream";

    /** Frames per second each session's feed takes from its publisher (stated on the page). */
    public static final double FRAME_RATE_HZ = 50;

    /** How often the status event is sent (the page's refresh of its figures). */
    public static final long STATUS_PERIOD_MS = 1_000;

    private final SessionManager sessions;
    private final StatusReport report;
    private final int maxWatchers;
    private final Map<String, PageFeed> feeds = new HashMap<>();
    private final ScheduledExecutorService status =
            Executors.newSingleThreadScheduledExecutor(
                    r -> {
                        Thread t = new Thread(r, "spikeloop-page-status");
                        t.setDaemon(true);
                        return t;
                    });

    /**
     * @param maxWatchers {@code limits.maxWatchersPerSession}, for the refusal's message
     */
    PageFeeds(SessionManager sessions, StatusReport report, int maxWatchers) {
        this.sessions = sessions;
        this.report = report;
        this.maxWatchers = maxWatchers;
        status.scheduleWithFixedDelay(
                this::sendStatus, STATUS_PERIOD_MS, STATUS_PERIOD_MS, TimeUnit.MILLISECONDS);
    }

    @Override
    public void check(RouteRequest request) {
        String id = request.param("session");
        if (id.isEmpty()) {
            throw new RouteException(400, "session: required (/api/stream?session=ID)");
        }
        try {
            sessions.get(id);
        } catch (ServerException e) {
            throw new RouteException(404, e.getMessage());
        }
    }

    @Override
    public void open(RouteRequest request, EventStream stream) {
        String id = request.param("session");
        PageFeed.Listener listener = new PageFeed.Listener(stream, request.authorization());
        PageFeed feed;
        synchronized (this) {
            feed = feeds.get(id);
            if (feed == null || feed.isCancelled()) {
                feed = subscribe(sessions.get(id));
                feeds.put(id, feed);
            }
            feed.add(listener);
        }
        PageFeed joined = feed;
        stream.onClose(() -> leave(joined, listener));
        try {
            stream.send("status", report.session(id, request.authorization()));
        } catch (StatusRuntimeException e) {
            stream.send("error", quoted(GrpcGateway.refusal(e).getMessage()));
        }
    }

    /** A new feed, subscribed to the session's publishers (throws their refusals). */
    private PageFeed subscribe(Session s) {
        PageFeed feed = new PageFeed(s.id(), s.classNames());
        s.addWatcher(feed, FRAME_RATE_HZ, maxWatchers, false);
        if (!s.classNames().isEmpty()) {
            try {
                s.addDecisionWatcher(feed, maxWatchers);
            } catch (ServerException e) {
                feed.cancel(); // gives the frame slot back too
                throw e;
            }
        }
        return feed;
    }

    private synchronized void leave(PageFeed feed, PageFeed.Listener listener) {
        if (feed.remove(listener)) {
            feed.cancel();
            feeds.remove(feed.sessionId(), feed);
        }
    }

    /** Sessions with a feed open now. */
    public synchronized int feeds() {
        return feeds.size();
    }

    private void sendStatus() {
        List<PageFeed> open;
        synchronized (this) {
            open = new ArrayList<>(feeds.values());
        }
        for (PageFeed f : open) {
            String auth = f.anyAuthorization();
            if (auth == null) {
                continue;
            }
            try {
                f.broadcast("status", report.session(f.sessionId(), auth));
            } catch (StatusRuntimeException e) {
                f.broadcast("error", quoted(GrpcGateway.refusal(e).getMessage()));
            } catch (RuntimeException e) {
                // Keep the thread alive for the other sessions; the page shows the failure.
                f.broadcast("error", quoted("status failed: " + e));
            }
        }
    }

    private static String quoted(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2);
        Json.string(b, s);
        return b.toString();
    }

    @Override
    public void close() {
        status.shutdownNow();
    }
}
