package org.spikeloop.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import org.spikeloop.proto.v1.FrameField;
import org.spikeloop.server.engine.Frame;
import org.spikeloop.server.engine.FrameSink;

/**
 * One Watch or WatchBatched stream as a {@link FrameSink}: manual flow control through the call's
 * {@code isReady()} (the publisher sends only while gRPC's outbound buffer has room; when the
 * client stops reading, isReady turns false and the ring overrun is counted as this watcher's
 * drops). When the stream becomes ready again its onReady handler wakes the publisher's thread.
 * Cancellation (client gone) flips {@link #isCancelled}. A session that fails ends the call with
 * FAILED_PRECONDITION naming the session and the failure ({@link #fail}); one that stops completes
 * it.
 *
 * <p>Each frame is encoded into this watcher's reused buffer ({@link EncodedFrame}, {@link
 * DecodedFrameEncoder}): no message, builder or coded stream per frame; what gRPC and Netty
 * allocate to frame and write each message remains (docs/benchmarks.md). That cost is per message,
 * so a batched watcher ({@code maxFramesPerMessage} &gt; 1, WatchBatched) appends its frames to one
 * DecodedFrames message (each frame as its {@code frames} element) and sends it when the publisher
 * says it is due ({@link #flush}: at the end of the delivery pass, or with {@code
 * batch_interval_ms} once the interval has passed) or when it holds {@code maxFramesPerMessage}.
 *
 * <p>Threading: send/complete on the session's publisher thread only.
 */
final class WatcherSink implements FrameSink {
    /** DecodedFrames.frames. */
    private static final int FRAMES_FIELD = 1;

    private final WatchCall<EncodedFrame> call;
    private final int fields;
    private final int maxFramesPerMessage;
    private final int capacityBytes;

    /** A batched watcher's frame before it is appended; null for one frame per message. */
    private final byte[] frameBytes;

    private EncodedFrame encoded;
    private int batchedFrames;
    private int batchedBytes;

    /** One frame per message (Watch). */
    WatcherSink(ServerCallStreamObserver<EncodedFrame> call, List<FrameField> fields, int outputs) {
        this(call, fields, outputs, 1);
    }

    /**
     * @param maxFramesPerMessage 1: each message is a DecodedFrame (Watch); more: a DecodedFrames
     *     of up to this many frames (WatchBatched)
     */
    WatcherSink(
            ServerCallStreamObserver<EncodedFrame> call,
            List<FrameField> fields,
            int outputs,
            int maxFramesPerMessage) {
        if (maxFramesPerMessage < 1) {
            throw new IllegalArgumentException(
                    "maxFramesPerMessage must be >= 1, got " + maxFramesPerMessage);
        }
        this.call = new WatchCall<>(call);
        this.fields = mask(fields);
        this.maxFramesPerMessage = maxFramesPerMessage;
        int frame = DecodedFrameEncoder.maxBytes(outputs);
        this.frameBytes = maxFramesPerMessage == 1 ? null : new byte[frame];
        this.capacityBytes =
                maxFramesPerMessage == 1
                        ? frame
                        : maxFramesPerMessage * (frame + DecodedFrameEncoder.FIELD_OVERHEAD_BYTES);
        this.encoded = new EncodedFrame(capacityBytes);
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
        call.onReady(wakePublisher); // allowed: still inside the Watch call's handler
    }

    @Override
    public boolean isReady() {
        return call.isReady();
    }

    @Override
    public boolean isCancelled() {
        return call.isCancelled();
    }

    @Override
    public void send(Frame f, long droppedSoFar) {
        if (batchedFrames == 0) {
            freeBuffer();
        }
        EncodedFrame out = encoded;
        if (frameBytes == null) {
            out.ready(DecodedFrameEncoder.encode(f, droppedSoFar, fields, out.buffer()));
            call.send(out);
            return;
        }
        int len = DecodedFrameEncoder.encode(f, droppedSoFar, fields, frameBytes);
        batchedBytes =
                DecodedFrameEncoder.lengthDelimited(
                        FRAMES_FIELD, frameBytes, len, out.buffer(), batchedBytes);
        if (++batchedFrames == maxFramesPerMessage) {
            flush();
        }
    }

    /** Sends the frames appended since the last message (a batched watcher's message is due). */
    @Override
    public void flush() {
        if (batchedFrames == 0) {
            return;
        }
        EncodedFrame out = encoded.ready(batchedBytes);
        batchedFrames = 0;
        batchedBytes = 0;
        call.send(out);
    }

    /** The message buffer, free to write: a new one if the transport still holds the last. */
    private void freeBuffer() {
        if (!encoded.released()) {
            // The transport kept the last message to read later (in-process): it keeps that
            // buffer, this message gets a new one.
            encoded = new EncodedFrame(capacityBytes);
        }
    }

    @Override
    public void complete() {
        flush();
        call.complete();
    }

    /** The session failed: the frames of this pass go out, then the call ends with the failure. */
    @Override
    public void fail(String reason) {
        flush();
        call.fail(reason);
    }
}
