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
        double stallAfterS) {

    /** How a session's samples arrive. */
    public enum SourceKind {
        GRPC,
        LSL
    }
}
