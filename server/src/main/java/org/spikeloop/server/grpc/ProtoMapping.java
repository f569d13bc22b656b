package org.spikeloop.server.grpc;

import java.util.ArrayList;
import java.util.List;
import org.spikeloop.proto.v1.Architecture;
import org.spikeloop.proto.v1.BandPassStage;
import org.spikeloop.proto.v1.BandPowerStage;
import org.spikeloop.proto.v1.DecoderSpec;
import org.spikeloop.proto.v1.FrequencyBand;
import org.spikeloop.proto.v1.FrontEndSpec;
import org.spikeloop.proto.v1.FrontEndStage;
import org.spikeloop.proto.v1.LabelKind;
import org.spikeloop.proto.v1.LearningSettings;
import org.spikeloop.proto.v1.LearningState;
import org.spikeloop.proto.v1.LslDecisionOutletState;
import org.spikeloop.proto.v1.LslLabelSpec;
import org.spikeloop.proto.v1.LslLabelState;
import org.spikeloop.proto.v1.LslOutletSpec;
import org.spikeloop.proto.v1.LslOutletState;
import org.spikeloop.proto.v1.NeuronModelKind;
import org.spikeloop.proto.v1.NormaliseStage;
import org.spikeloop.proto.v1.SessionSpec;
import org.spikeloop.proto.v1.SessionState;
import org.spikeloop.proto.v1.SourceKind;
import org.spikeloop.proto.v1.SourceSpec;
import org.spikeloop.proto.v1.SpikeBinningStage;
import org.spikeloop.proto.v1.TrialState;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.engine.LearningMode;
import org.spikeloop.server.engine.LearningStateView;
import org.spikeloop.server.engine.SessionStatus;
import org.spikeloop.server.io.LslDecisionOutletView;
import org.spikeloop.server.io.LslLabelConfig;
import org.spikeloop.server.io.LslLabelView;
import org.spikeloop.server.io.LslOutletConfig;
import org.spikeloop.server.io.LslOutletView;
import org.spikeloop.server.session.DecoderSource;
import org.spikeloop.server.session.Session;
import org.spikeloop.server.session.SessionConfig;
import org.spikeloop.server.session.TrialView;
import org.spikeloop.signal.Band;
import org.spikeloop.signal.StageSpec;
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
                            new DecoderSource.FromCheckpoint(
                                    s.getDecoder().getCheckpoint(),
                                    (int) s.getDecoder().getOutputs());
                    case REGISTRY_ID ->
                            new DecoderSource.FromRegistry(
                                    s.getDecoder().getRegistryId(),
                                    (int) s.getDecoder().getOutputs());
                    case SOURCE_NOT_SET ->
                            throw ServerException.invalid(
                                    "spec.decoder: give an architecture, a registry_id or a"
                                            + " checkpoint");
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
                s.hasLslLabels() ? toConfig(s.getLslLabels()) : null,
                toStages(s.getFrontEnd()),
                s.hasLslDecisions() ? toConfig(s.getLslDecisions()) : null);
    }

    /** Front-end stages; each stage's own checks fail as INVALID_ARGUMENT naming the stage. */
    static List<StageSpec> toStages(FrontEndSpec f) {
        List<StageSpec> stages = new ArrayList<>(f.getStagesCount());
        for (int i = 0; i < f.getStagesCount(); i++) {
            FrontEndStage st = f.getStages(i);
            String field = "spec.front_end.stages[" + i + "]";
            try {
                stages.add(
                        switch (st.getStageCase()) {
                            case SPIKE_BINNING ->
                                    new StageSpec.Binning(st.getSpikeBinning().getDtMs() / 1000.0);
                            case BAND_PASS ->
                                    new StageSpec.BandPass(
                                            toBand(st.getBandPass().getBand()),
                                            orderOrDefault(st.getBandPass().getOrder()));
                            case BAND_POWER -> {
                                BandPowerStage p = st.getBandPower();
                                List<Band> bands = new ArrayList<>();
                                for (FrequencyBand b : p.getBandsList()) {
                                    bands.add(toBand(b));
                                }
                                yield new StageSpec.Power(
                                        bands,
                                        orderOrDefault(p.getOrder()),
                                        p.getWindowS(),
                                        p.getOutputRateHz(),
                                        p.getLog());
                            }
                            case NORMALISE ->
                                    new StageSpec.Normalise(
                                            st.getNormalise().getTimeConstantS(),
                                            st.getNormalise().getVarianceFloor() == 0
                                                    ? DEFAULT_VARIANCE_FLOOR
                                                    : st.getNormalise().getVarianceFloor());
                            case STAGE_NOT_SET ->
                                    throw ServerException.invalid(
                                            field
                                                    + ": give spike_binning, band_pass, band_power"
                                                    + " or normalise");
                        });
            } catch (IllegalArgumentException e) {
                throw ServerException.invalid(field + ": " + e.getMessage());
            }
        }
        return stages;
    }

    /** Butterworth order when the request leaves it 0. */
    static final int DEFAULT_ORDER = 4;

    /** Normaliser variance floor when the request leaves it 0. */
    static final double DEFAULT_VARIANCE_FLOOR = 1e-6;

    private static int orderOrDefault(int order) {
        return order == 0 ? DEFAULT_ORDER : (int) Math.min(Integer.MAX_VALUE, order & 0xffffffffL);
    }

    private static Band toBand(FrequencyBand b) {
        return new Band(b.getLowHz(), b.getHighHz());
    }

    static FrontEndSpec toSpec(List<StageSpec> stages) {
        FrontEndSpec.Builder f = FrontEndSpec.newBuilder();
        for (StageSpec st : stages) {
            FrontEndStage.Builder b = FrontEndStage.newBuilder();
            if (st instanceof StageSpec.Binning bin) {
                b.setSpikeBinning(SpikeBinningStage.newBuilder().setDtMs(bin.dtS() * 1000.0));
            } else if (st instanceof StageSpec.BandPass bp) {
                b.setBandPass(
                        BandPassStage.newBuilder()
                                .setBand(toProto(bp.band()))
                                .setOrder(bp.order()));
            } else if (st instanceof StageSpec.Power p) {
                BandPowerStage.Builder pb =
                        BandPowerStage.newBuilder()
                                .setOrder(p.order())
                                .setWindowS(p.windowS())
                                .setOutputRateHz(p.outputRateHz())
                                .setLog(p.log());
                for (Band band : p.bands()) {
                    pb.addBands(toProto(band));
                }
                b.setBandPower(pb);
            } else if (st instanceof StageSpec.Normalise n) {
                b.setNormalise(
                        NormaliseStage.newBuilder()
                                .setTimeConstantS(n.timeConstantS())
                                .setVarianceFloor(n.varianceFloor()));
            }
            f.addStages(b);
        }
        return f.build();
    }

    private static FrequencyBand toProto(Band b) {
        return FrequencyBand.newBuilder().setLowHz(b.lowHz()).setHighHz(b.highHz()).build();
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
                l.getEndCuesList(),
                l.getClassNamesList(),
                l.getStartOffsetS(),
                l.getIgnoredMarkersList());
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
                .addAllClassNames(l.classNames())
                .setStartOffsetS(l.startOffsetS())
                .addAllIgnoredMarkers(l.ignoredMarkers())
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
            d.setCheckpoint(f.name()).setOutputs(f.outputs());
        } else if (c.decoder() instanceof DecoderSource.FromRegistry r) {
            d.setRegistryId(r.id()).setOutputs(r.outputs());
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
        if (!c.frontEnd().isEmpty()) {
            b.setFrontEnd(toSpec(c.frontEnd()));
        }
        if (c.lslDecisions() != null) {
            b.setLslDecisions(toSpec(c.lslDecisions()));
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
        TrialView t = s.trialView();
        if (t != null) {
            b.setTrials(
                    TrialState.newBuilder()
                            .setWindows(t.windows())
                            .setDecisions(t.decisions())
                            .setInTrial(t.inTrial())
                            .setCalibrationTrials(t.calibrationTrials())
                            .setCalibration(t.calibration()));
        }
        LslDecisionOutletView d = s.lslDecisionsView();
        if (d != null) {
            b.setLslDecisions(
                    LslDecisionOutletState.newBuilder()
                            .setDecisionsPushed(d.decisionsPushed())
                            .setDecisionsDropped(d.decisionsDropped())
                            .setHasConsumers(d.hasConsumers()));
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
                .setCalibration(v.calibration())
                .build();
    }
}
