package org.spikeloop.server.grpc;

import org.spikeloop.proto.v1.Architecture;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.LabelKind;
import org.spikeloop.proto.v1.LearningSettings;
import org.spikeloop.proto.v1.LearningState;
import org.spikeloop.proto.v1.LslLabelSpec;
import org.spikeloop.proto.v1.LslLabelState;
import org.spikeloop.proto.v1.LslOutletSpec;
import org.spikeloop.proto.v1.LslOutletState;
import org.spikeloop.proto.v1.NeuronModelKind;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SessionState;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.proto.v1.SourceSpec;
import org.spikeloop.server.engine.LearningMode;
import org.spikeloop.server.engine.LearningStateView;
import org.spikeloop.server.engine.SessionStatus;
import org.spikeloop.server.session.DecoderSource;
import org.spikeloop.server.session.LslLabelConfig;
import org.spikeloop.server.session.LslLabelView;
import org.spikeloop.server.session.LslOutletConfig;
import org.spikeloop.server.session.LslOutletView;
import org.spikeloop.server.session.ServerException;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionConfig;
import org.spikeloop.snn.spec.NeuronModel;

/** Translation between spikeloop.v1 messages and the server's domain types (no logic beyond it). */
final class ProtoMapping {
    private ProtoMapping() {}

    static SessionConfig toConfig(SessionSpec s) {
        DecoderSource decoder =
                switch (s.getDecoder().getSourceCase()) {
                    case ARCHITECTURE -> {
                        Architecture a = s.getDecoder().getArchitecture();
                        NeuronModel model =
                                a.getNeuron() == NeuronModelKind.NEURON_MODEL_LIF
                                        ? NeuronModel.LIF
                                        : NeuronModel.ALIF;
                        yield new DecoderSource.Architecture(
                                a.getHidden(), a.getOutputs(), model, a.getSeed());
                    }
                    case CHECKPOINT ->
                            new DecoderSource.FromCheckpoint(s.getDecoder().getCheckpoint());
                    case SOURCE_NOT_SET ->
                            throw ServerException.invalid(
                                    "spec.decoder: give an architecture or a checkpoint");
                };
        if (s.getSource().getKind() == SourceKind.UNRECOGNIZED) {
            throw ServerException.invalid("spec.source.kind: unknown value");
        }
        SessionConfig.SourceKind source =
                s.getSource().getKind() == SourceKind.SOURCE_LSL
                        ? SessionConfig.SourceKind.LSL
                        : SessionConfig.SourceKind.GRPC;
        return new SessionConfig(
                s.getName(),
                (int) Math.min(Integer.MAX_VALUE, Integer.toUnsignedLong(s.getChannelCount())),
                s.getSampleRateHz(),
                decoder,
                s.getLearning().getEnabled(),
                s.getLearning().getLearningRate(),
                s.getLearning().getUpdateIntervalSteps(),
                source,
                s.getSource().getLslStreamName(),
                s.getStallAfterS(),
                s.hasLslOutlet() ? toConfig(s.getLslOutlet()) : null,
                s.hasLslLabels() ? toConfig(s.getLslLabels()) : null);
    }

    static LslOutletConfig toConfig(LslOutletSpec o) {
        return new LslOutletConfig(o.getName(), o.getType(), o.getSourceId());
    }

    static LslLabelConfig toConfig(LslLabelSpec l) {
        LslLabelConfig.Kind kind =
                switch (l.getKind()) {
                    case LABEL_KIND_CONTINUOUS -> LslLabelConfig.Kind.CONTINUOUS;
                    case LABEL_KIND_MARKERS -> LslLabelConfig.Kind.MARKERS;
                    default -> LslLabelConfig.Kind.UNSPECIFIED;
                };
        return new LslLabelConfig(
                l.getName(),
                l.getType(),
                kind,
                l.getSampleRateHz(),
                l.getCueClassesMap(),
                l.getTrialS(),
                l.getEndCuesList());
    }

    static LslOutletSpec toSpec(LslOutletConfig o) {
        return LslOutletSpec.newBuilder()
                .setName(nullToEmpty(o.name()))
                .setType(nullToEmpty(o.type()))
                .setSourceId(nullToEmpty(o.sourceId()))
                .build();
    }

    static LslLabelSpec toSpec(LslLabelConfig l) {
        return LslLabelSpec.newBuilder()
                .setName(nullToEmpty(l.name()))
                .setType(nullToEmpty(l.type()))
                .setKind(
                        switch (l.kind()) {
                            case CONTINUOUS -> LabelKind.LABEL_KIND_CONTINUOUS;
                            case MARKERS -> LabelKind.LABEL_KIND_MARKERS;
                            case UNSPECIFIED -> LabelKind.LABEL_KIND_UNSPECIFIED;
                        })
                .setSampleRateHz(l.sampleRateHz())
                .putAllCueClasses(l.cueClasses())
                .setTrialS(l.trialS())
                .addAllEndCues(l.endCues())
                .build();
    }

    private static String nullToEmpty(String s) {
        return s == null ? "" : s;
    }

    static SessionSpec toSpec(SessionConfig c) {
        DecoderSpec.Builder d = DecoderSpec.newBuilder();
        if (c.decoder() instanceof DecoderSource.Architecture a) {
            d.setArchitecture(
                    Architecture.newBuilder()
                            .setHidden(a.hidden())
                            .setOutputs(a.outputs())
                            .setNeuron(
                                    a.neuron() == NeuronModel.LIF
                                            ? NeuronModelKind.NEURON_MODEL_LIF
                                            : NeuronModelKind.NEURON_MODEL_ALIF)
                            .setSeed(a.seed()));
        } else if (c.decoder() instanceof DecoderSource.FromCheckpoint f) {
            d.setCheckpoint(f.name());
        }
        SessionSpec.Builder b =
                SessionSpec.newBuilder()
                        .setName(c.name())
                        .setChannelCount(c.channels())
                        .setSampleRateHz(c.sampleRateHz())
                        .setDecoder(d)
                        .setLearning(
                                LearningSettings.newBuilder()
                                        .setEnabled(c.learningEnabled())
                                        .setLearningRate(c.learningRate())
                                        .setUpdateIntervalSteps(c.updateIntervalSteps()))
                        .setSource(
                                SourceSpec.newBuilder()
                                        .setKind(
                                                c.source() == SessionConfig.SourceKind.LSL
                                                        ? SourceKind.SOURCE_LSL
                                                        : SourceKind.SOURCE_GRPC)
                                        .setLslStreamName(
                                                c.lslStreamName() == null ? "" : c.lslStreamName()))
                        .setStallAfterS(c.stallAfterS());
        if (c.lslOutlet() != null) {
            b.setLslOutlet(toSpec(c.lslOutlet()));
        }
        if (c.lslLabels() != null) {
            b.setLslLabels(toSpec(c.lslLabels()));
        }
        return b.build();
    }

    static org.spikeloop.proto.v1.Session toProto(Session s) {
        org.spikeloop.proto.v1.Session.Builder b =
                org.spikeloop.proto.v1.Session.newBuilder()
                        .setId(s.id())
                        .setSpec(toSpec(s.config()))
                        .setState(toState(s.status()))
                        .setReason(s.statusReason())
                        .setCreatedUnixMs(s.createdUnixMs())
                        .setSteps(s.steps())
                        .setWatchers(s.watchers());
        LslOutletView o = s.lslOutletView();
        if (o != null) {
            b.setLslOutlet(
                    LslOutletState.newBuilder()
                            .setFramesPushed(o.framesPushed())
                            .setFramesDropped(o.framesDropped())
                            .setHasConsumers(o.hasConsumers()));
        }
        LslLabelView l = s.lslLabelView();
        if (l != null) {
            b.setLslLabels(
                    LslLabelState.newBuilder()
                            .setStalled(l.stalled())
                            .setLabelsIn(l.labelsIn())
                            .setDroppedRingFull(l.droppedRingFull())
                            .setRejectedNonFinite(l.rejectedNonFinite())
                            .setRejectedOutOfOrder(l.rejectedOutOfOrder())
                            .setUnknownCues(l.unknownCues())
                            .setStalls(l.stalls())
                            .setLastUnknownCue(l.lastUnknownCue())
                            .setInTrial(l.inTrial()));
        }
        return b.build();
    }

    static SessionState toState(SessionStatus s) {
        return switch (s) {
            case RUNNING -> SessionState.SESSION_STATE_RUNNING;
            case STALLED -> SessionState.SESSION_STATE_STALLED;
            case LEARNING -> SessionState.SESSION_STATE_LEARNING;
            case PAUSED -> SessionState.SESSION_STATE_PAUSED;
            case ERROR -> SessionState.SESSION_STATE_ERROR;
            case STOPPED -> SessionState.SESSION_STATE_STOPPED;
        };
    }

    static LearningMode toMode(org.spikeloop.proto.v1.LearningMode m) {
        return switch (m) {
            case LEARNING_MODE_ENABLED -> LearningMode.ENABLED;
            case LEARNING_MODE_PAUSED -> LearningMode.PAUSED;
            case LEARNING_MODE_FROZEN -> LearningMode.FROZEN;
            default ->
                    throw ServerException.invalid(
                            "mode: must be ENABLED, PAUSED or FROZEN, got " + m);
        };
    }

    static org.spikeloop.proto.v1.LearningMode toProto(LearningMode m) {
        return switch (m) {
            case ENABLED -> org.spikeloop.proto.v1.LearningMode.LEARNING_MODE_ENABLED;
            case PAUSED -> org.spikeloop.proto.v1.LearningMode.LEARNING_MODE_PAUSED;
            case FROZEN -> org.spikeloop.proto.v1.LearningMode.LEARNING_MODE_FROZEN;
        };
    }

    static LearningState toProto(String sessionId, LearningStateView v) {
        return LearningState.newBuilder()
                .setSessionId(sessionId)
                .setMode(toProto(v.mode()))
                .setLearningRate(v.learningRate())
                .setUpdateIntervalSteps(v.updateIntervalSteps())
                .setUpdateCount(v.updateCount())
                .setWeightNorm(v.weightNorm())
                .setRecentError(v.recentError())
                .setLastGuardEvent(v.lastGuardEvent())
                .setActiveCheckpoint(v.activeCheckpoint())
                .setRollbackDepth(v.rollbackDepth())
                .setLearner(v.learner())
                .build();
    }
}
