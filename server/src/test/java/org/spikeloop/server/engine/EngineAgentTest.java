package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.metrics.LatencyMetrics;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;

class EngineAgentTest {

    @Test
    void shouldPublishOneFrameMatchingTheKernelPerSample() {
        EngineFixture f = new EngineFixture();
        FloatNetwork reference = new FloatNetwork(f.spec, f.params);
        float[] expected = new float[2];
        FrameCursor cursor = f.frames.newCursor();
        Frame frame = new Frame(2);
        for (long t = 0; t < 50; t++) {
            assertThat(f.input.offer(f.row(t), 0, 10.0 + t * 1e-3, f.clock.nowNs)).isTrue();
            assertThat(f.engine.doWork()).isGreaterThan(0);
            reference.step(f.row(t), expected);
            assertThat(cursor.poll(frame)).isTrue();
            assertThat(frame.step).isEqualTo(t);
            assertThat(frame.outputs).containsExactly(expected);
            assertThat(frame.sourceTimestampS).isEqualTo(10.0 + t * 1e-3);
        }
        assertThat(f.counters.steps.get()).isEqualTo(50);
    }

    @Test
    void shouldCountADeadlineMissWhenTheFrameIsPublishedLaterThanArrivalPlusDt() {
        EngineFixture f = new EngineFixture();
        long arrival = f.clock.nowNs;
        f.input.offer(f.row(0), 0, 1.0, arrival);
        f.clock.nowNs = arrival + 500_000; // 0.5 ms later: inside dt = 1 ms
        f.engine.doWork();
        assertThat(f.counters.deadlineMisses.get()).isZero();
        f.input.offer(f.row(1), 0, 1.001, f.clock.nowNs);
        f.clock.nowNs += 1_000_001; // queued longer than dt: a miss, although compute took 0 ns
        f.engine.doWork();
        assertThat(f.counters.deadlineMisses.get()).isEqualTo(1);
        Frame frame = new Frame(2);
        FrameCursor c = new FrameCursor(f.frames, 1);
        assertThat(c.poll(frame)).isTrue();
        assertThat(frame.deadlineMissed).isTrue();
    }

    @Test
    void shouldTurnStalledAfterTheStallLimitAndRecoverOnTheNextSample() {
        EngineFixture f = new EngineFixture();
        f.input.offer(f.row(0), 0, 0.5, f.clock.nowNs);
        f.engine.doWork();
        assertThat(f.engine.status()).isEqualTo(SessionStatus.RUNNING);
        f.clock.nowNs += 2_000_000_001L;
        f.engine.doWork();
        assertThat(f.engine.status()).isEqualTo(SessionStatus.STALLED);
        f.engine.doWork();
        assertThat(f.counters.stalls.get()).isEqualTo(1);
        f.input.offer(f.row(0), 0, 1.0, f.clock.nowNs);
        f.engine.doWork();
        assertThat(f.engine.status()).isEqualTo(SessionStatus.RUNNING);
    }

    @Test
    void shouldCountNoStallBeforeTheFirstSample() {
        EngineFixture f = new EngineFixture();
        for (int i = 0; i < 10; i++) { // 10 s of a source that has not started yet
            f.clock.nowNs += 1_000_000_000L;
            f.engine.doWork();
        }
        assertThat(f.engine.status()).isEqualTo(SessionStatus.RUNNING);
        assertThat(f.counters.stalls.get()).isZero();
        f.input.offer(f.row(0), 0, 1.0, f.clock.nowNs);
        f.engine.doWork();
        f.clock.nowNs += 2_000_000_001L;
        f.engine.doWork();
        assertThat(f.engine.status()).isEqualTo(SessionStatus.STALLED);
        assertThat(f.counters.stalls.get()).isEqualTo(1);
    }

    @Test
    void shouldApplyLabelsByTimestampAndTrackTheError() {
        EngineFixture f = new EngineFixture();
        f.labels.offer(new float[] {0.5f, -0.5f}, 0, 1.0005, f.clock.nowNs);
        FrameCursor cursor = f.frames.newCursor();
        Frame frame = new Frame(2);
        f.input.offer(f.row(0), 0, 1.0, f.clock.nowNs);
        f.engine.doWork();
        assertThat(cursor.poll(frame)).isTrue();
        assertThat(frame.hasLabel).isFalse(); // the label starts after this sample
        f.input.offer(f.row(1), 0, 1.001, f.clock.nowNs);
        f.engine.doWork();
        assertThat(cursor.poll(frame)).isTrue();
        assertThat(frame.hasLabel).isTrue();
        assertThat(frame.label).containsExactly(0.5f, -0.5f);
        assertThat(f.engine.recentError()).isFinite();
    }

    @Test
    void shouldEndTheLabelAtAClearRowSoTheStepsAfterItCarryNone() {
        EngineFixture f = new EngineFixture();
        f.labels.offer(new float[] {0.5f, -0.5f}, 0, 1.0, f.clock.nowNs);
        float[] clear = {EngineAgent.CLEAR_LABEL, EngineAgent.CLEAR_LABEL};
        f.labels.offer(clear, 0, 1.002, f.clock.nowNs);
        FrameCursor cursor = f.frames.newCursor();
        Frame frame = new Frame(2);
        boolean[] labelled = new boolean[4];
        for (int i = 0; i < 4; i++) {
            f.input.offer(f.row(i), 0, 1.0 + i * 0.001, f.clock.nowNs);
            f.engine.doWork();
            assertThat(cursor.poll(frame)).isTrue();
            labelled[i] = frame.hasLabel;
        }
        assertThat(labelled).containsExactly(true, true, false, false);
        assertThat(f.counters.labelsApplied.get()).isEqualTo(1);
    }

    @Test
    void shouldLoadWeightsAndRollBackThroughCommands() throws Exception {
        EngineFixture f = new EngineFixture();
        NetworkParams other = Initializer.initialise(f.spec, InitSpec.seeded(99));
        var loaded = f.engine.offer(EngineCommand.of(e -> e.load(other, "ck-other")));
        f.engine.doWork();
        assertThat(loaded.get().activeCheckpoint()).isEqualTo("ck-other");
        assertThat(loaded.get().rollbackDepth()).isEqualTo(1);
        var back = f.engine.offer(EngineCommand.of(EngineAgent::rollBack));
        f.engine.doWork();
        assertThat(back.get().activeCheckpoint()).isEmpty();
        assertThat(back.get().weightNorm())
                .isCloseTo(
                        EngineAgent.weightNorm(f.params),
                        org.assertj.core.data.Offset.offset(1e-6));
        var again = f.engine.offer(EngineCommand.of(EngineAgent::rollBack));
        f.engine.doWork();
        assertThatThrownBy(again::get)
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(EngineRejectedException.class)
                .hasMessageContaining("no earlier weights");
    }

    @Test
    void shouldLoadOverNonFiniteWeightsDroppingThemAndRecordingTheActiveId() throws Exception {
        EngineFixture f = new EngineFixture();
        var poisoned =
                f.engine.offer(
                        EngineCommand.of(
                                e -> {
                                    ((NetworkDecoder) e.decoder())
                                                    .network()
                                                    .liveParameter("readout.w_out")[0] =
                                            Float.NaN;
                                    return e.learningState();
                                }));
        f.engine.doWork();
        poisoned.get();
        NetworkParams good = Initializer.initialise(f.spec, InitSpec.seeded(99));
        var loaded = f.engine.offer(EngineCommand.of(e -> e.load(good, "ck-good")));
        f.engine.doWork();
        assertThat(loaded.get().activeCheckpoint()).isEqualTo("ck-good");
        assertThat(loaded.get().rollbackDepth()).isZero(); // the NaN weights were not kept
        var exported = f.engine.offer(EngineCommand.of(EngineAgent::exportParams));
        f.engine.doWork();
        assertThat(exported.get().get("readout.w_out").data()).doesNotContain(Double.NaN);
    }

    @Test
    void shouldReduceTheDecodeErrorWhenLearningIsEnabledAndNotWhenPaused() throws Exception {
        EngineFixture learning = new EngineFixture(8, 32, 2, 7L, null, null, true);
        EngineFixture paused = new EngineFixture(8, 32, 2, 7L, null, null, true);
        var enabled = learning.engine.offer(EngineCommand.of(e -> e.setMode(LearningMode.ENABLED)));
        learning.engine.doWork();
        assertThat(enabled.get().mode()).isEqualTo(LearningMode.ENABLED);
        assertThat(learning.engine.status()).isEqualTo(SessionStatus.LEARNING);
        double[] finalError = new double[2];
        int k = 0;
        for (EngineFixture f : new EngineFixture[] {learning, paused}) {
            f.labels.offer(new float[] {0.5f, -0.5f}, 0, 0.0, f.clock.nowNs);
            for (long t = 0; t < 3000; t++) {
                f.input.offer(f.row(t), 0, 0.001 * (t + 1), f.clock.nowNs);
                f.clock.nowNs += 1_000_000;
                f.engine.doWork();
            }
            finalError[k++] = f.engine.recentError();
        }
        assertThat(learning.counters.learningUpdates.get()).isGreaterThan(100);
        assertThat(paused.counters.learningUpdates.get()).isZero();
        assertThat(finalError[0]).isLessThan(finalError[1] * 0.5);
    }

    @Test
    void shouldRefuseEnablingLearningWhileFrozen() {
        EngineFixture f = new EngineFixture(8, 32, 2, 7L, null, null, true);
        f.engine.offer(EngineCommand.of(e -> e.setMode(LearningMode.FROZEN)));
        var r = f.engine.offer(EngineCommand.of(e -> e.setMode(LearningMode.ENABLED)));
        f.engine.doWork();
        assertThatThrownBy(r::get)
                .hasCauseInstanceOf(EngineRejectedException.class)
                .hasMessageContaining("FROZEN");
    }

    @Test
    void shouldRefuseEnablingLearningWithoutALearner() {
        EngineFixture f = new EngineFixture();
        var r = f.engine.offer(EngineCommand.of(e -> e.setMode(LearningMode.ENABLED)));
        f.engine.doWork();
        assertThatThrownBy(r::get)
                .hasCauseInstanceOf(EngineRejectedException.class)
                .hasMessageContaining("no online learner");
    }

    @Test
    void shouldRefuseCommandsWhenTheQueueIsFull() {
        EngineFixture f = new EngineFixture();
        for (int i = 0; i < 16; i++) {
            f.engine.offer(EngineCommand.of(EngineAgent::steps));
        }
        var overflow = f.engine.offer(EngineCommand.of(EngineAgent::steps));
        assertThat(overflow).isCompletedExceptionally();
        assertThatThrownBy(overflow::get).hasCauseInstanceOf(EngineBusyException.class);
    }

    @Test
    void shouldEnterErrorStateWhenTheDecoderRejectsASampleAndKeepDrainingInput() {
        EngineFixture f = new EngineFixture();
        float[] bad = f.row(0);
        bad[3] = Float.NaN; // ingest filters these; the engine must still survive one
        f.input.offer(bad, 0, 1.0, f.clock.nowNs);
        f.input.offer(f.row(1), 0, 1.001, f.clock.nowNs);
        f.engine.doWork();
        assertThat(f.engine.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(f.engine.statusReason()).contains("decoder step failed").contains("3");
        f.engine.doWork();
        assertThat(f.input.isEmpty()).isTrue();
        assertThat(f.counters.samplesDiscardedAfterError.get()).isEqualTo(1);
    }

    /**
     * The data-path contract: a full engine cycle (ring read, label check, kernel step, frame
     * publish, HdrHistogram and Prometheus timer records, counters) allocates nothing per step.
     * Measured with the thread's allocation counter over rounds of 20 000 steps after warm-up; the
     * JVM itself occasionally charges a few bytes to the thread (JIT deoptimisation, TLAB
     * retirement), so the check is: most rounds exactly 0 bytes, and no round near one object per
     * step (16 B/step).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "e-prop on: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void shouldAllocateZeroBytesPerStep(boolean eprop) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The session's own latency timers, as the server registers them.
        LatencyMetrics timers = new LatencyMetrics("s-1");
        timers.bindTo(registry);
        EngineFixture f =
                new EngineFixture(96, 256, 2, 3L, timers.step(), timers.endToEnd(), eprop);
        if (eprop) {
            var on = f.engine.offer(EngineCommand.of(e -> e.setMode(LearningMode.ENABLED)));
            f.engine.doWork();
            on.get();
        }
        float[][] rows = new float[64][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = f.row(i);
        }
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        runSteps(f, rows, 0, 50_000); // warm-up: JIT-compile the cycle
        int rounds = 7;
        int perRound = 20_000;
        long[] bytes = new long[rounds];
        int zeroRounds = 0;
        for (int r = 0; r < rounds; r++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            runSteps(f, rows, 50_000 + r * perRound, perRound);
            bytes[r] = threads.getCurrentThreadAllocatedBytes() - before;
            if (bytes[r] == 0) {
                zeroRounds++;
            }
        }
        System.out.printf(
                "engine cycle (e-prop %s) allocation per round of %d steps (bytes): %s%n",
                eprop ? "on" : "off", perRound, java.util.Arrays.toString(bytes));
        if (eprop) {
            assertThat(f.counters.learningUpdates.get()).isGreaterThan(0);
        }
        assertThat(f.counters.steps.get()).isEqualTo(50_000 + rounds * perRound);
        assertThat(zeroRounds).isGreaterThan(rounds / 2);
        for (long b : bytes) {
            assertThat((double) b / perRound).isLessThan(0.5);
        }
    }

    private static final float[] LABEL = {0.5f, -0.5f};

    private static void runSteps(EngineFixture f, float[][] rows, int from, int n) {
        for (int t = from; t < from + n; t++) {
            f.input.offer(rows[t & 63], 0, t * 1e-3, f.clock.nowNs);
            if (t % 100 == 0) {
                f.labels.offer(
                        rows[t & 63], 0, t * 1e-3, f.clock.nowNs); // width 2 taken from the row
            }
            f.clock.nowNs += 1_000_000;
            f.engine.doWork();
        }
    }
}
