package org.spikeloop.server.grpc;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.spikeloop.server.jobs.JobEvent;

/**
 * One WatchJob call as a watcher of its job: forwards each event and ends the call exactly once. It
 * ends completed after the job's terminal event, silently when the client cancels, and with
 * INTERNAL when an event cannot be sent. The last matters because the job drops a watcher that
 * throws: without a status the client would wait on a stream nothing writes to any more.
 */
final class JobEventStream implements Consumer<JobEvent> {
    private final ServerCallStreamObserver<org.spikeloop.proto.v1.JobEvent> call;
    private final AtomicBoolean ended = new AtomicBoolean();

    JobEventStream(ServerCallStreamObserver<org.spikeloop.proto.v1.JobEvent> call) {
        this.call = call;
    }

    /** Marks the stream ended by the client: later events are not sent. */
    void cancelled() {
        ended.set(true);
    }

    boolean ended() {
        return ended.get();
    }

    /**
     * Sends the event; after a terminal one, completes the call. If sending fails, the call ends
     * with INTERNAL naming the failure, and the failure is rethrown so that the job drops (and
     * logs) this watcher.
     */
    @Override
    public void accept(JobEvent e) {
        if (ended.get()) {
            return;
        }
        try {
            call.onNext(JobGrpcService.toProto(e));
        } catch (RuntimeException | Error t) {
            fail(e, t);
            throw t;
        }
        if (e.state().terminal() && ended.compareAndSet(false, true)) {
            call.onCompleted();
        }
    }

    private void fail(JobEvent e, Throwable t) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        try {
            call.onError(
                    Status.INTERNAL
                            .withDescription(
                                    "job "
                                            + e.jobId()
                                            + ": could not send its "
                                            + e.state()
                                            + " event: "
                                            + t)
                            .asRuntimeException());
        } catch (RuntimeException closed) {
            // The call was already closed (the transport failed with it): nothing left to tell.
            t.addSuppressed(closed);
        }
    }
}
