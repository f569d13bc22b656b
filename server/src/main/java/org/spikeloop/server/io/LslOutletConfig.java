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
        return typeOr(DEFAULT_TYPE);
    }

    /** The source id to publish for session {@code sessionId}. */
    public String sourceIdFor(String sessionId) {
        return sourceIdOr(sessionId + ".outlet");
    }

    /**
     * The stream type to publish, {@code defaultType} when the spec leaves it blank (the same
     * record describes the decision outlet, whose default differs).
     */
    public String typeOr(String defaultType) {
        return type == null || type.isBlank() ? defaultType : type;
    }

    /** The source id to publish, {@code defaultId} when the spec leaves it blank. */
    public String sourceIdOr(String defaultId) {
        return sourceId == null || sourceId.isBlank() ? defaultId : sourceId;
    }
}
