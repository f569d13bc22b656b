package org.spikeloop.server.session;

import java.util.List;
import java.util.Map;
import org.spikeloop.adapters.lsl.ChannelFormat;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.adapters.lsl.InletConfig;
import org.spikeloop.adapters.lsl.Outlet;
import org.spikeloop.adapters.lsl.PostProcessing;
import org.spikeloop.adapters.lsl.Resolver;
import org.spikeloop.adapters.lsl.StreamInfo;

/**
 * Checks and opens a session's LSL outlet and LSL label inlet at creation (control plane; may block
 * up to {@link SessionFactory#LSL_CONNECT_TIMEOUT_S} while resolving). Every refusal is a {@link
 * ServerException} naming the spec field: INVALID_ARGUMENT for a bad spec or a stream of the wrong
 * shape, NOT_FOUND for a stream that is not on the network, FAILED_PRECONDITION when liblsl is not
 * available.
 */
final class LslEndpoints {
    private LslEndpoints() {}

    /** Characters LSL names and cues may not contain here (they end up in XPath predicates). */
    private static final String QUOTES = "'\"";

    /**
     * Creates the outlet of the decoded outputs.
     *
     * @param outputs decoder outputs (channels)
     * @param stepRateHz the decoder's step rate (nominal rate)
     */
    static Outlet openOutlet(String sessionId, LslOutletConfig c, int outputs, double stepRateHz) {
        if (c.name() == null || c.name().isBlank()) {
            throw ServerException.invalid("spec.lsl_outlet.name: required for an LSL outlet");
        }
        StreamInfo info =
                StreamInfo.builder(c.name(), c.typeOrDefault(), outputs, ChannelFormat.FLOAT32)
                        .nominalSrateHz(stepRateHz)
                        .sourceId(c.sourceIdFor(sessionId))
                        .build();
        try {
            return new Outlet(info);
        } catch (RuntimeException | LinkageError e) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    "spec.lsl_outlet: cannot create the LSL outlet: " + e.getMessage(),
                    e);
        }
    }

    /** Checks a label spec against the decoder, before anything is resolved. */
    static void checkLabelSpec(LslLabelConfig c, int outputs) {
        if (c.name() == null || c.name().isBlank()) {
            throw ServerException.invalid("spec.lsl_labels.name: required for LSL labels");
        }
        requireNoQuotes("spec.lsl_labels.name", c.name());
        if (c.type() != null) {
            requireNoQuotes("spec.lsl_labels.type", c.type());
        }
        switch (c.kind()) {
            case CONTINUOUS -> {
                if (!Double.isFinite(c.sampleRateHz()) || c.sampleRateHz() < 0) {
                    throw ServerException.invalid(
                            "spec.lsl_labels.sample_rate_hz: must be >= 0 (0 = any regular rate),"
                                    + " got "
                                    + c.sampleRateHz());
                }
                if (!c.cueClasses().isEmpty() || !c.endCues().isEmpty() || c.trialS() != 0) {
                    throw ServerException.invalid(
                            "spec.lsl_labels: cue_classes, end_cues and trial_s are for"
                                    + " LABEL_KIND_MARKERS, not continuous labels");
                }
            }
            case MARKERS -> {
                if (c.cueClasses().isEmpty()) {
                    throw ServerException.invalid(
                            "spec.lsl_labels.cue_classes: markers need a cue -> class table");
                }
                for (Map.Entry<String, Integer> e : c.cueClasses().entrySet()) {
                    if (e.getKey().isEmpty()) {
                        throw ServerException.invalid(
                                "spec.lsl_labels.cue_classes: a cue must be non-empty");
                    }
                    if (e.getValue() < 0 || e.getValue() >= outputs) {
                        throw ServerException.invalid(
                                "spec.lsl_labels.cue_classes: cue '"
                                        + e.getKey()
                                        + "' -> class "
                                        + Integer.toUnsignedString(e.getValue())
                                        + ", but the decoder has "
                                        + outputs
                                        + " outputs (classes 0.."
                                        + (outputs - 1)
                                        + ")");
                    }
                }
                for (String end : c.endCues()) {
                    if (c.cueClasses().containsKey(end)) {
                        throw ServerException.invalid(
                                "spec.lsl_labels.end_cues: '" + end + "' is also in cue_classes");
                    }
                }
                if (!(c.trialS() > 0) || !Double.isFinite(c.trialS())) {
                    throw ServerException.invalid(
                            "spec.lsl_labels.trial_s: markers need a trial window > 0 s, got "
                                    + c.trialS());
                }
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
     * Resolves the label stream by name (and type), checks its shape against the spec and connects
     * an inlet with clock sync (stamps on this host's clock, like the sample source).
     */
    static Inlet openLabelInlet(LslLabelConfig c, int outputs, double timeoutS) {
        String predicate = "name='" + c.name() + "'";
        if (c.type() != null && !c.type().isBlank()) {
            predicate += " and type='" + c.type() + "'";
        }
        List<StreamInfo> found;
        try {
            found = Resolver.byPredicate(predicate, 1, timeoutS);
        } catch (RuntimeException | LinkageError e) {
            throw new ServerException(
                    ServerException.Kind.FAILED_PRECONDITION,
                    "spec.lsl_labels: LSL is unavailable: " + e.getMessage(),
                    e);
        }
        if (found.isEmpty()) {
            throw ServerException.notFound(
                    "spec.lsl_labels.name: no LSL stream "
                            + predicate
                            + " found within "
                            + timeoutS
                            + " s");
        }
        StreamInfo info = found.get(0);
        checkShape(c, info, outputs);
        Inlet inlet =
                new Inlet(
                        info, InletConfig.defaults().withPostprocessing(PostProcessing.CLOCK_SYNC));
        try {
            inlet.open(timeoutS);
        } catch (RuntimeException e) {
            inlet.close();
            throw new ServerException(
                    ServerException.Kind.UNAVAILABLE,
                    "spec.lsl_labels: cannot open LSL stream '" + c.name() + "': " + e.getMessage(),
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
    static void primeClockSync(Inlet inlet, double timeoutS) {
        try {
            inlet.timeCorrectionS(timeoutS);
        } catch (RuntimeException e) {
            // no estimate in time: the first pull will wait for it
        }
    }

    /** The stream's channel count, format and rate against the spec. */
    static void checkShape(LslLabelConfig c, StreamInfo info, int outputs) {
        String stream = "spec.lsl_labels: stream '" + info.name() + "'";
        if (c.kind() == LslLabelConfig.Kind.MARKERS) {
            if (info.format() != ChannelFormat.STRING) {
                throw ServerException.invalid(
                        stream
                                + ": channel_format is "
                                + info.format().xmlName()
                                + " but markers must be string");
            }
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

    private static void requireNoQuotes(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            if (QUOTES.indexOf(value.charAt(i)) >= 0) {
                throw ServerException.invalid(field + ": must not contain quotes, got " + value);
            }
        }
    }
}
