package org.spikeloop.server.grpc;

import io.grpc.stub.ServerCallStreamObserver;
import java.util.List;
import org.spikeloop.proto.v1.TrialDecision;
import org.spikeloop.server.engine.Decision;
import org.spikeloop.server.engine.DecisionSink;

/**
 * One WatchDecisions stream as a {@link DecisionSink}: manual flow control through the call's
 * {@code isReady()} (the publisher reads a decision only while gRPC's outbound buffer has room; a
 * client that stops reading loses the decisions the engine laps, counted in {@code
 * decisions_dropped}). Cancellation (client gone) flips {@link #isCancelled}. A session that fails
 * ends the call with FAILED_PRECONDITION naming the session and the failure ({@link #fail}); one
 * that stops completes it.
 *
 * <p>Threading: send/complete on the session's publisher thread only.
 */
final class DecisionWatcherSink implements DecisionSink {
    private final WatchCall<TrialDecision> call;
    private final List<String> classNames;

    DecisionWatcherSink(ServerCallStreamObserver<TrialDecision> call, List<String> classNames) {
        this.call = new WatchCall<>(call);
        this.classNames = classNames;
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
    public void send(Decision d, long droppedSoFar) {
        TrialDecision.Builder b =
                TrialDecision.newBuilder()
                        .setTrial(d.trial)
                        .setDecision(d.decision)
                        .setDecisionName(classNames.get(d.decision))
                        .setCue(d.cue == null ? "" : d.cue)
                        .setCueClass(d.cueClass)
                        .setCueClassName(classNames.get(d.cueClass))
                        .setStartTime(d.startS)
                        .setEndTime(d.endS)
                        .setDecisionTime(d.decidedNs * 1e-9)
                        .setFrames(d.frames)
                        .setLearned(d.learned)
                        .setDecisionsDropped(droppedSoFar);
        for (float p : d.probabilities) {
            b.addProbabilities(p);
        }
        call.send(b.build());
    }

    @Override
    public void complete() {
        call.complete();
    }

    /** The session failed: the call ends with FAILED_PRECONDITION naming it and the failure. */
    @Override
    public void fail(String reason) {
        call.fail(reason);
    }
}
