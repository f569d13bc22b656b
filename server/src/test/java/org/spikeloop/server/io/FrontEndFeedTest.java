package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.server.engine.SampleRing;
import org.spikeloop.signal.FrontEndSpec;
import org.spikeloop.signal.StageSpec;

/** FrontEndFeed: source samples through the front-end into the input ring. */
class FrontEndFeedTest {
    @Test
    void shouldPassSamplesThroughWithoutAFrontEnd() {
        SampleRing ring = new SampleRing(2, 8);
        FrontEndFeed feed = new FrontEndFeed(ring, null);
        assertThat(feed.sourceWidth()).isEqualTo(2);
        assertThat(feed.offer(new float[] {1, 2}, 5.0, 7L)).isTrue();
        assertThat(ring.available()).isEqualTo(1);
        assertThat(ring.peekSourceTimestampS()).isEqualTo(5.0);
        assertThat(ring.peekArrivalNs()).isEqualTo(7L);
    }

    @Test
    void shouldOfferOneBinnedRowPerBinStampedWithItsLastSample() {
        SampleRing ring = new SampleRing(2, 8);
        // 1 kHz spikes binned at 5 ms: one decoder row per 5 source samples.
        FrontEndFeed feed =
                new FrontEndFeed(
                        ring,
                        new FrontEndSpec(2, 1000, List.of(new StageSpec.Binning(0.005))).build());
        for (int i = 0; i < 10; i++) {
            assertThat(feed.offer(new float[] {1, i % 2}, 1.0 + i * 0.001, 100L + i)).isTrue();
            assertThat(ring.available()).isEqualTo((i + 1) / 5);
        }
        float[] row = new float[2];
        ring.readInto(row);
        assertThat(row).containsExactly(5f, 2f);
        // The deadline is counted from the arrival of the last sample the step consumes.
        assertThat(ring.peekSourceTimestampS()).isEqualTo(1.004);
        assertThat(ring.peekArrivalNs()).isEqualTo(104L);
        ring.advance();
        assertThat(ring.peekSourceTimestampS()).isEqualTo(1.009);
        assertThat(ring.peekArrivalNs()).isEqualTo(109L);
    }

    @Test
    void shouldReportAFullRingOnlyWhenARowWasDue() {
        SampleRing ring = new SampleRing(1, 2);
        FrontEndFeed feed =
                new FrontEndFeed(
                        ring,
                        new FrontEndSpec(1, 100, List.of(new StageSpec.Binning(0.02))).build());
        int dropped = 0;
        for (int i = 0; i < 10; i++) {
            dropped += feed.offer(new float[] {1}, i, i) ? 0 : 1;
        }
        assertThat(ring.available()).isEqualTo(2);
        assertThat(dropped).isEqualTo(3); // 5 rows were due, 2 fit
    }

    @Test
    void shouldRefuseAFrontEndWhoseOutputIsNotTheRingsWidth() {
        assertThatThrownBy(
                        () ->
                                new FrontEndFeed(
                                        new SampleRing(3, 8),
                                        new FrontEndSpec(2, 100, List.of()).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("front-end emits 2 values per frame, the input ring holds 3");
    }
}
