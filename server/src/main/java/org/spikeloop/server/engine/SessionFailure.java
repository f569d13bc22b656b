package org.spikeloop.server.engine;

import java.util.function.Supplier;

/**
 * A session's failure as one of its publishers tells its sinks ({@link FramePublisher}, {@link
 * DecisionPublisher}): raised from any thread by a volatile write (the engine's failure path must
 * not allocate, lock or log), its text built only when the publisher ends its sinks.
 */
final class SessionFailure {
    private final String fallback;
    private volatile Supplier<String> reason;
    private volatile boolean raised;

    SessionFailure(String sessionId) {
        this.fallback = "session " + sessionId + " is in ERROR";
        this.reason = () -> fallback;
    }

    /** What the sinks are told (set when the session starts). */
    void reasonFrom(Supplier<String> reason) {
        this.reason = reason;
    }

    void raise() {
        raised = true;
    }

    boolean raised() {
        return raised;
    }

    /** Ends one sink with the failure's text (sending what waits for it first, where asked). */
    @FunctionalInterface
    interface SinkEnder<S> {
        void end(S subscription, String reason);
    }

    /**
     * Ends each of a publisher's subscriptions with {@link #text}; one that cannot be ended (it
     * throws, an {@code Error} too) is logged at DEBUG and does not keep the others open. The
     * failure path, not the hot path: runs once per session.
     */
    <S> void endAll(S[] subscriptions, SinkEnder<S> ender, org.slf4j.Logger log, String role) {
        String text = text();
        for (S s : subscriptions) {
            try {
                ender.end(s, text);
            } catch (RuntimeException | Error e) {
                log.debug("{}: a sink failed to end: {}", role, e.toString());
            }
        }
    }

    /** The reason's text, or the short form when it cannot be built (e.g. no heap left for it). */
    String text() {
        try {
            return reason.get();
        } catch (RuntimeException | Error e) {
            return fallback;
        }
    }
}
