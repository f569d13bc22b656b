package org.spikeloop.server.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * The server side of one watch stream (Watch, WatchBatched, WatchDecisions) under manual flow
 * control, as both watcher sinks ({@link WatcherSink}, {@link DecisionWatcherSink}) drive it: the
 * publisher sends only while {@link #isReady}; a client that goes away flips {@link #isCancelled},
 * whether gRPC tells us (the cancel handler) or a send finds out; a session that fails ends the
 * call with FAILED_PRECONDITION naming the failure.
 *
 * <p>Threading: built inside the watch call's handler (where gRPC allows installing handlers);
 * {@link #send}, {@link #complete} and {@link #fail} on the session's publisher thread only; the
 * cancel flag is written by gRPC's thread and read by the publisher. Allocation: none of its own.
 */
final class WatchCall<T> {
    private final ServerCallStreamObserver<T> call;
    private volatile boolean cancelled;

    WatchCall(ServerCallStreamObserver<T> call) {
        this.call = call;
        call.setOnCancelHandler(() -> cancelled = true);
    }

    /** Wakes the publisher when gRPC's outbound buffer has room again. */
    void onReady(Runnable wakePublisher) {
        call.setOnReadyHandler(wakePublisher);
    }

    /** Whether a message may be sent now without growing gRPC's outbound buffer. */
    boolean isReady() {
        return !cancelled && call.isReady();
    }

    /** Whether the client is gone. */
    boolean isCancelled() {
        return cancelled || call.isCancelled();
    }

    /** Sends one message; a call cancelled since {@link #isReady} only marks the watcher gone. */
    void send(T message) {
        try {
            call.onNext(message);
        } catch (RuntimeException e) {
            // The call was cancelled between isReady() and onNext(): the watcher is gone.
            cancelled = true;
        }
    }

    /** The session stopped: the stream ends normally. */
    void complete() {
        call.onCompleted();
    }

    /** The session failed: the call ends with FAILED_PRECONDITION naming the failure. */
    void fail(String reason) {
        call.onError(Status.FAILED_PRECONDITION.withDescription(reason).asRuntimeException());
    }
}
