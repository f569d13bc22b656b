package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class FrameChunkTest {
    /** Frame i has outputs (i, −i) and source stamp 100 + i ms. */
    private static void publish(FrameRing ring, int n) {
        float[] out = new float[2];
        for (int i = 0; i < n; i++) {
            long k = ring.published();
            out[0] = k;
            out[1] = -k;
            ring.publish(out, false, out, 100 + k * 0.001, 0, 0, 0, false, 0);
        }
    }

    @Test
    void shouldGatherOutputsAndStampsUpToItsCapacityAcrossFills() {
        FrameRing ring = new FrameRing(2, 16);
        FrameChunk chunk = new FrameChunk(ring, 4);
        publish(ring, 3);
        assertThat(chunk.fill()).isEqualTo(3);
        assertThat(chunk.isFull()).isFalse();
        publish(ring, 3);
        assertThat(chunk.fill()).isEqualTo(1); // full at 4: the rest waits in the ring
        assertThat(chunk.isFull()).isTrue();
        assertThat(chunk.values()).containsExactly(0, 0, 1, -1, 2, -2, 3, -3);
        assertThat(chunk.stamps())
                .containsExactly(new double[] {100.000, 100.001, 100.002, 100.003}, within(1e-9));

        chunk.clear();
        assertThat(chunk.size()).isZero();
        assertThat(chunk.fill()).isEqualTo(2);
        assertThat(chunk.values()[0]).isEqualTo(4);
        assertThat(chunk.stamps()[1]).isCloseTo(100.005, within(1e-9));
        assertThat(chunk.framesLost()).isZero();
    }

    @Test
    void shouldCountFramesLostWhenLappedAndGoOnFromTheNewest() {
        FrameRing ring = new FrameRing(2, 8);
        FrameChunk chunk = new FrameChunk(ring, 4);
        publish(ring, 20);
        assertThat(chunk.fill()).isEqualTo(1);
        assertThat(chunk.values()[0]).isEqualTo(19);
        assertThat(chunk.framesLost()).isEqualTo(19);
    }
}
