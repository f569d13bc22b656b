package org.spikeloop.server.engine;

/**
 * What an engine does when it falls behind its stream (issue 17): skip to the live edge, or decode
 * every sample however late.
 *
 * <p>Skipping ({@link #maxLagNs} &gt; 0): at the start of each cycle the engine looks at its input
 * ring. When more than {@code maxLagNs} of signal waits there (rows × dt, the ring's occupancy, not
 * the samples' source time stamps) and the oldest waiting row arrived more than {@code maxLagNs}
 * ago (so a chunk that just arrived in one piece is not "behind": a source that delivers in blocks
 * is not an engine that lags), it skips every waiting row but the newest and decodes that one.
 * Skipped rows were recorded on their way in; they are counted, and the learner pauses over the gap
 * (its traces restart, so no update spans the discontinuity). A skipping engine also starts at the
 * live edge: rows that arrived before it started (while the session was being created) are not
 * decoded and not counted as deadline misses.
 *
 * <p>Decoding everything ({@code maxLagNs} = 0): every row is decoded in order, late or not —
 * replays, paced-up clients and benchmarks that measure the backlog itself.
 *
 * @param maxLagNs the bound, ns; 0 = decode everything
 */
public record LiveEdge(long maxLagNs) {
    /** Every row is decoded, however late. */
    public static final LiveEdge DECODE_EVERYTHING = new LiveEdge(0);

    public LiveEdge {
        if (maxLagNs < 0) {
            throw new IllegalArgumentException("live edge bound must be >= 0 ns, got " + maxLagNs);
        }
    }

    /** Skip to the live edge when behind by more than {@code maxLagMs}. */
    public static LiveEdge skipBeyondMs(double maxLagMs) {
        if (!(maxLagMs > 0) || !Double.isFinite(maxLagMs)) {
            throw new IllegalArgumentException(
                    "live edge bound must be finite and > 0 ms, got " + maxLagMs);
        }
        return new LiveEdge(Math.round(maxLagMs * 1_000_000.0));
    }

    /** Whether the engine skips to the live edge (otherwise it decodes everything). */
    public boolean skips() {
        return maxLagNs > 0;
    }

    /** The bound in ms (0 = decode everything). */
    public double maxLagMs() {
        return maxLagNs / 1e6;
    }
}
