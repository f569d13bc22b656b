package org.spikeloop.server.grpc;

import io.grpc.BindableService;
import io.grpc.ServerServiceDefinition;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import org.HdrHistogram.Histogram;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.LatencySummary;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionStatistics;
import org.spikeloop.proto.v1.TrialDecision;
import org.spikeloop.proto.v1.WatchDecisionsRequest;
import org.spikeloop.proto.v1.WatchRequest;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.engine.FramePublisher;
import org.spikeloop.server.recording.SessionRecording;
import org.spikeloop.server.security.AuthInterceptor;
import org.spikeloop.server.security.Role;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionManager;

/**
 * spikeloop.v1.DecodeService: subscribes frame watchers to a session's publisher ({@link
 * WatchMethod}: frames go out pre-encoded) and decision watchers to its decision publisher;
 * statistics.
 */
public final class DecodeGrpcService implements DecodeServiceGrpc.AsyncService, BindableService {
    /**
     * The most frames in one WatchBatched message: the publisher's frames per sink and pass, so a
     * pass fills at most one message (a 4096-output frame is ~33 KB, a message then ~2 MB).
     */
    static final int FRAMES_PER_BATCHED_MESSAGE = FramePublisher.MAX_FRAMES_PER_SINK_PER_CYCLE;

    private final SessionManager sessions;
    private final int maxWatchers;

    public DecodeGrpcService(SessionManager sessions, int maxWatchers) {
        this.sessions = sessions;
        this.maxWatchers = maxWatchers;
    }

    @Override
    public ServerServiceDefinition bindService() {
        return WatchMethod.replace(
                DecodeServiceGrpc.bindService(this),
                (request, response) -> watchEncoded(request, response, 1),
                (request, response) -> watchEncoded(request, response, FRAMES_PER_BATCHED_MESSAGE));
    }

    private void watchEncoded(
            WatchRequest request, StreamObserver<EncodedFrame> response, int framesPerMessage) {
        try {
            for (var f : request.getFieldsList()) {
                if (f == org.spikeloop.proto.v1.FrameField.UNRECOGNIZED
                        || f == org.spikeloop.proto.v1.FrameField.FRAME_FIELD_UNSPECIFIED) {
                    throw ServerException.invalid("fields: unknown or unspecified field");
                }
            }
            long batchIntervalMs = Integer.toUnsignedLong(request.getBatchIntervalMs());
            if (framesPerMessage == 1 && batchIntervalMs != 0) {
                throw ServerException.invalid(
                        "batch_interval_ms: WatchBatched only (Watch sends each frame in a message"
                                + " of its own), got "
                                + batchIntervalMs);
            }
            Session s = sessions.get(request.getSessionId());
            var call = (ServerCallStreamObserver<EncodedFrame>) response;
            s.addWatcher(
                    new WatcherSink(
                            call, request.getFieldsList(), s.spec().outputs(), framesPerMessage),
                    request.getMaxRateHz(),
                    batchIntervalMs,
                    maxWatchers,
                    AuthInterceptor.caller().role() == Role.OPERATOR);
        } catch (RuntimeException e) {
            response.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public void watchDecisions(
            WatchDecisionsRequest request, StreamObserver<TrialDecision> response) {
        try {
            Session s = sessions.get(request.getSessionId());
            var call = (ServerCallStreamObserver<TrialDecision>) response;
            s.addDecisionWatcher(new DecisionWatcherSink(call, s.classNames()), maxWatchers);
        } catch (RuntimeException e) {
            response.onError(Statuses.toStatus(e));
        }
    }

    @Override
    public void getStatistics(SessionId request, StreamObserver<SessionStatistics> response) {
        try {
            Session s = sessions.get(request.getSessionId());
            var st = s.statistics();
            SessionStatistics.Builder b = SessionStatistics.newBuilder();
            SessionRecording recording = s.recording();
            if (recording != null) {
                IOException failure = recording.failure();
                b.setRecordingFile(recording.file().getFileName().toString())
                        .setRecordingChunksDropped(recording.droppedChunks())
                        .setRecordingError(failure == null ? "" : failure.toString());
            }
            response.onNext(
                    b.setSessionId(s.id())
                            .setSteps(st.steps())
                            .setSamplesIn(st.samplesIn())
                            .setSamplesDropped(st.samplesDropped())
                            .setSamplesNonFinite(st.samplesNonFinite())
                            .setDeadlineMisses(st.deadlineMisses())
                            .setStalls(st.stalls())
                            .setLearningUpdates(st.learningUpdates())
                            .setGuardEvents(st.guardEvents())
                            .setWatcherFramesDropped(st.watcherFramesDropped())
                            .setStepLatency(summary(st.stepLatencyNs()))
                            .setEndToEndLatency(summary(st.endToEndLatencyNs()))
                            .setSpikeRateHz(st.spikeRateHz())
                            .setDecodeError(st.decodeError())
                            .setStepsPerSecond(st.stepsPerSecond())
                            .setSamplesTimestampsRepaired(st.samplesTimestampsRepaired())
                            .setLabelsTimestampsRepaired(st.labelsTimestampsRepaired())
                            .setSamplesSkipped(st.samplesSkipped())
                            .setLiveEdgeSkips(st.liveEdgeSkips())
                            .setSamplesSkippedAtStart(st.samplesSkippedAtStart())
                            .build());
            response.onCompleted();
        } catch (RuntimeException e) {
            response.onError(Statuses.toStatus(e));
        }
    }

    private static LatencySummary summary(Histogram h) {
        if (h.getTotalCount() == 0) {
            return LatencySummary.getDefaultInstance();
        }
        return LatencySummary.newBuilder()
                .setP50Us(h.getValueAtPercentile(50) / 1e3)
                .setP99Us(h.getValueAtPercentile(99) / 1e3)
                .setP999Us(h.getValueAtPercentile(99.9) / 1e3)
                .setMaxUs(h.getMaxValue() / 1e3)
                .setCount(h.getTotalCount())
                .build();
    }
}
