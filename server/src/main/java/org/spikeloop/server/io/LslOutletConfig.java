package org.spikeloop.server.io;

/**
 * The LSL outlet of a session's decoded outputs (float32, one channel per decoder output, nominal
 * rate = the decoder's step rate).
 *
 * @param name stream name (required)
 * @param type stream type; blank = {@value #DEFAULT_TYPE}
 * @param sourceId LSL source id; blank = {@code <session id>.outlet}
 */
public record LslOutletConfig(String name, String type, String sourceId) {
    public static final String DEFAULT_TYPE = "Decoded";

    /** The stream type to publish. */
    public String typeOrDefault() {
        return type == null || type.isBlank() ? DEFAULT_TYPE : type;
    }

    /** The source id to publish for session {@code sessionId}. */
    public String sourceIdFor(String sessionId) {
        return sourceId == null || sourceId.isBlank() ? sessionId + ".outlet" : sourceId;
    }
}
