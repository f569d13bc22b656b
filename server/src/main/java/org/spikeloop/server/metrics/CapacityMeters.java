package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.util.List;

/**
 * The server's capacity and the health of its agent threads, registered once at start-up: {@code
 * spikeloop_admission_refusals_total{budget="sessions"|"memory"|"cpu"}}, {@code
 * spikeloop_admission_memory_committed_bytes} and {@code spikeloop_admission_memory_budget_bytes}
 * (admission control), {@code spikeloop_agent_failures_total} (session agents that threw out of
 * their cycle; the session went to ERROR) and {@code spikeloop_agent_thread_deaths_total} (engine,
 * publisher or source threads that died, the alert's series: every session on such a thread is in
 * ERROR). All are read at scrape time from {@link Source}.
 */
public final class CapacityMeters implements MeterBinder {
    /** What the meters read (the session manager). */
    public interface Source {
        long admissionRefusals(String budget);

        long memoryCommittedBytes();

        long memoryBudgetBytes();

        long agentFailures();

        long agentThreadDeaths();
    }

    /** The budgets {@code spikeloop_admission_refusals_total} is labelled with. */
    public static final List<String> BUDGETS = List.of("sessions", "memory", "cpu");

    private final Source source;

    public CapacityMeters(Source source) {
        this.source = source;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (String budget : BUDGETS) {
            FunctionCounter.builder(
                            "spikeloop.admission.refusals",
                            source,
                            s -> s.admissionRefusals(budget))
                    .tag("budget", budget)
                    .description("CreateSession calls refused by admission control, by budget")
                    .register(registry);
        }
        Gauge.builder("spikeloop.admission.memory.committed", source, Source::memoryCommittedBytes)
                .strongReference(true)
                .baseUnit(BaseUnits.BYTES)
                .description("Estimated memory of the running sessions (admission control)")
                .register(registry);
        Gauge.builder("spikeloop.admission.memory.budget", source, Source::memoryBudgetBytes)
                .strongReference(true)
                .baseUnit(BaseUnits.BYTES)
                .description("admission.heapFraction of the maximum heap")
                .register(registry);
        FunctionCounter.builder("spikeloop.agent.failures", source, Source::agentFailures)
                .description(
                        "Session agents that threw out of their cycle (the session went to ERROR)")
                .register(registry);
        FunctionCounter.builder("spikeloop.agent.thread.deaths", source, Source::agentThreadDeaths)
                .description(
                        "Engine, publisher or source threads that died; their sessions are in"
                                + " ERROR")
                .register(registry);
    }
}
