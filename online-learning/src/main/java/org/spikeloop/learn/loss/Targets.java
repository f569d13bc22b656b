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
}
