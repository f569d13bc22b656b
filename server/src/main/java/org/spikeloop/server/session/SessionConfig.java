package org.spikeloop.server.session;

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
        LslLabelConfig lslLabels) {

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
                null);
    }

    /** How a session's samples arrive. */
    public enum SourceKind {
        GRPC,
        LSL
    }
}
