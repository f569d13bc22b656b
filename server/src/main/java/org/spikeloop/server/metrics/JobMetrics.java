package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.spikeloop.server.jobs.JobManager;
import org.spikeloop.server.jobs.JobState;

/**
 * The training jobs' meters: {@code spikeloop_training_jobs_total{outcome}}, finished in-server
 * jobs by outcome ({@code succeeded}, {@code failed}, {@code cancelled}), all three registered at 0
 * when bound (once, at start-up).
 *
 * <p>Threading: the counters are incremented on the job's thread as it finishes.
 */
public final class JobMetrics implements MeterBinder {
    private final JobManager jobs;

    public JobMetrics(JobManager jobs) {
        this.jobs = jobs;
    }

    @Override
    public void bindTo(MeterRegistry r) {
        Map<JobState, Counter> byOutcome = new EnumMap<>(JobState.class);
        for (JobState s : JobState.values()) {
            if (s.terminal()) {
                byOutcome.put(
                        s,
                        Counter.builder("spikeloop.training.jobs")
                                .description("Finished in-server training jobs by outcome")
                                .tag("outcome", s.name().toLowerCase(Locale.ROOT))
                                .register(r));
            }
        }
        jobs.onFinished(h -> byOutcome.get(h.state()).increment());
    }
}
