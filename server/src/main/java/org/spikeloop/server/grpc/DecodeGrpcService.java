package org.spikeloop.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import org.HdrHistogram.Histogram;
import org.spikeloop.proto.v1.DecodeServiceGrpc;
import org.spikeloop.proto.v1.DecodedFrame;
import org.spikeloop.proto.v1.LatencySummary;
import org.spikeloop.proto.v1.SessionId;
import org.spikeloop.proto.v1.SessionStatistics;
import org.spikeloop.proto.v1.TrialDecision;
import org.spikeloop.proto.v1.WatchDecisionsRequest;
import org.spikeloop.proto.v1.WatchRequest;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionManager;

/**
 * spikeloop.v1.DecodeService: subscribes frame watchers to a session's publisher and decision
 * watchers to its decision publisher; statistics.
 */
public final class DecodeGrpcService extends DecodeServiceGrpc.DecodeServiceImplBase {
    private final SessionManager sessions;
    private final int maxWatchers;

    public DecodeGrpcService(SessionManager sessions, int maxWatchers) {
        this.sessions = sessions;
        this.maxWatchers = maxWatchers;
    }

    @Override
    public void watch(WatchRequest request, StreamObserver<DecodedFrame> response) {
        try {
            for (var f : request.getFieldsList()) {
                if (f == org.spikeloop.proto.v1.FrameField.UNRECOGNIZED
                        || f == org.spikeloop.proto.v1.FrameField.FRAME_FIELD_UNSPECIFIED) {
                    throw ServerException.invalid("fields: unknown or unspecified field");
                }
            }
            Session s = sessions.get(request.getSessionId());
            var call = (ServerCallStreamObserver<DecodedFrame>) response;
            s.addWatcher(
                    new WatcherSink(call, request.getFieldsList()),
                    request.getMaxRateHz(),
                    maxWatchers);
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
            response.onNext(
                    SessionStatistics.newBuilder()
                            .setSessionId(s.id())
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
