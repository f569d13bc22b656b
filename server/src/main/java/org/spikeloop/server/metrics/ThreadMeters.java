package org.spikeloop.server.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * The JVM's thread meters, as Micrometer's {@code JvmThreadMetrics} names them ({@code
 * jvm.threads.live}, {@code .daemon}, {@code .peak}, {@code .started}, {@code .states} by {@code
 * state}). Micrometer's binder reads every thread's {@code ThreadInfo} once per state gauge, six
 * times a scrape; this binder counts the states once per scrape ({@link #refresh}) and the six
 * gauges read the counts.
 *
 * <p>Threading: {@link #refresh} on the scraping thread (synchronized: two scrapes may overlap);
 * the gauges read the last counts from any thread.
 */
public final class ThreadMeters implements MeterBinder {
    private static final Thread.State[] STATES = Thread.State.values();

    private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    private volatile int[] byState = new int[STATES.length];

    @Override
    public void bindTo(MeterRegistry r) {
        Gauge.builder("jvm.threads.peak", threads, ThreadMXBean::getPeakThreadCount)
                .description(
                        "The peak live thread count since the Java virtual machine started or"
                                + " peak was reset")
                .baseUnit(BaseUnits.THREADS)
                .register(r);
        Gauge.builder("jvm.threads.daemon", threads, ThreadMXBean::getDaemonThreadCount)
                .description("The current number of live daemon threads")
                .baseUnit(BaseUnits.THREADS)
                .register(r);
        Gauge.builder("jvm.threads.live", threads, ThreadMXBean::getThreadCount)
                .description(
                        "The current number of live threads including both daemon and non-daemon"
                                + " threads")
                .baseUnit(BaseUnits.THREADS)
                .register(r);
        FunctionCounter.builder(
                        "jvm.threads.started", threads, ThreadMXBean::getTotalStartedThreadCount)
                .description("The total number of application threads started in the JVM")
                .baseUnit(BaseUnits.THREADS)
                .register(r);
        for (Thread.State state : STATES) {
            int i = state.ordinal();
            Gauge.builder("jvm.threads.states", this, m -> m.byState[i])
                    .tag("state", state.name().toLowerCase(Locale.ROOT).replace('_', '-'))
                    .description("The current number of threads (at the last scrape)")
                    .baseUnit(BaseUnits.THREADS)
                    .register(r);
        }
        refresh();
    }

    /** Counts the live threads by state (one {@code ThreadInfo} each). */
    public synchronized void refresh() {
        int[] counts = new int[STATES.length]; // published whole: the gauges read one scrape's
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null) { // the thread ended between the two calls
                counts[t.getThreadState().ordinal()]++;
            }
        }
        byState = counts;
    }
}
