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

    /** The reason's text, or the short form when it cannot be built (e.g. no heap left for it). */
    String text() {
        try {
            return reason.get();
        } catch (RuntimeException | Error e) {
            return fallback;
        }
    }
}
