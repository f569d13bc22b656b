package org.spikeloop.server.engine;

/**
 * Where a {@link FramePublisher} delivers frames (a gRPC watcher, later an LSL outlet or the XDF
 * recorder). All methods are called on the publisher's thread only, except {@link #isCancelled},
 * which the transport may flip from any thread.
 */
public interface FrameSink {
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

    /** Ends the stream normally (the session stopped). */
    void complete();
}
