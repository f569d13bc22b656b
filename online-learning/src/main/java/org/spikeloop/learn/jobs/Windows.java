package org.spikeloop.learn.jobs;

import java.util.Map;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.snn.params.Tensor;

/**
 * Cuts a continuous sequence into non-overlapping windows of {@code windowFrames} frames: a {@link
 * Batch} with x [B, W, C] and target {@code y} [B, W, O] for {@code readout_mse}. The tail shorter
 * than a window is dropped.
 */
public final class Windows {
    private Windows() {}

    /**
     * @throws IllegalArgumentException when the sequence is shorter than one window
     */
    public static Batch batch(LabelledSequence s, int windowFrames) {
        if (windowFrames < 1) {
            throw new IllegalArgumentException("windowFrames must be >= 1, got " + windowFrames);
        }
        int b = s.frames() / windowFrames;
        if (b < 1) {
            throw new IllegalArgumentException(
                    "the sequence has "
                            + s.frames()
                            + " frames, fewer than one window of "
                            + windowFrames);
        }
        int c = s.channels();
        int o = s.outputs();
        double[] x = new double[b * windowFrames * c];
        double[] y = new double[b * windowFrames * o];
        System.arraycopy(s.x(), 0, x, 0, x.length);
        System.arraycopy(s.y(), 0, y, 0, y.length);
        return new Batch(
                x, b, windowFrames, c, Map.of("y", new Tensor(new int[] {b, windowFrames, o}, y)));
    }
}
