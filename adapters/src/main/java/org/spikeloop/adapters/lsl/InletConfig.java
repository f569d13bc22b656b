package org.spikeloop.adapters.lsl;

/**
 * Inlet settings, validated at construction.
 *
 * @param maxBufferS samples liblsl buffers before silently dropping the oldest, in seconds of data
 *     (x100 samples for irregular streams); default 360
 * @param maxChunkSamples preferred transmission chunk size; 0 keeps the sender's
 * @param recover reconnect silently to a restarted outlet with the same source_id (default true)
 * @param postprocessingFlags OR of {@link PostProcessing} flags; default {@link
 *     PostProcessing#NONE}
 */
public record InletConfig(
        int maxBufferS, int maxChunkSamples, boolean recover, int postprocessingFlags) {

    public InletConfig {
        if (maxBufferS < 1) {
            throw new IllegalArgumentException("maxBufferS: must be >= 1, got " + maxBufferS);
        }
        if (maxChunkSamples < 0) {
            throw new IllegalArgumentException(
                    "maxChunkSamples: must be >= 0, got " + maxChunkSamples);
        }
        PostProcessing.validate(postprocessingFlags);
    }

    /** 360 s buffer, sender's chunking, recovery on, no post-processing. */
    public static InletConfig defaults() {
        return new InletConfig(360, 0, true, PostProcessing.NONE);
    }

    public InletConfig withPostprocessing(int flags) {
        return new InletConfig(maxBufferS, maxChunkSamples, recover, flags);
    }

    public InletConfig withMaxBufferS(int seconds) {
        return new InletConfig(seconds, maxChunkSamples, recover, postprocessingFlags);
    }
}
