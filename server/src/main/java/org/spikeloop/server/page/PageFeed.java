package org.spikeloop.server.page;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.spikeloop.server.engine.Decision;
import org.spikeloop.server.engine.DecisionSink;
import org.spikeloop.server.engine.Frame;
import org.spikeloop.server.engine.FrameSink;
import org.spikeloop.server.http.EventStream;

/**
 * One session's live feed to every browser that shows it: a single, rate-limited subscription to
 * the session's {@link org.spikeloop.server.engine.FramePublisher} (and, for trial sessions, its
 * {@link org.spikeloop.server.engine.DecisionPublisher}), each frame encoded once and offered to
 * every browser's {@link EventStream}. The sink is always ready: a browser that does not keep up
 * loses events at its own stream (its buffer is full), so neither the publisher nor the other
 * browsers wait for it, and the engine never sees the page at all.
 *
 * <p>Threading: frames arrive on the session's frame publisher thread, decisions on its decision
 * publisher's (as for gRPC decision watchers), status from the page's status thread; listeners join
 * and leave from the HTTP handler thread and Netty's event loop (copy-on-write list). Allocation:
 * one string per frame, on the publisher thread (never the engine's).
 */
final class PageFeed implements FrameSink, DecisionSink {
    /** A browser: its stream and the credentials it opened the stream with. */
    record Listener(EventStream stream, String authorization) {}

    private final String sessionId;
    private final List<String> classNames;
    private final CopyOnWriteArrayList<Listener> listeners = new CopyOnWriteArrayList<>();
    private final StringBuilder text = new StringBuilder(256); // frame publisher thread only
    private volatile boolean cancelled;

    PageFeed(String sessionId, List<String> classNames) {
        this.sessionId = sessionId;
        this.classNames = List.copyOf(classNames);
    }

    String sessionId() {
        return sessionId;
    }

    void add(Listener l) {
        listeners.add(l);
    }

    /** Removes a listener; returns whether none is left. */
    boolean remove(Listener l) {
        listeners.remove(l);
        return listeners.isEmpty();
    }

    /** Ends the subscription: the publishers drop the feed at their next cycle. */
    void cancel() {
        cancelled = true;
    }

    /** The credentials of a browser still connected, for the status calls; null when none is. */
    String anyAuthorization() {
        for (Listener l : listeners) {
            if (l.stream().isOpen()) {
                return l.authorization();
            }
        }
        return null;
    }

    /** Offers one event to every browser; returns how many took it. */
    int broadcast(String event, String data) {
        int n = 0;
        for (Listener l : listeners) {
            if (l.stream().send(event, data)) {
                n++;
            }
        }
        return n;
    }

    @Override
    public boolean isReady() {
        return true; // each browser drops at its own stream
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * {@code {"step":…,"t":…,"y":[…],"label":[…]|null,"latency_us":…,"deadline_missed":…,
     * "samples_skipped":…,"dropped":…}}: outputs and labels as the engine published them, the
     * frame's end-to-end latency (arrival → decoded), and the frames this feed lost so far.
     */
    @Override
    public void send(Frame f, long droppedSoFar) {
        StringBuilder b = text;
        b.setLength(0);
        b.append("{\"step\":").append(f.step).append(",\"t\":");
        Json.number(b, f.sourceTimestampS);
        b.append(",\"y\":");
        Json.array(b, f.outputs);
        b.append(",\"label\":");
        if (f.hasLabel) {
            Json.array(b, f.label);
        } else {
            b.append("null");
        }
        b.append(",\"latency_us\":").append((f.decodeNs - f.arrivalNs) / 1_000L);
        b.append(",\"deadline_missed\":").append(f.deadlineMissed);
        b.append(",\"samples_skipped\":").append(f.samplesSkipped);
        b.append(",\"dropped\":").append(droppedSoFar).append('}');
        broadcast("frame", b.toString());
    }

    /** The decision as its LSL marker and recording carry it ({@link Decision#toJson}). */
    @Override
    public void send(Decision d, long droppedSoFar) {
        broadcast("decision", d.toJson(classNames));
    }

    /**
     * The session failed (ERROR): tells every browser why and closes their streams (a page that
     * reconnects is refused with the same reason while the session stays in ERROR).
     */
    @Override
    public void fail(String reason) {
        cancelled = true;
        StringBuilder b = new StringBuilder(reason.length() + 2);
        Json.string(b, reason);
        String quoted = b.toString();
        for (Listener l : listeners) {
            l.stream().send("error", quoted);
            l.stream().close();
        }
    }

    /** The session stopped: tells every browser and closes their streams. */
    @Override
    public void complete() {
        cancelled = true;
        for (Listener l : listeners) {
            l.stream().send("ended", "{\"session_id\":\"" + sessionId + "\"}");
            l.stream().close();
        }
    }
}
