package org.spikeloop.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.server.registry.CheckpointRegistry;

class PeriodicTriggerTest {
    @TempDir Path dir;
    final AtomicLong nowMs = new AtomicLong(1_000_000);
    final AtomicLong labelled = new AtomicLong();
    JobExecutor executor;
    JobManager jobs;
    RecordingSource source;

    final Clock clock =
            new Clock() {
                @Override
                public ZoneOffset getZone() {
                    return ZoneOffset.UTC;
                }

                @Override
                public Clock withZone(java.time.ZoneId z) {
                    return this;
                }

                @Override
                public Instant instant() {
                    return Instant.ofEpochMilli(nowMs.get());
                }
            };

    @BeforeEach
    void setUp() {
        executor = new JobExecutor(1, 4, 1, 10);
        jobs = new JobManager(CheckpointRegistry.open(dir), executor, clock);
        source =
                new RecordingSource() {
                    @Override
                    public List<Path> recordings() {
                        return List.of(dir.resolve("missing.xdf"));
                    }

                    @Override
                    public long labelledSamples() {
                        return labelled.get();
                    }
                };
    }

    @AfterEach
    void tearDown() throws Exception {
        executor.close();
    }

    private PeriodicTrigger trigger(long everyMs, long everySamples) {
        return new PeriodicTrigger(
                "s1",
                everyMs,
                everySamples,
                source,
                files ->
                        new TrainingJobRequest(
                                "s1",
                                files,
                                "a",
                                "b",
                                Double.NaN,
                                Double.NaN,
                                null,
                                "e".repeat(64),
                                0.25,
                                100,
                                2,
                                "policy:periodic"),
                jobs,
                clock);
    }

    private void awaitIdle() throws InterruptedException {
        for (int i = 0; i < 500 && jobs.busy("s1"); i++) {
            Thread.sleep(10);
        }
    }

    @Test
    void shouldSubmitEveryPeriod() throws Exception {
        PeriodicTrigger t = trigger(60_000, 0);
        assertThat(t.poll()).isNull();
        nowMs.addAndGet(59_999);
        assertThat(t.poll()).isNull();
        nowMs.addAndGet(1);
        JobHandle h = t.poll();
        assertThat(h).isNotNull();
        assertThat(h.request().creator()).isEqualTo("policy:periodic");
        awaitIdle();
        assertThat(t.poll()).isNull();
        nowMs.addAndGet(60_000);
        assertThat(t.poll()).isNotNull();
    }

    @Test
    void shouldSubmitEveryMLabelledSamples() throws Exception {
        PeriodicTrigger t = trigger(0, 5000);
        labelled.set(4999);
        assertThat(t.poll()).isNull();
        labelled.set(5000);
        assertThat(t.poll()).isNotNull();
        awaitIdle();
        labelled.set(9999);
        assertThat(t.poll()).isNull();
        labelled.set(10_000);
        assertThat(t.poll()).isNotNull();
    }

    @Test
    void shouldRejectATriggerWithNeitherPeriodNorSampleCount() {
        assertThatThrownBy(() -> trigger(0, 0)).hasMessageContaining("every_minutes");
    }
}
