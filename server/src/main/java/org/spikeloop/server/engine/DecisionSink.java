package org.spikeloop.server.engine;

/**
 * Where a {@link DecisionPublisher} delivers trial decisions (a gRPC decision watcher). All methods
 * are called on the publisher's thread only, except {@link #isCancelled}, which the transport may
 * flip from any thread.
 */
public interface DecisionSink {
    /** Whether the sink can take a decision now without buffering (flow control). */
    boolean isReady();

    /** Whether the far side went away; the publisher then drops the sink. */
    boolean isCancelled();

    /**
     * Delivers one decided window (may allocate: this is the publisher, not the engine).
     *
     * @param droppedSoFar decisions this sink has lost so far because it did not keep up
     */
    void send(Decision decision, long droppedSoFar);

    /** Ends the stream normally (the session stopped). */
    void complete();

    /**
     * Ends the stream because the session failed (it went to ERROR and decodes nothing more): a
     * gRPC sink ends its call with FAILED_PRECONDITION and {@code reason}. Called once, instead of
     * {@link #complete}, on the publisher's thread (or, once that thread has died, on the only
     * thread left that touches the publisher). The default completes the stream.
     *
     * @param reason {@code session <id> is in ERROR: <why>}
     */
    default void fail(String reason) {
        complete();
    }
}
