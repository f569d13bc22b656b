package org.spikeloop.server.io;

/**
 * Token bucket: {@code ratePerSecond} tokens per second, holding at most one second's worth. Not
 * synchronised: one caller at a time (a session's ingest budget, used by its one open stream).
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
    boolean tryAcquire(long n, long nowNs) {
        if (!available(n, nowNs)) {
            return false;
        }
        tokens -= n;
        return true;
    }

    /** Refills up to {@code nowNs}; whether {@code n} tokens are there (none are taken). */
    boolean available(long n, long nowNs) {
        tokens = Math.min(ratePerSecond, tokens + (nowNs - lastNs) * 1e-9 * ratePerSecond);
        lastNs = nowNs;
        return n <= tokens;
    }

    double ratePerSecond() {
        return ratePerSecond;
    }
}
