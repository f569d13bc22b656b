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
    void shouldNotTurnStalledRightAfterDecodingRowsChargedWithOldArrivals() {
        // A reconnected LSL inlet hands over samples pushed 3 s ago, charged with their stamps.
        EngineFixture f = new EngineFixture();
        long old = f.clock.nowNs;
        f.clock.nowNs += 3_000_000_000L; // longer ago than the 2-s stall limit
        for (int t = 0; t < 3; t++) {
            f.input.offer(f.row(t), 0, 1.0 + t * 1e-3, old + t * 1_000_000L);
        }
        f.engine.doWork();
        assertThat(f.counters.steps.get()).isPositive();
        f.clock.nowNs += 1_000_000; // the next, idle cycle
        f.engine.doWork();
        assertThat(f.engine.status()).isEqualTo(SessionStatus.RUNNING);
        assertThat(f.counters.stalls.get()).isZero();
        f.clock.nowNs += 2_000_000_001L; // then silence for longer than the limit
        f.engine.doWork();
        assertThat(f.engine.status()).isEqualTo(SessionStatus.STALLED);
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
        EngineFixture learning = new EngineFixture(8, 32, 2, 7L, null, true);
        EngineFixture paused = new EngineFixture(8, 32, 2, 7L, null, true);
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
        EngineFixture f = new EngineFixture(8, 32, 2, 7L, null, true);
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

    // ---- live edge (issue 17) ----

    private static final long MS = 1_000_000L;

    /** Offers {@code n} rows stamped from {@code fromS} on, all arriving at {@code arrivalNs}. */
    private static void offerRows(EngineFixture f, int first, int n, double fromS, long arrivalNs) {
        for (int i = 0; i < n; i++) {
            assertThat(f.input.offer(f.row(first + i), 0, fromS + i * 1e-3, arrivalNs)).isTrue();
        }
    }

    @Test
    void shouldSkipToTheNewestRowWhenBehindByMoreThanTheBound() {
        EngineFixture f = new EngineFixture();
        f.engine.withLiveEdge(LiveEdge.skipBeyondMs(50)).onStart();
        long arrival = f.clock.nowNs;
        offerRows(f, 0, 100, 1.0, arrival); // 100 ms of signal waiting...
        f.clock.nowNs = arrival + 60 * MS; // ...since 60 ms: the engine fell behind
        FrameCursor cursor = f.frames.newCursor();
        Frame frame = new Frame(2);
        f.engine.doWork();
        assertThat(cursor.poll(frame)).isTrue();
        assertThat(frame.sourceTimestampS)
                .isEqualTo(1.099, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(frame.samplesSkipped).isEqualTo(99);
        assertThat(cursor.poll(frame)).isFalse(); // one frame: the live edge
        assertThat(f.counters.samplesSkipped.get()).isEqualTo(99);
        assertThat(f.counters.liveEdgeSkips.get()).isEqualTo(1);
        assertThat(f.counters.steps.get()).isEqualTo(1);
        assertThat(f.counters.deadlineMisses.get()).isEqualTo(1); // the newest waited 60 ms too
        assertThat(f.counters.samplesSkippedAtStart.get()).isZero();
    }

    @Test
    void shouldDecodeAChunkThatJustArrivedInOnePieceWithoutSkipping() {
        EngineFixture f = new EngineFixture();
        f.engine.withLiveEdge(LiveEdge.skipBeyondMs(50)).onStart();
        f.clock.nowNs += 10 * MS;
        offerRows(f, 0, 100, 1.0, f.clock.nowNs); // a 100-ms block, just delivered
        f.engine.doWork();
        f.clock.nowNs += MS;
        f.engine.doWork();
        assertThat(f.counters.steps.get()).isEqualTo(100);
        assertThat(f.counters.samplesSkipped.get()).isZero();
        assertThat(f.counters.liveEdgeSkips.get()).isZero();
    }

    @Test
    void shouldDecodeEveryRowWhenTheBacklogIsWithinTheBound() {
        EngineFixture f = new EngineFixture();
        f.engine.withLiveEdge(LiveEdge.skipBeyondMs(50)).onStart();
        long arrival = f.clock.nowNs;
        offerRows(f, 0, 40, 1.0, arrival); // 40 ms waiting for 60 ms: late, not beyond the bound
        f.clock.nowNs = arrival + 60 * MS;
        f.engine.doWork();
        assertThat(f.counters.steps.get()).isEqualTo(40);
        assertThat(f.counters.samplesSkipped.get()).isZero();
        assertThat(f.counters.deadlineMisses.get()).isEqualTo(40);
    }

    @Test
    void shouldDecodeEverythingInOrderWhenTheSessionAsksForIt() {
        EngineFixture f = new EngineFixture();
        f.engine.withLiveEdge(LiveEdge.DECODE_EVERYTHING).onStart();
        long arrival = f.clock.nowNs - 5 * MS; // before the start, too
        offerRows(f, 0, 100, 1.0, arrival);
        f.clock.nowNs = arrival + 500 * MS;
        f.engine.doWork();
        f.engine.doWork();
        assertThat(f.counters.steps.get()).isEqualTo(100);
        assertThat(f.counters.samplesSkipped.get()).isZero();
        assertThat(f.counters.samplesSkippedAtStart.get()).isZero();
    }

    @Test
    void shouldStartAtTheLiveEdgeWithoutCountingWhatArrivedDuringCreationAsMisses() {
        EngineFixture f = new EngineFixture();
        f.engine.withLiveEdge(LiveEdge.skipBeyondMs(50));
        long created = f.clock.nowNs;
        offerRows(f, 0, 30, 1.0, created); // arrived while the session was being created
        f.clock.nowNs = created + 30 * MS;
        f.engine.onStart(); // the pool starts the engine
        offerRows(f, 30, 1, 1.03, f.clock.nowNs); // the first sample after the start
        FrameCursor cursor = f.frames.newCursor();
        Frame frame = new Frame(2);
        f.engine.doWork();
        assertThat(cursor.poll(frame)).isTrue();
        assertThat(frame.sourceTimestampS).isEqualTo(1.03);
        assertThat(frame.samplesSkipped).isZero(); // not a gap in the decoded stream
        assertThat(f.counters.samplesSkippedAtStart.get()).isEqualTo(30);
        assertThat(f.counters.samplesSkipped.get()).isZero();
        assertThat(f.counters.deadlineMisses.get()).isZero();
        assertThat(f.counters.steps.get()).isEqualTo(1);
        // A row pulled later but charged with a time before the start is still not decoded.
        offerRows(f, 31, 1, 1.001, created + MS);
        offerRows(f, 32, 1, 1.031, f.clock.nowNs);
        f.engine.doWork();
        assertThat(f.counters.steps.get()).isEqualTo(3); // both decoded: the edge was reached
    }

    @Test
    void shouldApplyTheLabelsOfTheSkippedRowsInOrder() {
        EngineFixture f = new EngineFixture();
        f.engine.withLiveEdge(LiveEdge.skipBeyondMs(50)).onStart();
        long arrival = f.clock.nowNs;
        f.labels.offer(new float[] {0.1f, 0.1f}, 0, 1.010, arrival);
        f.labels.offer(new float[] {0.7f, -0.7f}, 0, 1.050, arrival);
        f.labels.offer(new float[] {0.9f, 0.9f}, 0, 1.200, arrival); // after the newest row
        offerRows(f, 0, 100, 1.0, arrival);
        f.clock.nowNs = arrival + 60 * MS;
        FrameCursor cursor = f.frames.newCursor();
        Frame frame = new Frame(2);
        f.engine.doWork();
        assertThat(cursor.poll(frame)).isTrue();
        assertThat(frame.hasLabel).isTrue();
        assertThat(frame.label).containsExactly(0.7f, -0.7f); // the last one stamped <= 1.099
    }

    /**
     * No e-prop update spans a skip: the engine that skipped learns exactly as one that stepped the
     * same rows and restarted its learner's traces at the gap (pending work applied first), and
     * unlike one that carried its traces across.
     */
    @Test
    void shouldRestartTheLearnersTracesAtASkip() throws Exception {
        EngineFixture skipping = learningFixture();
        EngineFixture restarted = learningFixture();
        EngineFixture carried = learningFixture();
        skipping.engine.withLiveEdge(LiveEdge.skipBeyondMs(50)).onStart();
        for (EngineFixture f : new EngineFixture[] {skipping, restarted, carried}) {
            f.labels.offer(new float[] {0.5f, -0.5f}, 0, 0.0, f.clock.nowNs);
            for (int t = 0; t < 30; t++) { // decoded on time
                offerRows(f, t, 1, 1.0 + t * 1e-3, f.clock.nowNs);
                f.engine.doWork();
                f.clock.nowNs += MS;
            }
        }
        // The skipping engine falls 100 rows behind and skips to the newest (row 129)...
        long arrival = skipping.clock.nowNs;
        offerRows(skipping, 30, 100, 1.030, arrival);
        skipping.clock.nowNs = arrival + 60 * MS;
        skipping.engine.doWork();
        assertThat(skipping.counters.samplesSkipped.get()).isEqualTo(99);
        // ...the others step row 129 directly, one after restarting its traces.
        restarted.learner.resetTraces();
        for (EngineFixture f : new EngineFixture[] {restarted, carried}) {
            offerRows(f, 129, 1, 1.129, f.clock.nowNs);
            f.engine.doWork();
        }
        for (EngineFixture f : new EngineFixture[] {skipping, restarted, carried}) {
            for (int t = 130; t < 200; t++) {
                f.clock.nowNs += MS;
                offerRows(f, t, 1, 1.0 + t * 1e-3, f.clock.nowNs);
                f.engine.doWork();
            }
        }
        double[] w = weights(skipping);
        assertThat(skipping.counters.learningUpdates.get())
                .isEqualTo(restarted.counters.learningUpdates.get())
                .isGreaterThan(2);
        assertThat(w).containsExactly(weights(restarted));
        assertThat(w).isNotEqualTo(weights(carried));
    }

    private static EngineFixture learningFixture() throws Exception {
        EngineFixture f = new EngineFixture(8, 32, 2, 7L, null, true);
        var on = f.engine.offer(EngineCommand.of(e -> e.setMode(LearningMode.ENABLED)));
        f.engine.doWork();
        on.get();
        return f;
    }

    private static double[] weights(EngineFixture f) throws Exception {
        var exported = f.engine.offer(EngineCommand.of(EngineAgent::exportParams));
        f.engine.doWork();
        return exported.get().get("layer0.w_in").data();
    }

    /**
     * Skipping is part of the data path too: a skip (and the learner's restart) allocates nothing.
     */
    @Test
    void shouldSkipWithoutAllocating() throws Exception {
        EngineFixture f = learningFixture();
        f.engine.withLiveEdge(LiveEdge.skipBeyondMs(50)).onStart();
        f.labels.offer(new float[] {0.5f, -0.5f}, 0, 0.0, f.clock.nowNs);
        float[][] rows = new float[64][];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = f.row(i);
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] bytes = new long[8];
        double t = 1.0;
        for (int r = -20; r < bytes.length; r++) { // 20 warm-up rounds
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int k = 0; k < 20; k++) {
                long arrival = f.clock.nowNs;
                for (int i = 0; i < 100; i++) {
                    f.input.offer(rows[i & 63], 0, t, arrival);
                    t += 1e-3;
                }
                f.clock.nowNs += 60 * MS;
                f.engine.doWork();
            }
            if (r >= 0) {
                bytes[r] = threads.getCurrentThreadAllocatedBytes() - before;
            }
        }
        System.out.printf(
                "engine skips: bytes per round of 20 skips %s%n", java.util.Arrays.toString(bytes));
        assertThat(f.counters.liveEdgeSkips.get()).isEqualTo(28 * 20);
        assertThat(java.util.Arrays.stream(bytes).min().getAsLong()).isZero();
        assertThat(java.util.Arrays.stream(bytes).max().getAsLong()).isLessThan(16 * 20);
    }

    /**
     * The data-path contract: a full engine cycle (live-edge check, ring read, label check, kernel
     * step, frame publish, HdrHistogram latency records, counters) allocates nothing per step.
     * Measured with the thread's allocation counter over rounds of 20 000 steps after warm-up; the
     * JVM itself occasionally charges a few bytes to the thread (JIT deoptimisation, TLAB
     * retirement), so the check is: most rounds exactly 0 bytes, and no round near one object per
     * step (16 B/step).
     */
    @org.junit.jupiter.params.ParameterizedTest(name = "e-prop on: {0}")
    @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
    void shouldAllocateZeroBytesPerStep(boolean eprop) throws Exception {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        // The session's own latency recorders, as the server registers them.
        LatencyMetrics timers = new LatencyMetrics("s-1");
        timers.bindTo(registry);
        EngineFixture f = new EngineFixture(96, 256, 2, 3L, timers.recorders(), eprop);
        f.engine.withLiveEdge(LiveEdge.skipBeyondMs(50)).onStart(); // as sessions run by default
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

    @Test
    void shouldRejectQueuedAndLaterCommandsAtOnceWhenItsThreadDied() {
        EngineFixture f = new EngineFixture();
        var queued = f.engine.offer(EngineCommand.of(EngineAgent::steps));
        assertThat(queued).isNotDone(); // nothing runs the engine: as after its thread died
        // What the pool's monitor does once the thread is gone (Agrona closes nothing then).
        f.engine.onAgentFailure(new OutOfMemoryError("injected: Java heap space"));
        f.engine.onThreadDeath();
        assertThat(queued).isCompletedExceptionally();
        assertThatThrownBy(queued::join)
                .hasCauseInstanceOf(EngineRejectedException.class)
                .hasMessageContaining("its engine thread died");
        var later = f.engine.offer(EngineCommand.of(EngineAgent::steps));
        assertThatThrownBy(later::join).hasCauseInstanceOf(EngineRejectedException.class);
        assertThat(f.engine.status()).isEqualTo(SessionStatus.ERROR);
        assertThat(f.engine.statusReason()).contains("OutOfMemoryError");
    }

    @Test
    void shouldRejectQueuedAndLaterCommandsOnceClosed() {
        EngineFixture f = new EngineFixture();
        var queued = f.engine.offer(EngineCommand.of(EngineAgent::steps));
        f.engine.onClose();
        assertThatThrownBy(queued::join).hasCauseInstanceOf(EngineRejectedException.class);
        assertThatThrownBy(f.engine.offer(EngineCommand.of(EngineAgent::steps))::join)
                .hasCauseInstanceOf(EngineRejectedException.class)
                .hasMessageContaining("is stopped");
    }

    @Test
    void shouldNeverRunACommandThatExpiredWhileQueued() {
        EngineFixture f = new EngineFixture();
        int[] runs = new int[1];
        EngineCommand<Integer> late =
                EngineCommand.of(
                        e -> {
                            runs[0]++;
                            return 1;
                        });
        var reply = f.engine.offer(late);
        assertThat(
                        late.expire(
                                new IllegalStateException("not run"),
                                new IllegalStateException("running")))
                .isTrue();
        f.engine.doWork();
        assertThat(runs[0]).isZero();
        assertThatThrownBy(reply::join).hasMessageContaining("not run");
    }

    @Test
    void shouldTellItsPublishersWhenItFails() {
        EngineFixture f = new EngineFixture();
        int[] told = new int[1];
        f.engine.whenFailed(() -> told[0]++);
        f.engine.offer(
                EngineCommand.of(
                        e -> {
                            throw new AssertionError("injected");
                        }));
        try {
            f.engine.doWork();
        } catch (AssertionError expected) {
            f.engine.onAgentFailure(expected); // what its pool's guard does
        }
        assertThat(told[0]).isEqualTo(1);
        assertThat(f.engine.status()).isEqualTo(SessionStatus.ERROR);
    }
}
