package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.metrics.LatencyMetrics;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.spec.InitSpec;

/** The engine of a marker-labelled session: trial windows, decisions, calibration. */
class EngineAgentTrialsTest {
    private static EngineFixture fixture(boolean eprop) {
        return new EngineFixture(8, 32, 2, 7L, null, eprop, true);
    }

    private static void enable(EngineFixture f) throws Exception {
        var on = f.engine.offer(EngineCommand.of(e -> e.setMode(LearningMode.ENABLED)));
        f.engine.doWork();
        on.get();
    }

    /** Steps stamped t·1 ms for t in [from, to). */
    private static void run(EngineFixture f, int from, int to) {
        for (int t = from; t < to; t++) {
            f.input.offer(f.row(t), 0, t * 1e-3, f.clock.nowNs);
            f.clock.nowNs += 1_000_000;
            f.engine.doWork();
        }
    }

    @Test
    void shouldLabelTheFramesOfAWindowWithItsClassAndPublishItsDecision() {
        EngineFixture f = fixture(false);
        f.events.offerOpen(0, 1, "right", 0.010, 0.020);
        FrameCursor frames = f.frames.newCursor();
        Frame frame = new Frame(2);
        int labelled = 0;
        run(f, 0, 30);
        while (frames.poll(frame)) {
            boolean inside = frame.sourceTimestampS >= 0.010 - 1e-12 && frame.step < 20;
            assertThat(frame.hasLabel).as("step %d", frame.step).isEqualTo(inside);
            if (frame.hasLabel) {
                assertThat(frame.label).containsExactly(0f, 1f);
                labelled++;
            }
        }
        assertThat(labelled).isEqualTo(10);
        Decision d = new Decision(2);
        DecisionCursor c = new DecisionCursor(f.decisions, 0);
        assertThat(c.poll(d)).isTrue();
        assertThat(d.frames).isEqualTo(10);
        assertThat(d.decided()).isTrue();
        assertThat(d.learned).isFalse();
    }

    @Test
    void shouldLearnOnlyInsideWindowsAndApplyEachWindowsUpdateAtItsEnd() throws Exception {
        EngineFixture f = fixture(true);
        enable(f);
        run(f, 0, 50); // no window yet: nothing to learn
        assertThat(f.counters.learningUpdates.get()).isZero();
        f.events.offerOpen(0, 0, "left", 0.050, 0.090);
        run(f, 50, 89);
        assertThat(f.counters.learningUpdates.get()).as("still inside the window").isZero();
        // The window ends at 90 ms: its update falls due (the synaptic rows land over the next
        // two e-prop windows of W steps, then the update counts).
        run(f, 89, 200);
        assertThat(f.counters.learningUpdates.get()).isEqualTo(1);
        run(f, 200, 400);
        assertThat(f.counters.learningUpdates.get()).as("no window, no update").isEqualTo(1);
        Decision d = new Decision(2);
        assertThat(new DecisionCursor(f.decisions, 0).poll(d)).isTrue();
        assertThat(d.learned).isTrue();
    }

    @Test
    void shouldCalibrateTheReadoutBiasWhenLearningLeavesEnabled() throws Exception {
        EngineFixture f = fixture(true);
        enable(f);
        for (int t = 0; t < 4; t++) {
            f.events.offerOpen(t, t % 2, t % 2 == 0 ? "left" : "right", t * 0.1, t * 0.1 + 0.05);
        }
        run(f, 0, 420);
        assertThat(f.trials.calibrationTrials()).isEqualTo(4);
        var paused = f.engine.offer(EngineCommand.of(e -> e.setMode(LearningMode.PAUSED)));
        f.engine.doWork();
        assertThat(paused.get().calibration())
                .startsWith("readout bias shifted by [")
                .contains("from 4 labelled trial windows");
        assertThat(f.trials.calibrationTrials()).isZero();
        var state = f.engine.offer(EngineCommand.of(EngineAgent::learningState));
        f.engine.doWork();
        assertThat(state.get().calibration()).isEqualTo(paused.get().calibration());
    }

    @Test
    void shouldForgetTheCalibrationWindowsWhenNewWeightsAreLoaded() throws Exception {
        EngineFixture f = fixture(true);
        enable(f);
        f.events.offerOpen(0, 0, "left", 0.0, 0.05);
        run(f, 0, 60);
        assertThat(f.trials.calibrationTrials()).isEqualTo(1);
        var loaded =
                f.engine.offer(
                        EngineCommand.of(
                                e ->
                                        e.load(
                                                Initializer.initialise(f.spec, InitSpec.seeded(5)),
                                                "ck")));
        f.engine.doWork();
        assertThat(loaded.get().calibration()).contains("dropped");
        assertThat(f.trials.calibrationTrials()).isZero();
    }

    @Test
    void shouldRefuseTrialWindowsOfAnotherWidth() {
        EngineFixture f = new EngineFixture();
        TrialWindows three = new TrialWindows(new TrialEventRing(4), new DecisionRing(3, 4));
        assertThatThrownBy(() -> f.engine.withTrialWindows(three))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("3 classes but the decoder has 2 outputs");
    }

    /**
     * The 0 B contract with trial windows: windows open and close every 100 steps (each close
     * decides, publishes, keeps the window for calibration and applies e-prop's cross-entropy
     * update), and still no step allocates.
     */
    @Test
    void shouldAllocateZeroBytesPerStepWithTrialWindowsAndCrossEntropyEprop() throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        LatencyMetrics timers = new LatencyMetrics("s-1");
        timers.bindTo(registry);
        EngineFixture f = new EngineFixture(96, 256, 2, 3L, timers.recorders(), true, true);
        enable(f);
        float[][] rows = new float[64][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = f.row(i);
        }
        String[] cues = {"left", "right"};
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        DecisionCursor reader = f.decisions.newCursor();
        Decision d = new Decision(2);
        runWithWindows(f, rows, cues, reader, d, 0, 30_000); // warm-up
        int rounds = 7;
        int perRound = 10_000;
        long[] bytes = new long[rounds];
        int zeroRounds = 0;
        for (int r = 0; r < rounds; r++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            runWithWindows(f, rows, cues, reader, d, 30_000 + r * perRound, perRound);
            bytes[r] = threads.getCurrentThreadAllocatedBytes() - before;
            if (bytes[r] == 0) {
                zeroRounds++;
            }
        }
        System.out.printf(
                "engine cycle with trial windows: allocation per round of %d steps (bytes): %s%n",
                perRound, java.util.Arrays.toString(bytes));
        assertThat(f.trials.decisions()).isGreaterThan(300);
        assertThat(f.counters.learningUpdates.get()).isGreaterThan(300);
        assertThat(zeroRounds).isGreaterThan(rounds / 2);
        for (long b : bytes) {
            assertThat((double) b / perRound).isLessThan(0.5);
        }
    }

    private static void runWithWindows(
            EngineFixture f,
            float[][] rows,
            String[] cues,
            DecisionCursor reader,
            Decision d,
            int from,
            int n) {
        for (int t = from; t < from + n; t++) {
            if (t % 100 == 0) {
                int cls = (t / 100) & 1;
                f.events.offerOpen(t / 100, cls, cues[cls], t * 1e-3, (t + 80) * 1e-3);
            }
            f.input.offer(rows[t & 63], 0, t * 1e-3, f.clock.nowNs);
            f.clock.nowNs += 1_000_000;
            f.engine.doWork();
            while (reader.poll(d)) {
                // a reader keeps up, as the publishers do
            }
        }
    }
}
