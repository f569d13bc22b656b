package org.spikeloop.learn.loss;

import java.util.Arrays;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.learn.data.InvalidDataException;
import org.spikeloop.snn.params.Tensor;

/** Shape and range checks shared by the losses; every error names the data field. */
final class Targets {
    private Targets() {}

    static Tensor requireShape(Batch batch, String name, int... perSample) {
        Tensor t = batch.target(name);
        int[] want = new int[perSample.length + 1];
        want[0] = batch.size();
        System.arraycopy(perSample, 0, want, 1, perSample.length);
        if (!t.sameShape(want)) {
            throw new InvalidDataException(
                    name,
                    "has shape "
                            + Arrays.toString(t.shape())
                            + ", expected "
                            + Arrays.toString(want)
                            + " (samples"
                            + (perSample.length == 2 ? ", network steps, units)" : ")"));
        }
        return t;
    }

    static void requireIndices(Tensor t, String name, int bound) {
        double[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            if (d[i] != Math.rint(d[i]) || d[i] < 0 || d[i] >= bound) {
                throw new InvalidDataException(
                        name, "[" + i + "] = " + d[i] + " is not an integer in [0, " + bound + ")");
            }
        }
    }

    /**
     * Checks a trial-window {@code mask} [B, T'] when the batch has one: every entry 0 or 1, and
     * every sample's window selecting at least one step of [from, end) — the steps a classification
     * loss averages or counts over, so an empty window would divide by zero or score nothing.
     *
     * @param within how the error names [from, end): empty for every step, or such as {@code " of
     *     loss.window [0, 50)"}
     */
    static void requireWindowMask(Batch batch, int steps, int from, int end, String within) {
        if (!batch.has("mask")) {
            return;
        }
        double[] m = requireShape(batch, "mask", steps).data();
        for (int b = 0; b < batch.size(); b++) {
            int n = 0;
            for (int t = 0; t < steps; t++) {
                double v = m[b * steps + t];
                if (v != 0.0 && v != 1.0) {
                    throw new InvalidDataException(
                            "mask", "[" + b + ", " + t + "] = " + v + " is neither 0 nor 1");
                }
                n += t >= from && t < end ? (int) v : 0;
            }
            if (n == 0) {
                throw new InvalidDataException(
                        "mask",
                        "[" + b + "] selects no step" + within + ": every sample needs a window");
            }
        }
    }
}
