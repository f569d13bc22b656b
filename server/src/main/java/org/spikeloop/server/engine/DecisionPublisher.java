package org.spikeloop.server.engine;

import java.util.Arrays;
import java.util.function.Supplier;
import org.agrona.concurrent.Agent;

/**
 * Fans a session's {@link DecisionRing} out to its decision watchers, as {@link FramePublisher}
 * does for frames: each sink has its own cursor; a sink that is not ready (gRPC flow control) is
 * not read, so the engine never waits and the sink's cursor later counts the overwritten windows as
 * dropped. Only decided windows (at least one decoder step) are sent. When the session fails
 * (ERROR) every sink is ended with the failure ({@link #sessionFailed}, {@link #failSinks}); when
 * it stops, {@link #onClose} sends the last decisions and completes them.
 *
 * <p>Threading: {@link #doWork} on one pool thread (its session's engine thread when co-located);
 * {@link #add}/{@link #size} from control-plane threads (copy-on-write array). Allocation: none of
 * its own per decision; the sinks allocate their messages.
 */
public final class DecisionPublisher implements Agent {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(DecisionPublisher.class);

    /** Decisions sent to one sink per cycle. */
    static final int MAX_PER_SINK_PER_CYCLE = 16;

    private final String roleName;
    private final DecisionRing ring;
    private final int maxSinks;
    private volatile Subscription[] subscriptions = new Subscription[0];
    private volatile boolean closing;
    private volatile Runnable wake = () -> {};
    private final SessionFailure failure;

    private static final class Subscription {
        final DecisionSink sink;
        final DecisionCursor cursor;
        final Decision decision;

        Subscription(DecisionSink sink, DecisionCursor cursor, Decision decision) {
            this.sink = sink;
            this.cursor = cursor;
            this.decision = decision;
        }
    }

    public DecisionPublisher(String sessionId, DecisionRing ring, int maxSinks) {
        this.roleName = "spikeloop-decisions-" + sessionId;
        this.ring = ring;
        this.maxSinks = maxSinks;
        this.failure = new SessionFailure(sessionId);
    }

    @Override
    public String roleName() {
        return roleName;
    }

    /** What wakes this publisher's thread (set when the session starts). */
    public void wakeWith(Runnable wakeUp) {
        this.wake = wakeUp;
    }

    /**
     * What a failed session's sinks are told ({@link DecisionSink#fail}), built when they are ended
     * (set when the session starts).
     */
    public void failureReason(Supplier<String> reason) {
        failure.reasonFrom(reason);
    }

    /**
     * The session went to ERROR: the next cycle sends each ready sink the decisions waiting, then
     * ends every sink with {@link DecisionSink#fail}; later sinks are refused. Any thread (the
     * engine's failure path): a volatile write and a wake-up, no allocation, lock or log.
     */
    public void sessionFailed() {
        failure.raise();
        wake.run();
    }

    /**
     * Ends every sink with {@link DecisionSink#fail} now (idempotent; nothing after {@link
     * #onClose}). Only on the one thread that touches this publisher: its pool's thread, in the
     * failure hook after its own {@code doWork} threw, or the monitor's once that thread has died.
     */
    public void failSinks() {
        failSinks(false);
    }

    private void failSinks(boolean sendWaitingFirst) {
        Subscription[] subs;
        synchronized (this) {
            if (closing) {
                return;
            }
            closing = true;
            subs = subscriptions;
            subscriptions = new Subscription[0];
        }
        failure.endAll(
                subs,
                (s, reason) -> {
                    if (s.sink.isCancelled()) {
                        return;
                    }
                    if (sendWaitingFirst) {
                        drain(s);
                    }
                    s.sink.fail(reason);
                },
                LOG,
                roleName);
    }

    /**
     * Subscribes a sink from the next decision on.
     *
     * @return false when the session already has {@code maxSinks} decision watchers or is closing
     *     or its sinks were failed
     */
    public synchronized boolean add(DecisionSink sink) {
        Subscription[] current = subscriptions;
        if (closing || current.length >= maxSinks) {
            return false;
        }
        Subscription[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] =
                new Subscription(sink, ring.newCursor(), new Decision(ring.classes()));
        subscriptions = next;
        return true;
    }

    /** Number of subscribed sinks. */
    public int size() {
        return subscriptions.length;
    }

    private synchronized void remove(Subscription s) {
        Subscription[] current = subscriptions;
        Subscription[] next = new Subscription[current.length - 1];
        int n = 0;
        for (Subscription c : current) {
            if (c != s && n < next.length) {
                next[n++] = c;
            }
        }
        subscriptions = next;
    }

    @Override
    public int doWork() {
        if (closing) {
            return 0;
        }
        if (failure.raised()) {
            failSinks(true);
            return 1;
        }
        int work = 0;
        for (Subscription s : subscriptions) {
            if (s.sink.isCancelled()) {
                remove(s);
                work++;
                continue;
            }
            work += drain(s);
        }
        return work;
    }

    private int drain(Subscription s) {
        int sent = 0;
        // Read only while the sink can take a decision: one not read stays in the ring.
        while (sent < MAX_PER_SINK_PER_CYCLE && s.sink.isReady() && s.cursor.poll(s.decision)) {
            if (s.decision.decided()) { // a window without a step has no decision to send
                s.sink.send(s.decision, s.cursor.dropped());
                sent++;
            }
        }
        return sent;
    }

    @Override
    public void onClose() {
        synchronized (this) {
            closing = true;
        }
        for (Subscription s : subscriptions) {
            if (!s.sink.isCancelled()) {
                drain(s); // the decisions of the windows the engine closed last
                try {
                    s.sink.complete();
                } catch (RuntimeException e) {
                    LOG.debug("{}: a sink failed to complete: {}", roleName, e.toString());
                }
            }
        }
        subscriptions = new Subscription[0];
    }
}
