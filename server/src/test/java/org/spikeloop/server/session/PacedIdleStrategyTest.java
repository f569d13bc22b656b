package org.spikeloop.server.session;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link PacedIdleStrategy} on a simulated clock: each park advances it by what was asked, so a
 * test runs the idle loop as the pool's thread would and reads back the parks it made.
 */
class PacedIdleStrategyTest {
    private static final long BASE = 50_000;
    private static final long MAX = 2_000_000;
    private static final long MARGIN = 400_000;
    private static final long PERIOD = 1_000_000; // a 1-kHz stream

    private long now = 1_000;
    private final List<Long> parks = new ArrayList<>();
    private final PacedIdleStrategy idle =
            new PacedIdleStrategy(
                    BASE,
                    MAX,
                    MARGIN,
                    () -> now,
                    ns -> {
                        parks.add(ns);
                        now += ns;
                    });

    /**
     * Runs the idle loop until {@code arrivalNs}: parks while idle, then one cycle of work at the
     * first poll at or after the arrival and one more the next cycle (the episode: pulled, then
     * published). Returns the delay between the arrival and the poll that found it.
     */
    private long serve(long arrivalNs) {
        while (now < arrivalNs) {
            idle.idle(0);
        }
        long found = now - arrivalNs;
        idle.idle(1);
        now += 30_000; // the step
        idle.idle(1);
        return found;
    }

    @Test
    void shouldPollAtTheBaseParkUntilItHasSeenEnoughEpisodes() {
        for (int k = 1; k < PacedIdleStrategy.HISTORY; k++) {
            serve(k * PERIOD);
        }
        assertThat(parks).isNotEmpty().allMatch(p -> p == BASE);
    }

    @Test
    void shouldParkUntilShortlyBeforeTheNextSampleOfARegularStream() {
        for (int k = 1; k <= PacedIdleStrategy.HISTORY + 1; k++) {
            serve(k * PERIOD);
        }
        parks.clear();
        long found = serve((PacedIdleStrategy.HISTORY + 2) * PERIOD);
        // One long park, to about MARGIN before the sample, then base parks until it is found.
        assertThat(parks.get(0)).isBetween(PERIOD - MARGIN - 2 * BASE, PERIOD - MARGIN);
        assertThat(parks.subList(1, parks.size())).allMatch(p -> p == BASE);
        assertThat(found).isLessThan(BASE);
        // ≈ 1 + 400/50 parks per period instead of ≈ 20.
        assertThat(parks).hasSizeLessThanOrEqualTo(1 + (int) (MARGIN / BASE) + 2);
    }

    @Test
    void shouldFindAnOnTimeSampleAtOnceAfterOneThatCameLateByLessThanTheMargin() {
        for (int k = 1; k <= PacedIdleStrategy.HISTORY + 1; k++) {
            serve(k * PERIOD);
        }
        long base = (PacedIdleStrategy.HISTORY + 2) * PERIOD;
        serve(base + 300_000); // late by 300 µs
        // The next one comes on time, 700 µs later: the thread must already be polling.
        assertThat(serve(base + PERIOD)).isLessThan(BASE);
        assertThat(serve(base + 2 * PERIOD)).isLessThan(BASE);
    }

    @Test
    void shouldFindAnOnTimeSampleAfterAVeryLateOneLateByNoMoreThanTheExcess() {
        for (int k = 1; k <= PacedIdleStrategy.HISTORY + 1; k++) {
            serve(k * PERIOD);
        }
        long base = (PacedIdleStrategy.HISTORY + 2) * PERIOD;
        serve(base + 700_000); // late by 700 µs: 300 µs more than the margin
        long found = serve(base + PERIOD);
        assertThat(found).isBetween(300_000 - BASE, 300_000 + BASE);
        // That one found late, the next is on time again: the schedule did not move.
        assertThat(serve(base + 2 * PERIOD)).isLessThan(BASE);
    }

    @Test
    void shouldKeepParkingLongOnAStreamWhoseSamplesAreSometimesLate() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
        long t = 0;
        for (int k = 1; k <= 4 * PacedIdleStrategy.HISTORY; k++) {
            // one sample in ten late by up to 300 µs, the rest on time
            serve(k * PERIOD + (rng.nextInt(10) == 0 ? rng.nextLong(300_000) : 0));
            t = k * PERIOD;
        }
        parks.clear();
        int samples = 100;
        for (int k = 1; k <= samples; k++) {
            long late = rng.nextInt(10) == 0 ? rng.nextLong(300_000) : 0;
            assertThat(serve(t + k * PERIOD + late)).isLessThan(BASE);
        }
        // sleep would have parked ≈ 20 times a sample
        assertThat(parks.size()).isLessThan(12 * samples);
    }

    @Test
    void shouldParkAsSleepDoesForStreamsOfRandomPhases() {
        java.util.SplittableRandom rng = new java.util.SplittableRandom(7);
        long t = 0;
        for (int k = 0; k < 4 * PacedIdleStrategy.HISTORY; k++) {
            t += 60_000 + rng.nextLong(190_000); // eight 1-kHz streams: ≈ 125 µs apart
            serve(t);
        }
        parks.clear();
        for (int k = 0; k < 100; k++) {
            t += 60_000 + rng.nextLong(190_000);
            assertThat(serve(t)).isLessThan(BASE);
        }
        assertThat(parks).allMatch(p -> p == BASE);
    }

    @Test
    void shouldNeverParkLongerThanItsBound() {
        for (int k = 1; k <= PacedIdleStrategy.HISTORY + 1; k++) {
            serve(k * 20 * PERIOD); // a 50-Hz stream
        }
        parks.clear();
        serve((PacedIdleStrategy.HISTORY + 2) * 20 * PERIOD);
        assertThat(parks).allMatch(p -> p <= MAX).contains(MAX);
    }

    @Test
    void shouldAllocateNothingWhileIdlingAndCountingEpisodes() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean)
                        java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        PacedIdleStrategy quiet =
                new PacedIdleStrategy(BASE, MAX, MARGIN, () -> now, ns -> now += ns);
        long t = now;
        for (int k = 0; k < 1_000; k++) { // warm: the history fills, every branch runs
            t += PERIOD;
            while (now < t) {
                quiet.idle(0);
            }
            quiet.idle(1);
        }
        long before = threads.getThreadAllocatedBytes(id);
        for (int k = 0; k < 10_000; k++) {
            t += PERIOD;
            while (now < t) {
                quiet.idle(0);
            }
            quiet.idle(1);
        }
        assertThat(threads.getThreadAllocatedBytes(id) - before).isZero();
    }

    @Test
    void shouldRefuseBoundsThatCannotWork() {
        assertThatThrownBy(() -> new PacedIdleStrategy(0, MAX, MARGIN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PacedIdleStrategy(BASE, BASE - 1, MARGIN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PacedIdleStrategy(BASE, MAX, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldBeWhatTheConfigurationNameBuilds() {
        assertThat(IdleStrategies.create("paced")).isInstanceOf(PacedIdleStrategy.class);
    }
}
