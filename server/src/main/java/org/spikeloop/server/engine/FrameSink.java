package org.spikeloop.server.engine;

/**
 * Where a {@link FramePublisher} delivers frames (a gRPC watcher, the demo's in-process watcher).
 * All methods are called on the publisher's thread only, except {@link #onSubscribed} (the
 * subscribing thread) and {@link #isCancelled}, which the transport may flip from any thread.
 */
public interface FrameSink {
    /**
     * Called once when the sink is subscribed, with what wakes the publisher's thread: a sink that
     * was not ready (flow control) runs it when it becomes ready, so its frames go out at once.
     */
    default void onSubscribed(Runnable wakePublisher) {}

    /** Whether the sink can take a frame now without buffering (flow control). */
    boolean isReady();

    /** Whether the far side went away; the publisher then drops the sink. */
    boolean isCancelled();

    /**
     * Delivers one frame (may allocate: this is the publisher, not the engine).
     *
     * @param droppedSoFar frames this sink has lost so far because it did not keep up
     */
    void send(Frame frame, long droppedSoFar);

    /**
     * The frames sent since the last flush are due (the pass ended, or, with a batch interval, the
     * interval passed or they fill a message: {@link FramePublisher#add(FrameSink, double, int,
     * boolean)}); a sink that gathers frames into one message sends them now.
     */
    default void flush() {}

    /**
     * Ends the stream normally (the session stopped); a sink that gathers frames sends those it
     * holds first.
     */
    void complete();

    /**
     * Ends the stream because the session failed (it went to ERROR and decodes nothing more): a
     * gRPC sink ends its call with FAILED_PRECONDITION and {@code reason}. Called once, instead of
     * {@link #complete}, on the publisher's thread (or, once that thread has died, on the only
     * thread left that touches the publisher). A sink that gathers frames sends those it holds
     * first. The default completes the stream.
     *
     * @param reason {@code session <id> is in ERROR: <why>}
     */
    default void fail(String reason) {
        complete();
    }
}
