package org.spikeloop.learn.trials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class WindowedDecisionTest {
    @Test
    void shouldDecideOnTheSoftmaxOfTheWindowAverage() {
        WindowedDecision d = new WindowedDecision(3);
        d.add(new float[] {1, 0, 0});
        d.add(new double[] {0, 3, 0}); // mean (0.5, 1.5, 0)
        double[] p = new double[3];
        assertThat(d.decide(p)).isEqualTo(1);
        double z = Math.exp(0.5) + Math.exp(1.5) + 1;
        assertThat(p[0]).isCloseTo(Math.exp(0.5) / z, within(1e-15));
        assertThat(p[1]).isCloseTo(Math.exp(1.5) / z, within(1e-15));
        assertThat(p[2]).isCloseTo(1 / z, within(1e-15));
        double[] mean = new double[3];
        d.logits(mean);
        assertThat(mean).containsExactly(0.5, 1.5, 0.0);
        assertThat(d.frames()).isEqualTo(2);
    }

    @Test
    void shouldDecideOnTheSoftmaxOfTheWindowsSpikeCountsWhenSumming() {
        WindowedDecision d = new WindowedDecision(2, WindowedDecision.Aggregate.SUM);
        for (int t = 0; t < 5; t++) { // output 0 spikes 3 times in 5 frames, output 1 once
            d.add(new float[] {t < 3 ? 1 : 0, t == 4 ? 1 : 0});
        }
        double[] counts = new double[2];
        d.logits(counts);
        assertThat(counts).containsExactly(3.0, 1.0);
        double[] p = new double[2];
        assertThat(d.decide(p)).isZero();
        // softmax of the counts (3, 1), not of the rates (0.6, 0.2)
        assertThat(p[0]).isCloseTo(1 / (1 + Math.exp(-2.0)), within(1e-15));
        assertThat(WindowedDecision.Aggregate.of(true)).isEqualTo(WindowedDecision.Aggregate.SUM);
        assertThat(WindowedDecision.Aggregate.of(false)).isEqualTo(WindowedDecision.Aggregate.MEAN);
    }

    @Test
    void shouldShiftTheLogitsByTheOffsets() {
        WindowedDecision d = new WindowedDecision(2);
        d.add(new double[] {1, 0});
        d.offsets(new double[] {-0.6, 0.6});
        double[] p = new double[2];
        assertThat(d.decide(p)).isEqualTo(1);
        assertThat(p[1]).isCloseTo(1 / (1 + Math.exp(-0.2)), within(1e-15));
        d.reset();
        d.add(new double[] {2, 0});
        assertThat(d.decide(p)).isZero(); // offsets stay over a reset
    }

    @Test
    void shouldNotOverflowOnLargeLogitsAndBreakTiesTowardsTheLowestIndex() {
        double[] v = {1000, 1000, -1000};
        assertThat(WindowedDecision.softmax(v, 3)).isZero();
        assertThat(v).containsExactly(0.5, 0.5, 0.0);
    }

    @Test
    void shouldRefuseAnEmptyWindowAndBadOffsets() {
        WindowedDecision d = new WindowedDecision(2);
        assertThatThrownBy(() -> d.decide(new double[2]))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("the window holds no frame");
        assertThatThrownBy(() -> d.offsets(new double[3]))
                .hasMessage("offsets have length 3, the readout has 2");
        assertThatThrownBy(() -> d.offsets(new double[] {0, Double.NaN}))
                .hasMessage("offsets must be finite, got NaN");
    }

    @Test
    void shouldAllocateNothingPerFrameOrDecision() {
        WindowedDecision d = new WindowedDecision(4);
        float[] y = {0.1f, 0.2f, 0.3f, 0.4f};
        double[] p = new double[4];
        long best = Long.MAX_VALUE;
        for (int round = 0; round < 10; round++) {
            long before = allocated();
            for (int i = 0; i < 10_000; i++) {
                d.add(y);
                if (i % 100 == 99) {
                    d.decide(p);
                    d.reset();
                }
            }
            best = Math.min(best, allocated() - before);
        }
        assertThat(best).isZero();
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean)
                    java.lang.management.ManagementFactory.getThreadMXBean();

    private static long allocated() {
        return THREADS.getCurrentThreadAllocatedBytes();
    }
}
