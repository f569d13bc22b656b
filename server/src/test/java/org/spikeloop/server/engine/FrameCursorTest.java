package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FrameCursorTest {
    private static void publish(FrameRing ring, int n) {
        float[] out = new float[2];
        for (int i = 0; i < n; i++) {
            out[0] = ring.published();
            ring.publish(out, false, out, 0, 0, 0, 0, false, 0);
        }
    }

    @Test
    void shouldReadEveryFrameWhenKeepingUp() {
        FrameRing ring = new FrameRing(2, 8);
        FrameCursor c = ring.newCursor();
        Frame f = new Frame(2);
        publish(ring, 5);
        for (int i = 0; i < 5; i++) {
            assertThat(c.poll(f)).isTrue();
            assertThat(f.outputs[0]).isEqualTo(i);
        }
        assertThat(c.poll(f)).isFalse();
        assertThat(c.dropped()).isZero();
    }

    @Test
    void shouldCountOverwrittenFramesAsDroppedAndJumpToTheNewest() {
        FrameRing ring = new FrameRing(2, 8);
        FrameCursor c = ring.newCursor();
        Frame f = new Frame(2);
        publish(ring, 20);
        assertThat(c.poll(f)).isTrue();
        assertThat(f.step).isEqualTo(19);
        assertThat(c.dropped()).isEqualTo(19);
    }

    @Test
    void shouldDiscardOverrunWithoutReadingForAReaderThatIsNotReady() {
        FrameRing ring = new FrameRing(2, 8);
        FrameCursor c = ring.newCursor();
        publish(ring, 4);
        assertThat(c.discardOverrun()).isZero();
        publish(ring, 10);
        assertThat(c.discardOverrun()).isEqualTo(13);
        assertThat(c.lag()).isEqualTo(1);
    }
}
