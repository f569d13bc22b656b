package org.spikeloop.server.session;

import org.spikeloop.server.ServerException;
import org.spikeloop.server.io.SampleIngest;

/**
 * One client ingest stream (samples or labels) and the session it feeds: the first chunk names the
 * session and opens its single ingest slot of that kind ({@link Session#openSampleStream} / {@link
 * Session#openLabelStream}); every later chunk either names the same session or none. {@link
 * #close} releases the slot.
 *
 * <p>Threading: one caller at a time (gRPC serialises a stream's messages).
 */
public final class IngestStream implements AutoCloseable {
    /** What the stream carries. */
    public enum Kind {
        SAMPLES,
        LABELS
    }

    private final SessionManager sessions;
    private final Kind kind;
    private SampleIngest ingest;
    private String sessionId;

    public IngestStream(SessionManager sessions, Kind kind) {
        this.sessions = sessions;
        this.kind = kind;
    }

    /**
     * The ingest a chunk naming {@code chunkSessionId} ("" = the stream's session) goes to.
     *
     * @throws ServerException INVALID_ARGUMENT when the first chunk names no session or a later one
     *     names another; NOT_FOUND / FAILED_PRECONDITION from opening the session's slot
     */
    public SampleIngest forChunk(String chunkSessionId) {
        if (ingest == null) {
            if (chunkSessionId.isEmpty()) {
                throw ServerException.invalid("session_id: the first chunk must name the session");
            }
            Session s = sessions.get(chunkSessionId);
            ingest = kind == Kind.SAMPLES ? s.openSampleStream() : s.openLabelStream();
            sessionId = chunkSessionId;
        } else if (!chunkSessionId.isEmpty() && !chunkSessionId.equals(sessionId)) {
            throw ServerException.invalid(
                    "session_id: this stream feeds '"
                            + sessionId
                            + "'; a chunk named '"
                            + chunkSessionId
                            + "'");
        }
        return ingest;
    }

    /** The open ingest, or null before the first chunk. */
    public SampleIngest ingest() {
        return ingest;
    }

    /** Releases the session's ingest slot (if one was opened). */
    @Override
    public void close() {
        if (ingest != null) {
            ingest.close();
        }
    }
}
