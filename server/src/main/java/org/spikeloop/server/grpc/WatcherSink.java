package org.spikeloop.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import org.spikeloop.proto.v1.FrameField;
import org.spikeloop.server.engine.Frame;
import org.spikeloop.server.engine.FrameSink;

/**
 * One Watch stream as a {@link FrameSink}: manual flow control through the call's {@code isReady()}
 * (the publisher sends only while gRPC's outbound buffer has room; when the client stops reading,
 * isReady turns false and the ring overrun is counted as this watcher's drops). When the stream
 * becomes ready again its onReady handler wakes the publisher's thread. Cancellation (client gone)
 * flips {@link #isCancelled}.
 *
 * <p>Each frame is encoded into this watcher's reused buffer ({@link EncodedFrame}, {@link
 * DecodedFrameEncoder}): no message, builder or coded stream per frame; what gRPC and Netty
 * allocate to frame and write each message remains (docs/benchmarks.md).
 *
 * <p>Threading: send/complete on the session's publisher thread only.
 */
final class WatcherSink implements FrameSink {
    private final ServerCallStreamObserver<EncodedFrame> call;
    private final int fields;
    private final int capacityBytes;
    private EncodedFrame encoded;
    private volatile boolean cancelled;

    WatcherSink(ServerCallStreamObserver<EncodedFrame> call, List<FrameField> fields, int outputs) {
        this.call = call;
        this.fields = mask(fields);
        this.capacityBytes = DecodedFrameEncoder.maxBytes(outputs);
        this.encoded = new EncodedFrame(capacityBytes);
        call.setOnCancelHandler(() -> cancelled = true);
    }

    /** The requested fields as {@link DecodedFrameEncoder} groups; none listed means all. */
    static int mask(List<FrameField> fields) {
        if (fields.isEmpty()) {
            return DecodedFrameEncoder.ALL;
        }
        int m = 0;
        for (FrameField f : fields) {
            m |=
                    switch (f) {
                        case FRAME_FIELD_OUTPUTS -> DecodedFrameEncoder.OUTPUTS;
                        case FRAME_FIELD_LABEL -> DecodedFrameEncoder.LABEL;
                        case FRAME_FIELD_TIMES -> DecodedFrameEncoder.TIMES;
                        case FRAME_FIELD_SPIKE_COUNT -> DecodedFrameEncoder.SPIKES;
                        default -> 0; // refused by the service before a sink exists
                    };
        }
        return m;
    }

    @Override
    public void onSubscribed(Runnable wakePublisher) {
        call.setOnReadyHandler(wakePublisher); // allowed: still inside the Watch call's handler
    }

    @Override
    public boolean isReady() {
        return !cancelled && call.isReady();
    }

    @Override
    public boolean isCancelled() {
        return cancelled || call.isCancelled();
    }

    @Override
    public void send(Frame f, long droppedSoFar) {
        EncodedFrame out = encoded;
        if (!out.released()) {
            // The transport kept the last message to read later (in-process): it keeps that
            // buffer, this frame gets a new one.
            out = new EncodedFrame(capacityBytes);
            encoded = out;
        }
        out.ready(DecodedFrameEncoder.encode(f, droppedSoFar, fields, out.buffer()));
        try {
            call.onNext(out);
        } catch (RuntimeException e) {
            // The call was cancelled between isReady() and onNext(): the watcher is gone.
            cancelled = true;
        }
    }

    @Override
    public void complete() {
        call.onCompleted();
    }
}
