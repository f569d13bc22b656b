package org.spikeloop.server.engine;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.agrona.concurrent.Agent;

/**
 * Fans a session's {@link FrameRing} out to its sinks. Each sink has its own cursor: a sink that is
 * not ready (gRPC flow control says its buffer is full) is simply not read, so the engine keeps
 * publishing and the sink's cursor later counts the overwritten frames as dropped. An optional
 * per-sink rate limit skips frames between sends (not counted as drops).
 *
 * <p>What a sink is given in one pass it may gather into one message, sent when the publisher calls
 * {@link FrameSink#flush}: at the end of every pass, or, for a sink with a batch interval, once the
 * interval has passed since its last message or when the message holds {@link
 * #MAX_FRAMES_PER_SINK_PER_CYCLE} frames. The frames such a sink holds between flushes were already
 * read from the ring (each pass reads what it can take, as without an interval), so they wait in
 * the sink's message, not in the ring: waiting never turns into drops, whatever the ring's size and
 * the session's rate, and a rate limit selects the frames exactly as without an interval. A held
 * message goes out at the first pass after it is due: the next frame's wake-up, or the end of the
 * thread's idle park (at most 1 ms on the delivery thread, {@code
 * IdleStrategies.DELIVERY_MAX_PARK_NS}; the engine idle strategy's longest park on the publishers'
 * thread with {@code engine.colocate=false}).
 *
 * <p>When the session fails (ERROR) every sink is ended with the failure ({@link #sessionFailed},
 * {@link #failSinks}), never left open without frames; when it stops, {@link #onClose} completes
 * them.
 *
 * <p>Threading: {@link #doWork} on one pool thread (the delivery thread, which the engine wakes
 * after publishing; the publishers' pool thread with {@code engine.colocate=false}); {@link
 * #add}/{@link #size} from control-plane threads (copy-on-write array of subscriptions).
 * Allocation: none of its own per frame (a gRPC sink's transport allocates per message).
 */
public final class FramePublisher implements Agent {
    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(FramePublisher.class);

    /**
     * Frames sent to one sink per cycle, so one fast sink cannot starve the others; also the most
     * frames a sink with a batch interval gathers before its message is sent.
     */
    public static final int MAX_FRAMES_PER_SINK_PER_CYCLE = 64;

    /**
     * The longest batch interval ({@link #add(FrameSink, double, int, boolean)}). Beyond it a
     * watcher would no longer be live (a display a tenth of a second behind is visibly late), and
     * it would gather little more: at 1 kHz a message is full ({@link
     * #MAX_FRAMES_PER_SINK_PER_CYCLE} frames) after 64 ms, at 250 Hz 100 ms gathers 25 frames.
     */
    public static final int MAX_BATCH_INTERVAL_MS = 100;

    private final String roleName;
    private final FrameRing ring;
    private final EngineClock clock;
    private final AtomicLong droppedTotal;
    private final AtomicLong sentTotal;
    private final int maxSinks;
    private final int operatorSlots;
    private volatile Subscription[] subscriptions = new Subscription[0];
    private volatile boolean closing;
    private volatile Runnable wake = () -> {};
    private final SessionFailure failure;

    private static final class Subscription {
        final FrameSink sink;
        final FrameCursor cursor;
        final Frame frame;
        final long minIntervalNs;
        final long batchIntervalNs;
        final boolean operator;
        long lastSentNs = Long.MIN_VALUE / 2;
        long lastMessageNs = Long.MIN_VALUE / 2;
        int heldFrames; // sent to the sink since its last flush
        long droppedReported;

        Subscription(
                FrameSink sink,
                FrameCursor cursor,
                Frame frame,
                long minIntervalNs,
                long batchIntervalNs,
                boolean operator) {
            this.sink = sink;
            this.cursor = cursor;
            this.frame = frame;
            this.minIntervalNs = minIntervalNs;
            this.batchIntervalNs = batchIntervalNs;
            this.operator = operator;
        }
    }

    public FramePublisher(
            String sessionId,
            FrameRing ring,
            EngineClock clock,
            int maxSinks,
            AtomicLong droppedTotal,
            AtomicLong sentTotal) {
        this(sessionId, ring, clock, maxSinks, 0, droppedTotal, sentTotal);
    }

    /**
     * @param maxSinks sinks at once
     * @param operatorSlots of those, the ones only an operator's sink may take ({@link
     *     #add(FrameSink, double, boolean)}), so that viewers can never hold them all
     */
    public FramePublisher(
            String sessionId,
            FrameRing ring,
            EngineClock clock,
            int maxSinks,
            int operatorSlots,
            AtomicLong droppedTotal,
            AtomicLong sentTotal) {
        if (operatorSlots < 0 || operatorSlots >= maxSinks) {
            throw new IllegalArgumentException(
                    "operator slots must be in [0, " + maxSinks + "), got " + operatorSlots);
        }
        this.roleName = "spikeloop-publisher-" + sessionId;
        this.ring = ring;
        this.clock = clock;
        this.maxSinks = maxSinks;
        this.operatorSlots = operatorSlots;
        this.droppedTotal = droppedTotal;
        this.sentTotal = sentTotal;
        this.failure = new SessionFailure(sessionId);
    }

    @Override
    public String roleName() {
        return roleName;
    }

    /** Subscribes an operator's sink (see {@link #add(FrameSink, double, boolean)}). */
    public boolean add(FrameSink sink, double maxRateHz) {
        return add(sink, maxRateHz, true);
    }

    /**
     * What wakes this publisher's thread (set when the session starts): sinks are given it, so that
     * a sink whose transport becomes ready again can have its waiting frames sent at once.
     */
    public void wakeWith(Runnable wakeUp) {
        this.wake = wakeUp;
    }

    /**
     * What a failed session's sinks are told ({@link FrameSink#fail}), built when they are ended
     * (set when the session starts).
     */
    public void failureReason(Supplier<String> reason) {
        failure.reasonFrom(reason);
    }

    /**
     * The session went to ERROR: the next cycle sends each ready sink what it can take of the
     * frames already published, then ends every sink with {@link FrameSink#fail}; later sinks are
     * refused. Any thread (the engine's failure path): a volatile write and a wake-up, no
     * allocation, lock or log, and nothing at all per step.
     */
    public void sessionFailed() {
        failure.raise();
        wake.run();
    }

    /**
     * Ends every sink with {@link FrameSink#fail} now (idempotent; nothing after {@link #onClose}).
     * Only on the one thread that touches this publisher: its pool's thread, in the failure hook
     * after its own {@code doWork} threw, or the monitor's once that thread has died.
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
     * Subscribes a sink from the next published frame on, flushed at the end of every pass that
     * gave it frames (see {@link #add(FrameSink, double, int, boolean)}).
     */
    public boolean add(FrameSink sink, double maxRateHz, boolean operator) {
        return add(sink, maxRateHz, 0, operator);
    }

    /**
     * Subscribes a sink from the next published frame on.
     *
     * @param maxRateHz at most this many frames per second; 0 = every frame
     * @param batchIntervalMs 0: the sink is flushed at the end of every pass that gave it frames; 1
     *     to {@link #MAX_BATCH_INTERVAL_MS}: at most once every this many ms, or when it holds
     *     {@link #MAX_FRAMES_PER_SINK_PER_CYCLE} frames
     * @param operator whether the sink is an operator's: viewers' sinks may fill only {@code
     *     maxSinks - operatorSlots} slots
     * @return false when the session already has {@code maxSinks} sinks (a viewer: viewer sinks
     *     fill their share) or is closing or its sinks were failed
     * @throws IllegalArgumentException for a batch interval outside [0, {@link
     *     #MAX_BATCH_INTERVAL_MS}] (callers check it first and say so to their client)
     */
    public synchronized boolean add(
            FrameSink sink, double maxRateHz, int batchIntervalMs, boolean operator) {
        if (batchIntervalMs < 0 || batchIntervalMs > MAX_BATCH_INTERVAL_MS) {
            throw new IllegalArgumentException(
                    "batch interval must be within [0, "
                            + MAX_BATCH_INTERVAL_MS
                            + "] ms, got "
                            + batchIntervalMs);
        }
        Subscription[] current = subscriptions;
        if (closing || current.length >= maxSinks) {
            return false;
        }
        if (!operator && viewerSinks(current) >= maxSinks - operatorSlots) {
            return false;
        }
        long interval = maxRateHz > 0 ? (long) (1e9 / maxRateHz) : 0;
        Subscription[] next = Arrays.copyOf(current, current.length + 1);
        next[current.length] =
                new Subscription(
                        sink,
                        ring.newCursor(),
                        new Frame(ring.outputs()),
                        interval,
                        batchIntervalMs * 1_000_000L,
                        operator);
        sink.onSubscribed(wake);
        subscriptions = next;
        return true;
    }

    private static int viewerSinks(Subscription[] subs) {
        int n = 0;
        for (Subscription s : subs) {
            if (!s.operator) {
                n++;
            }
        }
        return n;
    }

    /** Number of subscribed sinks. */
    public int size() {
        return subscriptions.length;
    }

    private synchronized void remove(Subscription s) {
        Subscription[] current = subscriptions;
        int n = 0;
        Subscription[] next = new Subscription[current.length - 1];
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
        Subscription[] subs = subscriptions;
        int work = 0;
        for (Subscription s : subs) {
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
        final FrameSink sink = s.sink;
        final FrameCursor cursor = s.cursor;
        if (!sink.isReady()) {
            cursor.discardOverrun();
            reportDrops(s);
            return 0;
        }
        final int room = MAX_FRAMES_PER_SINK_PER_CYCLE - s.heldFrames; // in the sink's message
        while (sent < room && sink.isReady()) {
            if (s.minIntervalNs > 0) {
                long now = clock.nanoTime();
                if (now - s.lastSentNs < s.minIntervalNs) {
                    cursor.skipToNewest();
                    break;
                }
                cursor.skipToNewest();
                if (!cursor.poll(s.frame)) {
                    break;
                }
                s.lastSentNs = now;
            } else if (!cursor.poll(s.frame)) {
                break;
            }
            sink.send(s.frame, reportDrops(s));
            EngineCounters.increment(sentTotal);
            sent++;
        }
        s.heldFrames += sent;
        if (s.heldFrames == 0 || !messageDue(s)) {
            return sent;
        }
        s.heldFrames = 0;
        sink.flush();
        return Math.max(sent, 1);
    }

    /**
     * Whether the frames {@code s}'s sink holds go out now: always without a batch interval; with
     * one, when its message is full or the interval has passed since its last message (one clock
     * read per pass that holds frames).
     */
    private boolean messageDue(Subscription s) {
        if (s.batchIntervalNs == 0) {
            return true;
        }
        long now = clock.nanoTime();
        if (s.heldFrames < MAX_FRAMES_PER_SINK_PER_CYCLE
                && now - s.lastMessageNs < s.batchIntervalNs) {
            return false;
        }
        s.lastMessageNs = now;
        return true;
    }

    private long reportDrops(Subscription s) {
        long dropped = s.cursor.dropped();
        if (dropped != s.droppedReported) {
            EngineCounters.add(droppedTotal, dropped - s.droppedReported);
            s.droppedReported = dropped;
        }
        return dropped;
    }

    @Override
    public void onClose() {
        synchronized (this) {
            closing = true;
        }
        for (Subscription s : subscriptions) {
            if (!s.sink.isCancelled()) {
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
