package org.spikeloop.app.bench;

import org.HdrHistogram.Histogram;

/**
 * The machine's own noise floor: repeatedly busy-waits {@code spinNs} and records how far past the
 * deadline the thread got back (as the PyTorch peer's {@code jitter_probe} does). Preemption by the
 * hypervisor or other processes shows up here exactly as it would in a decoder step.
 *
 * <p>Threading: runs on the calling thread. Allocation: none while probing.
 */
public final class JitterProbe {
    /** Overshoot statistics, in µs. */
    public record Result(
            int samples, long spinNs, double p50Us, double p99Us, double maxUs, long over1ms) {}

    private JitterProbe() {}

    /**
     * @param samples number of busy-waits
     * @param spinNs length of each busy-wait (ns)
     */
    public static Result run(int samples, long spinNs) {
        Histogram h = new Histogram(3_600_000_000_000L, 3);
        long max = 0;
        long over = 0;
        for (int i = 0; i < samples; i++) {
            long deadline = System.nanoTime() + spinNs;
            long now;
            do {
                now = System.nanoTime();
            } while (now < deadline);
            long overshoot = now - deadline;
            h.recordValue(overshoot);
            max = Math.max(max, overshoot);
            if (overshoot > 1_000_000L) {
                over++;
            }
        }
        return new Result(
                samples,
                spinNs,
                h.getValueAtPercentile(50.0) / 1e3,
                h.getValueAtPercentile(99.0) / 1e3,
                max / 1e3,
                over);
    }
}
