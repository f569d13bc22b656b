package org.spikeloop.server.io;

/**
 * Whether a session still takes the rows of an ingest stream: a session that is stopped (or
 * stopping) or in ERROR takes none, and the stream ends with the refusal instead of reporting rows
 * accepted that the engine would never decode.
 *
 * <p>Threading: called on the ingest stream's thread once per chunk and when the stream completes;
 * it must not allocate when it admits (two volatile reads in {@code Session}).
 */
@FunctionalInterface
public interface IngestGate {
    /** A gate that always admits (tests, in-process feeds without a session). */
    IngestGate OPEN = () -> {};

    /**
     * @throws org.spikeloop.server.ServerException FAILED_PRECONDITION naming the session, its
     *     state and, for ERROR, the reason
     */
    void requireOpen();
}
