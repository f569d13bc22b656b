package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SampleRingTest {
    @Test
    void shouldReturnFalseWhenFullInsteadOfBlocking() {
        SampleRing ring = new SampleRing(3, 4);
        float[] row = {1, 2, 3};
        for (int i = 0; i < 4; i++) {
            assertThat(ring.offer(row, 0, i, i)).isTrue();
        }
        assertThat(ring.offer(row, 0, 9, 9)).isFalse();
        ring.advance();
        assertThat(ring.offer(row, 0, 9, 9)).isTrue();
    }

    @Test
    void shouldDeliverRowsInOrderWithTheirTimes() {
        SampleRing ring = new SampleRing(2, 8);
        ring.offer(new float[] {1, 2}, 0, 0.5, 11);
        ring.offer(new float[] {3, 4}, 0, 0.6, 12);
        float[] dst = new float[2];
        assertThat(ring.peekSourceTimestampS()).isEqualTo(0.5);
        assertThat(ring.peekArrivalNs()).isEqualTo(11);
        ring.readInto(dst);
        ring.advance();
        assertThat(dst).containsExactly(1, 2);
        ring.readInto(dst);
        assertThat(dst).containsExactly(3, 4);
        assertThat(ring.available()).isEqualTo(1);
    }

    @Test
    void shouldRejectAZeroWidth() {
        assertThatThrownBy(() -> new SampleRing(0, 8)).hasMessageContaining("width");
    }

    @Test
    void shouldPassRowsBetweenTwoThreadsWithoutLoss() throws Exception {
        SampleRing ring = new SampleRing(1, 64);
        int n = 200_000;
        Thread producer =
                new Thread(
                        () -> {
                            float[] r = new float[1];
                            for (int i = 0; i < n; ) {
                                r[0] = i;
                                if (ring.offer(r, 0, i, i)) {
                                    i++;
                                } else {
                                    Thread.onSpinWait();
                                }
                            }
                        });
        producer.start();
        float[] dst = new float[1];
        for (int i = 0; i < n; ) {
            if (ring.isEmpty()) {
                Thread.onSpinWait();
                continue;
            }
            ring.readInto(dst);
            assertThat(dst[0]).isEqualTo((float) i);
            assertThat(ring.peekArrivalNs()).isEqualTo(i);
            ring.advance();
            i++;
        }
        producer.join();
    }
}
