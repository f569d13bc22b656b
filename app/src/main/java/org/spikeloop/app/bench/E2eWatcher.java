package org.spikeloop.app.bench;

import io.grpc.ManagedChannel;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.proto.v1.FrameField;
import org.spikeloop.proto.v1.WatchRequest;

/**
 * The benchmark's watcher: one gRPC Watch or WatchBatched stream (frame times only) per session
 * over its own Netty channel to the server, each feeding a {@link FrameStats}. It runs inside the
 * benchmark's process or in a process of its own ({@link E2eWatchCommand}), like a clinician's
 * client on another machine.
 *
 * <p>Threading: frames are handled on the channel's event loop ({@code direct}) or gRPC's pool;
 * each lane's statistics are synchronised.
 */
final class E2eWatcher implements FrameWatch {
    private final ManagedChannel channel;
    private final List<FrameStats> lanes = new ArrayList<>();

    /**
     * @param direct handle frames on the Netty event loop (no hand-off) rather than gRPC's pool
     * @param seconds the measured window's length (for misses by second)
     * @param batched WatchBatched (several frames a message) rather than Watch (one)
     * @param batchIntervalMs WatchBatched's batch_interval_ms (0: a message per delivery pass)
     */
    E2eWatcher(
            int port,
            List<String> sessionIds,
            boolean direct,
            int seconds,
            boolean batched,
            int batchIntervalMs) {
        NettyChannelBuilder b = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext();
        if (direct) {
            b.directExecutor(); // onFrame only records into histograms
        }
        this.channel = b.build();
        for (String id : sessionIds) {
            FrameStats stats = new FrameStats(seconds);
            lanes.add(stats);
            WatchRequest request =
                    WatchRequest.newBuilder()
                            .setSessionId(id)
                            .addFields(FrameField.FRAME_FIELD_TIMES)
                            .setBatchIntervalMs(batchIntervalMs)
                            .build();
            if (batched) {
                DecodeServiceGrpc.newStub(channel)
                        .watchBatched(
                                request,
                                new Lane<>(
                                        batch -> {
                                            for (DecodedFrame f : batch.getFramesList()) {
                                                stats.onFrame(f);
                                            }
                                        }));
            } else {
                DecodeServiceGrpc.newStub(channel).watch(request, new Lane<>(stats::onFrame));
            }
        }
    }

    /** One stream's observer: each message to {@code onMessage}. */
    private static final class Lane<T> implements StreamObserver<T> {
        private final java.util.function.Consumer<T> onMessage;

        Lane(java.util.function.Consumer<T> onMessage) {
            this.onMessage = onMessage;
        }

        @Override
        public void onNext(T message) {
            onMessage.accept(message);
        }

        @Override
        public void onError(Throwable t) {
            // the session stopped or the server went away: the report says how many frames
            // arrived
        }

        @Override
        public void onCompleted() {}
    }

    @Override
    public List<FrameStats> lanes() {
        return lanes;
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(5, TimeUnit.SECONDS);
    }
}
