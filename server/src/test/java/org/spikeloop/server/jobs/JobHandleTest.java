package org.spikeloop.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
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

    @Test
    void shouldDropAWatcherThatThrowsLogItOnceAndGoOnPublishingToTheOthers() {
        Logger log = (Logger) LoggerFactory.getLogger(JobHandle.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        log.addAppender(logged);
        try {
            JobHandle h = handle();
            List<JobEvent> broken = new ArrayList<>();
            List<JobEvent> erroring = new ArrayList<>();
            List<JobEvent> seen = new ArrayList<>();
            h.watch(
                    e -> {
                        broken.add(e);
                        if (e.state() == JobState.RUNNING) {
                            throw new IllegalStateException("stream closed");
                        }
                    });
            h.watch(
                    e -> {
                        erroring.add(e);
                        if (e.progress() != null) {
                            throw new AssertionError("watcher broke");
                        }
                    });
            h.watch(seen::add);
            JobProgress p = new JobProgress(1, 3, 1.0, 2.0, 0.1, 1, 1.0, 2.0);

            h.started(Instant.EPOCH); // no exception reaches the job
            h.progress(p);
            h.progress(p);
            h.finished(JobState.SUCCEEDED, null, "ckpt", Instant.EPOCH);

            assertThat(h.state()).isEqualTo(JobState.SUCCEEDED);
            assertThat(seen)
                    .extracting(JobEvent::state)
                    .containsExactly(
                            JobState.QUEUED,
                            JobState.RUNNING,
                            JobState.RUNNING,
                            JobState.RUNNING,
                            JobState.SUCCEEDED);
            assertThat(broken)
                    .as("called until it threw, then no more")
                    .extracting(JobEvent::state)
                    .containsExactly(JobState.QUEUED, JobState.RUNNING);
            assertThat(erroring)
                    .extracting(JobEvent::state)
                    .containsExactly(JobState.QUEUED, JobState.RUNNING, JobState.RUNNING);
            assertThat(logged.list)
                    .as("one WARN per dropped watcher")
                    .hasSize(2)
                    .allSatisfy(
                            e -> {
                                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                                assertThat(e.getFormattedMessage()).contains("job-1");
                            })
                    .extracting(e -> e.getThrowableProxy().getClassName())
                    .containsExactly(
                            IllegalStateException.class.getName(), AssertionError.class.getName());
        } finally {
            log.detachAppender(logged);
        }
    }
}
