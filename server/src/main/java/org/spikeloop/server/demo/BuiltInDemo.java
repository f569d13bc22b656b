package org.spikeloop.server.demo;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;
import org.spikeloop.adapters.sim.IntracorticalRig;
import org.spikeloop.learn.baseline.SlidingR2;
import org.spikeloop.learn.eprop.EpropConfig;
import org.spikeloop.learn.eprop.FloatEpropLearner;
import org.spikeloop.snn.kernel.FloatNetwork;

/**
 * The demo's decoding run in one process: a simulated 96-unit intracortical rig paced in real time
 * at 1 kHz, decoded step by step by the spiking network with e-prop adapting it online, a 30°
 * rotation of the units' preferred directions at {@code driftAtS}, and one status line per second
 * (sliding-window R², step latency p99, deadline misses, learning updates).
 *
 * <p>Threading: one thread runs the loop; {@link #stop} may be called from any thread (Ctrl-C). The
 * loop itself allocates nothing after start-up.
 */
public final class BuiltInDemo {
    private static final long STEP_NS = 1_000_000L;
    private static final long SPIN_BELOW_NS = 120_000L;

    private final Settings settings;
    private final PrintStream out;
    private final AtomicBoolean running = new AtomicBoolean(true);

    /**
     * @param durationS seconds of live decoding (0 = until {@link #stop})
     * @param driftAtS when the preferred directions rotate (seconds into the live run)
     * @param rotationDeg the rotation
     * @param neurons hidden neurons
     * @param calibrationS seconds of calibration data for the reference readout
     * @param eprop whether e-prop adapts the decoder online
     * @param seed random seed
     */
    public record Settings(
            double durationS,
            double driftAtS,
            double rotationDeg,
            int neurons,
            double calibrationS,
            boolean eprop,
            long seed) {}

    public BuiltInDemo(Settings settings, PrintStream out) {
        this.settings = settings;
        this.out = out;
    }

    /** Asks the loop to finish after the current step. */
    public void stop() {
        running.set(false);
    }

    /** Runs until the duration elapses or {@link #stop} is called; returns the final summary. */
    public Summary run() {
        final int units = 96;
        long t0 = System.nanoTime();
        IntracorticalRig rig = new IntracorticalRig(DemoDecoder.rigConfig(units, settings.seed()));
        FloatNetwork net =
                DemoDecoder.build(
                        rig, settings.neurons(), settings.calibrationS(), settings.seed());
        FloatEpropLearner learner =
                settings.eprop()
                        ? new FloatEpropLearner(
                                net,
                                EpropConfig.builder()
                                        .learningRate(2e-4)
                                        .updateIntervalSteps(100)
                                        .maxWeightChange(0.01)
                                        .build())
                        : null;
        out.printf(
                Locale.ROOT,
                "reference decoder ready in %.1f s (96 -> %d LIF -> 2, readout fitted on %.0f s of"
                        + " calibration); e-prop %s%n",
                (System.nanoTime() - t0) / 1e9,
                settings.neurons(),
                settings.calibrationS(),
                learner != null ? "on" : "off");

        float[] x = new float[units];
        float[] y = new float[2];
        float[] target = new float[2];
        double[] velocity = new double[2];
        double[] truth = new double[2];
        double[] predicted = new double[2];
        SlidingR2 r2 = new SlidingR2(2, 5000);
        Histogram latencyNs = new Histogram(1_000_000_000L, 3);
        long totalSteps =
                settings.durationS() > 0 ? Math.round(settings.durationS() * 1000) : Long.MAX_VALUE;
        long driftStep = Math.round(settings.driftAtS() * 1000);
        long deadlineMisses = 0;
        long spikes = 0;
        long step = 0;
        long start = System.nanoTime();
        long next = start;
        while (running.get() && step < totalSteps) {
            next += STEP_NS;
            if (step == driftStep) {
                rig.rotatePreferredDirections(settings.rotationDeg());
                out.printf(
                        Locale.ROOT,
                        "t=%5.1fs  DRIFT: preferred directions rotated by %.0f deg%n",
                        step / 1000.0,
                        settings.rotationDeg());
            }
            rig.step(x, velocity);
            long began = System.nanoTime();
            net.step(x, y);
            if (learner != null) {
                target[0] = (float) DemoDecoder.scaleVelocity(velocity[0]);
                target[1] = (float) DemoDecoder.scaleVelocity(velocity[1]);
                learner.step(x, y, target);
            }
            long done = System.nanoTime();
            latencyNs.recordValue(Math.min(done - began, 999_999_999L));
            if (done > next) {
                deadlineMisses++;
            }
            spikes += net.layer(0).spikeCount();
            truth[0] = DemoDecoder.scaleVelocity(velocity[0]);
            truth[1] = DemoDecoder.scaleVelocity(velocity[1]);
            predicted[0] = y[0];
            predicted[1] = y[1];
            r2.add(truth, predicted);
            step++;
            if (step % 1000 == 0) {
                out.printf(
                        Locale.ROOT,
                        "t=%5.1fs  R2(5s)=%6.3f  step p99(1s)=%6.1fus  deadline misses=%d  rate=%5.1fHz"
                                + "  learning updates=%d%n",
                        step / 1000.0,
                        r2.value(),
                        latencyNs.getValueAtPercentile(99.0) / 1000.0,
                        deadlineMisses,
                        spikes / (double) net.layer(0).size(),
                        learner != null ? learner.updatesApplied() : 0);
                spikes = 0;
                latencyNs.reset();
            }
            waitUntil(next);
        }
        return new Summary(step, r2.value(), deadlineMisses);
    }

    /** What the run ended with. */
    public record Summary(long steps, double lastR2, long deadlineMisses) {}

    private static void waitUntil(long deadlineNs) {
        long left;
        while ((left = deadlineNs - System.nanoTime()) > 0) {
            if (left > SPIN_BELOW_NS) {
                LockSupport.parkNanos(left - SPIN_BELOW_NS);
            } else {
                Thread.onSpinWait();
            }
        }
    }
}
