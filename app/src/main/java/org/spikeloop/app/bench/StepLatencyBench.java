package org.spikeloop.app.bench;

import com.sun.management.ThreadMXBean;
import java.lang.management.ManagementFactory;
import java.util.Locale;
import org.HdrHistogram.Histogram;

/**
 * Times every step of a {@link StepWorkload} with {@link System#nanoTime()}: warm-up first (at
 * least the requested steps and 3 s, through the same method as the measurement, so the timed code
 * is C2-compiled), then {@code steps} timed steps, each latency recorded into an HdrHistogram after
 * its timed window closes. Allocation is measured over the whole timed loop with the thread's
 * allocated-bytes counter (minus the counter read's own cost). Input frames are precomputed and
 * reused cyclically when fewer than the steps.
 *
 * <p>Threading: runs on the calling thread. Allocation: none inside the timed loop except what the
 * workload allocates (which is the number reported).
 */
public final class StepLatencyBench {

    /** Latency figures (µs) and the measured allocation and spike counts. */
    public record Result(
            double p50Us,
            double p99Us,
            double p999Us,
            double maxUs,
            double meanUs,
            double allocBytesPerStep,
            long allocBytesTotal,
            int warmupSteps,
            int steps,
            long over1ms,
            long spikes) {}

    private StepLatencyBench() {}

    /**
     * @param workload what to time
     * @param x input frames (cycled)
     * @param targets targets (cycled)
     * @param outputs readout width
     * @param warmup untimed steps first
     * @param steps timed steps
     */
    public static Result run(
            StepWorkload workload,
            float[][] x,
            float[][] targets,
            int outputs,
            int warmup,
            int steps) {
        float[] out = new float[outputs];
        long[] stats = new long[STATS];
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        // Warm up through the same method the measurement uses, in chunks, for at least `warmup`
        // steps and MIN_WARMUP_NS, so that C2 has compiled and installed it (on a busy 2-core
        // machine compilation lags far behind the step count); then pause for the compile queue.
        long warmStart = System.nanoTime();
        int done = 0;
        while (done < warmup || System.nanoTime() - warmStart < MIN_WARMUP_NS) {
            timedLoop(workload, x, targets, out, done, WARMUP_CHUNK, h, stats);
            done += WARMUP_CHUNK;
        }
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        ThreadMXBean bean = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        long thread = Thread.currentThread().getId();
        h.reset();
        System.gc();
        // What reading the counter itself costs (it may allocate its result), measured back to
        // back.
        long probe0 = bean.getThreadAllocatedBytes(thread);
        long probeCost = bean.getThreadAllocatedBytes(thread) - probe0;
        long allocBefore = bean.getThreadAllocatedBytes(thread);
        timedLoop(workload, x, targets, out, warmup, steps, h, stats);
        long allocated = bean.getThreadAllocatedBytes(thread) - allocBefore - probeCost;
        return new Result(
                h.getValueAtPercentile(50.0) / 1e3,
                h.getValueAtPercentile(99.0) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3,
                stats[MAX] / 1e3,
                stats[SUM] / 1e3 / steps,
                (double) allocated / steps,
                allocated,
                done,
                steps,
                stats[OVER],
                stats[SPIKES]);
    }

    private static final int WARMUP_CHUNK = 1000;
    private static final long MIN_WARMUP_NS = 3_000_000_000L;
    private static final int SUM = 0;
    private static final int MAX = 1;
    private static final int OVER = 2;
    private static final int SPIKES = 3;
    private static final int STATS = 4;

    /**
     * Steps {@code count} frames from {@code first}, timing each step alone; the histogram, the
     * sum/max/over-1-ms statistics and the spike count are updated after each timed window closes.
     */
    private static void timedLoop(
            StepWorkload workload,
            float[][] x,
            float[][] targets,
            float[] out,
            int first,
            int count,
            Histogram h,
            long[] stats) {
        int frames = x.length;
        long sum = 0;
        long max = 0;
        long over = 0;
        long spikes = 0;
        for (int i = 0; i < count; i++) {
            float[] frame = x[(first + i) % frames];
            float[] target = targets[(first + i) % targets.length];
            long t0 = System.nanoTime();
            workload.step(frame, target, out);
            long dt = System.nanoTime() - t0;
            h.recordValue(dt);
            sum += dt;
            max = Math.max(max, dt);
            if (dt > 1_000_000L) {
                over++;
            }
            spikes += workload.spikesInLastStep();
        }
        stats[SUM] = sum;
        stats[MAX] = max;
        stats[OVER] = over;
        stats[SPIKES] = spikes;
    }

    /** Formats a number for JSON (finite, fixed locale). */
    static String num(double v) {
        return String.format(Locale.ROOT, "%.3f", v);
    }
}
