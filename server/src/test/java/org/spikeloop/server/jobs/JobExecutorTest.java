package org.spikeloop.server.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.os.ThreadNice;

class JobExecutorTest {
    @Test
    void shouldRunJobsAtALoweredOsPriorityAndMinimumJavaPriority() throws Exception {
        try (JobExecutor ex = new JobExecutor(1, 1, 1, 10)) {
            CompletableFuture<int[]> seen = new CompletableFuture<>();
            ex.execute(
                    () ->
                            seen.complete(
                                    new int[] {
                                        ThreadNice.currentThreadNice(),
                                        Thread.currentThread().getPriority()
                                    }));
            int[] v = seen.get(10, TimeUnit.SECONDS);
            assertThat(v[0]).isEqualTo(10);
            assertThat(v[1]).isEqualTo(Thread.MIN_PRIORITY);
            // the caller's thread keeps its own priority
            assertThat(ThreadNice.currentThreadNice()).isLessThan(10);
        }
    }

    @Test
    void shouldRejectInvalidBounds() {
        assertThatThrownBy(() -> new JobExecutor(0, 1, 1, 10)).hasMessageContaining("jobs.threads");
        assertThatThrownBy(() -> new JobExecutor(1, 1, 1, 25)).hasMessageContaining("jobs.nice");
    }
}
