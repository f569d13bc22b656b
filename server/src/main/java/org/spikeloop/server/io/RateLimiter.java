package org.spikeloop.server.io;

/**
 * Token bucket: {@code ratePerSecond} tokens per second, holding at most one second's worth. Used
 * per ingest stream, so a single caller thread at a time (not synchronised).
 */
final class RateLimiter {
    private final double ratePerSecond;
    private double tokens;
    private long lastNs;

    RateLimiter(double ratePerSecond, long nowNs) {
        this.ratePerSecond = ratePerSecond;
        this.tokens = ratePerSecond;
        this.lastNs = nowNs;
    }

    /** Takes {@code n} tokens if available. */
    boolean tryAcquire(int n, long nowNs) {
        tokens = Math.min(ratePerSecond, tokens + (nowNs - lastNs) * 1e-9 * ratePerSecond);
        lastNs = nowNs;
        if (n > tokens) {
            return false;
        }
        tokens -= n;
        return true;
    }
}
