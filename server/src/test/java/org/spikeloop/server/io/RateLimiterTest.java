package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RateLimiterTest {
    @Test
    void shouldAllowOneSecondOfBurstThenRefill() {
        RateLimiter r = new RateLimiter(1000, 0);
        assertThat(r.tryAcquire(1000, 0)).isTrue();
        assertThat(r.tryAcquire(1, 0)).isFalse();
        assertThat(r.tryAcquire(500, 500_000_000L)).isTrue();
        assertThat(r.tryAcquire(1, 500_000_000L)).isFalse();
    }

    @Test
    void shouldNeverHoldMoreThanOneSecondOfTokens() {
        RateLimiter r = new RateLimiter(100, 0);
        assertThat(r.tryAcquire(101, 10_000_000_000L)).isFalse();
        assertThat(r.tryAcquire(100, 10_000_000_000L)).isTrue();
    }
}
