package org.spikeloop.server.session;

import java.util.List;
import org.spikeloop.server.io.LslLabelConfig;
import org.spikeloop.server.io.LslOutletConfig;
import org.spikeloop.signal.StageSpec;

/**
 * What a client asked for when creating a session (validated by {@link SessionFactory}).
 *
 * @param name free text
 * @param channels input channels per sample (= decoder inputs)
 * @param sampleRateHz one sample per decoder step: must equal 1000 / dtMs
 * @param learningEnabled start with learning on
 * @param learningRate 0 = server default
 * @param updateIntervalSteps 0 = server default
 * @param source how samples arrive
 * @param lslStreamName LSL stream name for {@link SourceKind#LSL}
 * @param stallAfterS 0 = server default
 * @param lslOutlet the LSL outlet of the decoded outputs, or null for none
 * @param lslLabels the LSL label source, or null (labels then come from gRPC PushLabels)
 * @param frontEnd front-end stages between the source and the decoder, in order; empty = none (one
 *     source sample per decoder step). With stages, {@code channels} and {@code sampleRateHz} are
 *     the source stream's and the decoder takes the front-end's output.
 * @param lslDecisions the LSL outlet of the per-trial decisions (marker labels only), or null
 */
public record SessionConfig(
        String name,
        int channels,
        double sampleRateHz,
        DecoderSource decoder,
        boolean learningEnabled,
        double learningRate,
        int updateIntervalSteps,
        SourceKind source,
        String lslStreamName,
        double stallAfterS,
        LslOutletConfig lslOutlet,
        LslLabelConfig lslLabels,
        List<StageSpec> frontEnd,
        LslOutletConfig lslDecisions) {

    public SessionConfig {
        frontEnd = frontEnd == null ? List.of() : List.copyOf(frontEnd);
    }

    /** A session without an LSL decision outlet. */
    public SessionConfig(
            String name,
            int channels,
            double sampleRateHz,
            DecoderSource decoder,
            boolean learningEnabled,
            double learningRate,
            int updateIntervalSteps,
            SourceKind source,
            String lslStreamName,
            double stallAfterS,
            LslOutletConfig lslOutlet,
            LslLabelConfig lslLabels,
            List<StageSpec> frontEnd) {
        this(
                name,
                channels,
                sampleRateHz,
                decoder,
                learningEnabled,
                learningRate,
                updateIntervalSteps,
                source,
                lslStreamName,
                stallAfterS,
                lslOutlet,
                lslLabels,
                frontEnd,
                null);
    }

    /** Whether the session's labels are cue markers (trial windows and decisions). */
    public boolean markerLabels() {
        return lslLabels != null && lslLabels.kind() == LslLabelConfig.Kind.MARKERS;
    }

    /** A session without an LSL outlet or LSL labels. */
    public SessionConfig(
            String name,
            int channels,
            double sampleRateHz,
            DecoderSource decoder,
            boolean learningEnabled,
            double learningRate,
            int updateIntervalSteps,
            SourceKind source,
            String lslStreamName,
            double stallAfterS) {
        this(
                name,
                channels,
                sampleRateHz,
                decoder,
                learningEnabled,
                learningRate,
                updateIntervalSteps,
                source,
                lslStreamName,
                stallAfterS,
                null,
                null,
                List.of(),
                null);
    }

    /** How a session's samples arrive. */
    public enum SourceKind {
        GRPC,
        LSL
    }
}
