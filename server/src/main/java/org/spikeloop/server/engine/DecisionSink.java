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
}
