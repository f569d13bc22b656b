package org.spikeloop.server.io;

import org.spikeloop.server.ServerException;

/**
 * What one session may ingest into one of its rings (samples or labels): rows per second ({@code
 * limits.maxIngestSamplesPerSecond}) and message bytes per second ({@code
 * limits.maxIngestBytesPerSecond}), each a token bucket holding one second of burst. The budget
 * belongs to the session, not to a stream: it starts full once, when the session is created, and
 * every stream the session opens later draws from it, so reconnecting does not refill it. Every
 * chunk costs at least one row and its own bytes, so empty chunks are not free.
 *
 * <p>Threading: used by the session's one open stream of that kind at a time; successive streams
 * hand over through the session's stream claim (a compare-and-set), which orders their use.
 */
public final class IngestBudget {
    private final String sessionId;
    private final RateLimiter rows;
    private final RateLimiter bytes;

    public IngestBudget(String sessionId, double rowsPerSecond, double bytesPerSecond, long nowNs) {
        this.sessionId = sessionId;
        this.rows = new RateLimiter(rowsPerSecond, nowNs);
        this.bytes = new RateLimiter(bytesPerSecond, nowNs);
    }

    /**
     * Takes one chunk's cost, or refuses it (taking nothing).
     *
     * @param what "sample" or "label"
     * @param chunkRows the chunk's rows (0 for an empty chunk, which costs 1)
     * @param chunkBytes the chunk's serialised size
     * @throws ServerException RESOURCE_EXHAUSTED naming the limit that the chunk exceeds
     */
    void take(String what, int chunkRows, long chunkBytes, long nowNs) {
        long rowCost = Math.max(1, chunkRows);
        if (!rows.available(rowCost, nowNs)) {
            throw refuse(what, "limits.maxIngestSamplesPerSecond", rows.ratePerSecond(), "rows");
        }
        if (!bytes.available(chunkBytes, nowNs)) {
            throw refuse(what, "limits.maxIngestBytesPerSecond", bytes.ratePerSecond(), "bytes");
        }
        rows.tryAcquire(rowCost, nowNs);
        bytes.tryAcquire(chunkBytes, nowNs);
    }

    private ServerException refuse(String what, String key, double rate, String unit) {
        return new ServerException(
                ServerException.Kind.RESOURCE_EXHAUSTED,
                what
                        + " ingest exceeds "
                        + key
                        + " = "
                        + rate
                        + " "
                        + unit
                        + " per second for session "
                        + sessionId
                        + " (the session's budget, shared by its streams; every chunk costs at"
                        + " least one row)");
    }
}
