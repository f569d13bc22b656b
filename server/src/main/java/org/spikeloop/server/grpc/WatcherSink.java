package org.spikeloop.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.proto.v1.FrameField;
import org.spikeloop.server.engine.Frame;
import org.spikeloop.server.engine.FrameSink;

/**
 * One Watch stream as a {@link FrameSink}: manual flow control through the call's {@code isReady()}
 * (the publisher sends only while gRPC's outbound buffer has room; when the client stops reading,
 * isReady turns false and the ring overrun is counted as this watcher's drops). The onReady handler
 * is not needed to resume: the publisher re-checks {@code isReady()} every cycle. Cancellation
 * (client gone) flips {@link #isCancelled}.
 *
 * <p>Threading: send/complete on the session's publisher thread only.
 */
final class WatcherSink implements FrameSink {
    private final ServerCallStreamObserver<DecodedFrame> call;
    private final boolean outputs;
    private final boolean label;
    private final boolean times;
    private final boolean spikes;
    private volatile boolean cancelled;

    WatcherSink(ServerCallStreamObserver<DecodedFrame> call, List<FrameField> fields) {
        this.call = call;
        boolean all = fields.isEmpty();
        this.outputs = all || fields.contains(FrameField.FRAME_FIELD_OUTPUTS);
        this.label = all || fields.contains(FrameField.FRAME_FIELD_LABEL);
        this.times = all || fields.contains(FrameField.FRAME_FIELD_TIMES);
        this.spikes = all || fields.contains(FrameField.FRAME_FIELD_SPIKE_COUNT);
        call.setOnCancelHandler(() -> cancelled = true);
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
        DecodedFrame.Builder b =
                DecodedFrame.newBuilder().setStep(f.step).setFramesDropped(droppedSoFar);
        if (outputs) {
            for (float v : f.outputs) {
                b.addOutputs(v);
            }
        }
        if (label && f.hasLabel) {
            b.setHasLabel(true);
            for (float v : f.label) {
                b.addLabel(v);
            }
        }
        if (times) {
            b.setSourceTimestamp(f.sourceTimestampS)
                    .setArrivalTime(f.arrivalNs * 1e-9)
                    .setDecodeTime(f.decodeNs * 1e-9)
                    .setDeadlineMissed(f.deadlineMissed);
        }
        if (spikes) {
            b.setSpikeCount(f.spikeCount);
        }
        try {
            call.onNext(b.build());
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
