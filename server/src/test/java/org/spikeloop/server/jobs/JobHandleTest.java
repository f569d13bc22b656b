package org.spikeloop.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.spikeloop.learn.jobs.JobProgress;
import org.spikeloop.server.registry.CheckpointRegistry;

class JobHandleTest {
    @TempDir Path dir;

    private JobHandle handle() {
        TrainingJobRequest r =
                new TrainingJobRequest(
                        "s",
                        List.of(dir.resolve("a.xdf")),
                        "a",
                        "b",
                        Double.NaN,
                        Double.NaN,
                        "{}",
                        null,
                        0.25,
                        100,
                        2,
                        "alice");
        return new JobHandle(
                new TrainingJob("job-1", r, CheckpointRegistry.open(dir), 1), Instant.EPOCH);
    }

    @Test
    void shouldReplayPastEventsToALateWatcherThenStreamLiveOnes() {
        JobHandle h = handle();
        h.started(Instant.EPOCH);
        JobProgress p = new JobProgress(1, 3, 1.0, 2.0, 0.1, 1, 1.0, 2.0);
        h.progress(p);
        List<JobEvent> seen = new ArrayList<>();
        Runnable stop = h.watch(seen::add);
        h.finished(JobState.FAILED, null, "boom", Instant.EPOCH);
        assertThat(seen)
                .extracting(JobEvent::state)
                .containsExactly(
                        JobState.QUEUED, JobState.RUNNING, JobState.RUNNING, JobState.FAILED);
        assertThat(seen.get(2).progress()).isEqualTo(p);
        assertThat(h.lastProgress()).isEqualTo(p);
        assertThat(h.error()).isEqualTo("boom");
        stop.run();
        h.progress(p);
        assertThat(seen).hasSize(4);
    }
}
