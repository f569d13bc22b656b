package org.spikeloop.server.io;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.Agent;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.server.engine.Decision;
import org.spikeloop.server.engine.DecisionCursor;
import org.spikeloop.server.engine.DecisionRing;
import org.spikeloop.server.engine.EngineCounters;

/**
 * Publishes a session's per-trial decisions on an LSL marker outlet (one string channel, irregular
 * rate): reads the {@link DecisionRing} with its own cursor and pushes one marker per decided
 * window, the decision as one line of JSON ({@link Decision#toJson}), stamped with the window's end
 * on the samples' clock, so a task application (feedback, a speller) can line it up with its own
 * streams. Windows without a decoder step have no decision and are not pushed. Like a slow watcher
 * it never slows the engine: lapped, its cursor skips ahead and counts the lost decisions ({@link
 * #decisionsDropped}); liblsl's push never blocks.
 *
 * <p>Like every LSL outlet it is visible to any LSL peer on the network (LSL has no access
 * control), so it is off unless the session asks for it ({@code lsl_decisions}).
 *
 * <p>Threading: {@link #doWork}/{@link #onClose} on the publisher pool thread (its session's engine
 * thread when co-located); the counters from any thread. Allocation: each decision's text (a few
 * per minute), nothing when there is none.
 */
public final class LslDecisionOutletAgent implements Agent {
    private final String roleName;
    private final Outlet outlet;
    private final DecisionCursor cursor;
    private final Decision decision;
    private final List<String> classNames;
    private final String[] text = new String[1];
    private final double[] stamp = new double[1];
    private final AtomicLong pushed = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean consumers;

    /**
     * @param outlet an open one-channel string outlet; closed by {@link #onClose}
     * @param classNames class names by index (the decisions' text names classes by them)
     */
    LslDecisionOutletAgent(
            String sessionId, Outlet outlet, DecisionRing ring, List<String> classNames) {
        if (classNames.size() != ring.classes()) {
            throw new IllegalArgumentException(
                    classNames.size() + " class names for " + ring.classes() + " classes");
        }
        this.roleName = "spikeloop-lsl-decisions-" + sessionId;
        this.outlet = outlet;
        this.cursor = ring.newCursor();
        this.decision = new Decision(ring.classes());
        this.classNames = List.copyOf(classNames);
    }

    /**
     * Creates the session's decision outlet ({@link LslEndpoints#openDecisionOutlet}) and its
     * agent.
     *
     * @throws org.spikeloop.server.ServerException naming the {@code spec.lsl_decisions} field
     */
    public static LslDecisionOutletAgent open(
            String sessionId, LslOutletConfig config, DecisionRing ring, List<String> classNames) {
        Outlet outlet = LslEndpoints.openDecisionOutlet(sessionId, config);
        try {
            return new LslDecisionOutletAgent(sessionId, outlet, ring, classNames);
        } catch (RuntimeException e) {
            outlet.close();
            throw e;
        }
    }

    @Override
    public String roleName() {
        return roleName;
    }

    @Override
    public int doWork() {
        int n = 0;
        while (cursor.poll(decision)) {
            if (decision.decided()) {
                text[0] = decision.toJson(classNames);
                stamp[0] = decision.endS;
                outlet.pushChunk(text, stamp, 1);
                EngineCounters.increment(pushed);
                consumers = outlet.haveConsumers();
                n++;
            }
        }
        long lost = cursor.dropped();
        if (lost != dropped.get()) {
            dropped.lazySet(lost);
        }
        return n;
    }

    /** Pushes the decisions still in the ring (the engine has stopped), then closes the outlet. */
    @Override
    public void onClose() {
        try {
            doWork();
        } finally {
            outlet.close();
        }
    }

    /** The outlet as the API shows it (any thread). */
    public LslDecisionOutletView view() {
        return new LslDecisionOutletView(pushed.get(), dropped.get(), consumers);
    }

    /** Decisions pushed (single writer: this agent), for a meter. */
    public AtomicLong pushedCounter() {
        return pushed;
    }

    /** Decisions lost behind the ring (single writer: this agent), for a meter. */
    public AtomicLong droppedCounter() {
        return dropped;
    }
}
