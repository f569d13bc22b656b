package org.spikeloop.server.io;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.InletConfig;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.PostProcessing;
import org.spikeloop.adapters.lsl.Resolver;
import org.spikeloop.adapters.lsl.StreamInfo;
import org.spikeloop.adapters.lsl.StreamRequirements;
import org.spikeloop.learn.trials.InvalidTrialProtocolException;
import org.spikeloop.learn.trials.TrialProtocol;
import org.spikeloop.server.ServerException;

/**
 * Checks and opens a session's LSL endpoints at creation: its sample inlet, its label inlet (both
 * through one connecting path, {@link #connect}) and its outlet. Control plane; may block up to
 * {@link #CONNECT_TIMEOUT_S} while resolving. Every refusal is a {@link ServerException} naming the
 * spec field: INVALID_ARGUMENT for a bad spec or a stream of the wrong shape, NOT_FOUND for a
 * stream that is not on the network, FAILED_PRECONDITION when liblsl is not available, UNAVAILABLE
 * when a found stream cannot be connected. Streams are found by matching their header in Java
 * ({@link Resolver#matching}): a client's stream name is never pasted into liblsl's {@code
 * prop='value'} or XPath queries, where a quote would change the query.
 */
public final class LslEndpoints {
    /** Seconds to wait for an LSL stream to be found and connected at session creation. */
    public static final double CONNECT_TIMEOUT_S = 5.0;

    private LslEndpoints() {}

    /**
     * Creates the outlet of the decoded outputs.
     *
     * @param outputs decoder outputs (channels)
     * @param stepRateHz the decoder's step rate (nominal rate)
     */
    public static Outlet openOutlet(
            String sessionId, LslOutletConfig c, int outputs, double stepRateHz) {
        if (c.name() == null || c.name().isBlank()) {
            throw ServerException.invalid("spec.lsl_outlet.name: required for an LSL outlet");
        }
        return createOutlet(
                "spec.lsl_outlet",
                StreamInfo.builder(c.name(), c.typeOrDefault(), outputs, ChannelFormat.FLOAT32)
                        .nominalSrateHz(stepRateHz)
                        .sourceId(c.sourceIdFor(sessionId))
                        .build());
    }

    /** Default stream type of a decision outlet. */
    public static final String DECISIONS_TYPE = "Markers";

    /**
     * Creates the outlet of the per-trial decisions: one string channel, irregular rate (a marker
     * stream), type {@value #DECISIONS_TYPE} and source id {@code <session id>.decisions} unless
     * the spec says otherwise.
     */
    public static Outlet openDecisionOutlet(String sessionId, LslOutletConfig c) {
        if (c.name() == null || c.name().isBlank()) {
            throw ServerException.invalid(
                    "spec.lsl_decisions.name: required for an LSL decision outlet");
        }
        return createOutlet(
                "spec.lsl_decisions",
                StreamInfo.builder(c.name(), c.typeOr(DECISIONS_TYPE), 1, ChannelFormat.STRING)
                        .nominalSrateHz(0)
                        .sourceId(c.sourceIdOr(sessionId + ".decisions"))
                        .build());
    }

    /**
     * A new outlet for {@code info}; liblsl's refusal (or a missing liblsl) is FAILED_PRECONDITION
     * naming the spec field that asked for it.
     */
    private static Outlet createOutlet(String field, StreamInfo info) {
        try {
            return new Outlet(info);
        } catch (RuntimeException | LinkageError e) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    field + ": cannot create the LSL outlet: " + e.getMessage(),
                    e);
        }
    }

    /** Checks a label spec against the decoder, before anything is resolved. */
    public static void checkLabelSpec(LslLabelConfig c, int outputs) {
        if (c.name() == null || c.name().isBlank()) {
            throw ServerException.invalid("spec.lsl_labels.name: required for LSL labels");
        }
        switch (c.kind()) {
            case CONTINUOUS -> {
                if (!Double.isFinite(c.sampleRateHz()) || c.sampleRateHz() < 0) {
                    throw ServerException.invalid(
                            "spec.lsl_labels.sample_rate_hz: must be >= 0 (0 = any regular rate),"
                                    + " got "
                                    + c.sampleRateHz());
                }
                if (!c.cueClasses().isEmpty()
                        || !c.endCues().isEmpty()
                        || c.trialS() != 0
                        || !c.classNames().isEmpty()
                        || c.startOffsetS() != 0
                        || !c.ignoredMarkers().isEmpty()) {
                    throw ServerException.invalid(
                            "spec.lsl_labels: cue_classes, trial_s, end_cues, class_names,"
                                    + " start_offset_s and ignored_markers are for"
                                    + " LABEL_KIND_MARKERS, not continuous labels");
                }
            }
            case MARKERS -> {
                markerProtocol(c, outputs);
                if (c.sampleRateHz() != 0) {
                    throw ServerException.invalid(
                            "spec.lsl_labels.sample_rate_hz: marker streams are irregular; leave"
                                    + " it 0");
                }
            }
            default ->
                    throw ServerException.invalid(
                            "spec.lsl_labels.kind: say LABEL_KIND_CONTINUOUS or LABEL_KIND_MARKERS");
        }
    }

    /**
     * The trial protocol of a marker label spec: one class per decoder output, named by {@code
     * class_names} or, when that is empty, by its cues (in text order, joined by "/").
     *
     * @throws ServerException INVALID_ARGUMENT naming the {@code spec.lsl_labels} field
     */
    public static TrialProtocol markerProtocol(LslLabelConfig c, int outputs) {
        List<String> names = c.classNames();
        if (names.isEmpty()) {
            names = classNamesFromCues(c.cueClasses(), outputs);
        } else if (names.size() != outputs) {
            throw ServerException.invalid(
                    "spec.lsl_labels.class_names: "
                            + names.size()
                            + " class names but the decoder has "
                            + outputs
                            + " outputs (one per class)");
        }
        try {
            return new TrialProtocol(
                    c.cueClasses(),
                    names,
                    c.trialS(),
                    c.startOffsetS(),
                    c.endCues(),
                    c.ignoredMarkers());
        } catch (InvalidTrialProtocolException e) {
            throw ServerException.invalid("spec.lsl_labels." + e.field() + ": " + e.problem());
        }
    }

    /**
     * Class k named by its cues in text order, joined by "/" (its index when it has none; a blank
     * cue names nothing and is refused by the protocol's own check).
     */
    private static List<String> classNamesFromCues(Map<String, Integer> cues, int outputs) {
        List<String> names = new ArrayList<>(outputs);
        for (int k = 0; k < outputs; k++) {
            List<String> own = new ArrayList<>();
            for (Map.Entry<String, Integer> e : cues.entrySet()) {
                if (e.getValue() != null && e.getValue() == k && !e.getKey().isBlank()) {
                    own.add(e.getKey());
                }
            }
            Collections.sort(own);
            names.add(own.isEmpty() ? Integer.toString(k) : String.join("/", own));
        }
        return names;
    }

    /**
     * Resolves the session's sample stream by name, checks its channel count, format and rate, and
     * connects an inlet with clock sync (time stamps mapped to this host's clock).
     */
    public static Inlet openSampleInlet(
            String name, int channels, double sampleRateHz, double timeoutS) {
        if (name == null || name.isBlank()) {
            throw ServerException.invalid("spec.source.lsl_stream_name: required for SOURCE_LSL");
        }
        return connect(
                "spec.source",
                "spec.source.lsl_stream_name",
                "named '" + name + "'",
                name,
                unreadable -> Resolver.named(name, 1, timeoutS, unreadable),
                info -> {
                    try {
                        new StreamRequirements(channels, true, sampleRateHz).check(info);
                    } catch (IllegalArgumentException e) {
                        throw ServerException.invalid("spec.source: " + e.getMessage());
                    }
                },
                timeoutS);
    }

    /**
     * Resolves the label stream by name (and type), checks its shape against the spec and connects
     * an inlet with clock sync (stamps on this host's clock, like the sample source).
     */
    public static Inlet openLabelInlet(LslLabelConfig c, int outputs, double timeoutS) {
        boolean anyType = c.type() == null || c.type().isBlank();
        return connect(
                "spec.lsl_labels",
                "spec.lsl_labels.name",
                "named '" + c.name() + "'" + (anyType ? "" : " of type '" + c.type() + "'"),
                c.name(),
                unreadable ->
                        Resolver.matching(
                                s ->
                                        s.name().equals(c.name())
                                                && (anyType || s.type().equals(c.type())),
                                1,
                                timeoutS,
                                unreadable),
                info -> checkShape(c, info, outputs),
                timeoutS);
    }

    /**
     * The one path from a spec to a connected inlet: resolve the stream, check what was found, open
     * an inlet with clock sync and obtain its first clock offset.
     *
     * @param field the spec field errors name ({@code spec.source}, {@code spec.lsl_labels})
     * @param nameField the field naming the stream, for NOT_FOUND
     * @param wanted how the stream was asked for, for NOT_FOUND ({@code named 'x'}, a predicate)
     * @param name the stream's name, for UNAVAILABLE
     * @param resolve finds the stream (at most one answer is used), handing each refusal of a
     *     header it cannot read to its argument
     * @param check refuses a stream of the wrong shape with a {@link ServerException}
     */
    private static Inlet connect(
            String field,
            String nameField,
            String wanted,
            String name,
            Function<Consumer<IllegalArgumentException>, List<StreamInfo>> resolve,
            Consumer<StreamInfo> check,
            double timeoutS) {
        List<StreamInfo> found;
        // Streams on the network whose headers cannot be read are skipped; named in NOT_FOUND,
        // since the one asked for may be among them.
        Set<String> unreadable = new LinkedHashSet<>();
        try {
            found = resolve.apply(refused -> unreadable.add(refused.getMessage()));
        } catch (RuntimeException | LinkageError e) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    field + ": LSL is unavailable: " + e.getMessage(),
                    e);
        }
        if (found.isEmpty()) {
            String skipped =
                    unreadable.isEmpty()
                            ? ""
                            : "; "
                                    + unreadable.size()
                                    + " LSL stream(s) on the network have headers Spikeloop cannot"
                                    + " read and were skipped: "
                                    + String.join("; ", unreadable.stream().limit(3).toList());
            throw ServerException.notFound(
                    nameField
                            + ": no LSL stream "
                            + wanted
                            + " found within "
                            + timeoutS
                            + " s"
                            + skipped);
        }
        StreamInfo info = found.get(0);
        check.accept(info);
        Inlet inlet =
                new Inlet(
                        info, InletConfig.defaults().withPostprocessing(PostProcessing.CLOCK_SYNC));
        try {
            inlet.open(timeoutS);
        } catch (RuntimeException e) {
            inlet.close();
            throw new ServerException(
                    ServerException.Kind.UNAVAILABLE,
                    field + ": cannot open LSL stream '" + name + "': " + e.getMessage(),
                    e);
        }
        primeClockSync(inlet, timeoutS);
        return inlet;
    }

    /**
     * Obtains the inlet's first clock-offset estimate now, on the control plane. liblsl's
     * clock-sync post-processing waits for that first estimate inside the first pull that returns
     * data, which would hold up every source sharing the pool thread (measured: ~0.6 s on a busy
     * machine); later estimates are refreshed in liblsl's background. A timeout here is not fatal:
     * the pull then waits as before.
     */
    private static void primeClockSync(Inlet inlet, double timeoutS) {
        try {
            inlet.timeCorrectionS(timeoutS);
        } catch (RuntimeException e) {
            // no estimate in time: the first pull will wait for it
        }
    }

    /** The stream's channel count, format and rate against the spec. */
    static void checkShape(LslLabelConfig c, StreamInfo info, int outputs) {
        String stream = "spec.lsl_labels: stream '" + info.name() + "'";
        if (c.kind() == LslLabelConfig.Kind.MARKERS) { // strings or numbers (event codes)
            if (info.channelCount() != 1) {
                throw ServerException.invalid(
                        stream
                                + ": channel_count is "
                                + info.channelCount()
                                + " but a marker stream has 1 channel");
            }
            if (info.nominalSrateHz() != 0) {
                throw ServerException.invalid(
                        stream
                                + ": nominal_srate is "
                                + info.nominalSrateHz()
                                + " Hz but a marker stream is irregular (0)");
            }
            return;
        }
        if (!info.format().isNumeric()) {
            throw ServerException.invalid(
                    stream + ": channel_format is string but continuous labels must be numeric");
        }
        if (info.channelCount() != outputs) {
            throw ServerException.invalid(
                    stream
                            + ": channel_count is "
                            + info.channelCount()
                            + " but the decoder has "
                            + outputs
                            + " outputs (one label channel per output)");
        }
        if (!(info.nominalSrateHz() > 0)) {
            throw ServerException.invalid(
                    stream
                            + ": nominal_srate is "
                            + info.nominalSrateHz()
                            + " Hz but continuous labels need a regular rate");
        }
        if (c.sampleRateHz() != 0 && info.nominalSrateHz() != c.sampleRateHz()) {
            throw ServerException.invalid(
                    stream
                            + ": nominal_srate is "
                            + info.nominalSrateHz()
                            + " Hz but spec.lsl_labels.sample_rate_hz is "
                            + c.sampleRateHz());
        }
    }
}
