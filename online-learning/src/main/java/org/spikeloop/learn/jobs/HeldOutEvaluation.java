package org.spikeloop.learn.jobs;

import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * Scores parameters on a labelled sequence by running the float32 kernel ({@link FloatNetwork}, the
 * live decoder's kernel) causally from a zeroed state: MSE and R² between the readout and the
 * targets. Used for the validation score of training jobs and for governance's shadow evaluation,
 * so both compare decoders exactly as they would decode live.
 *
 * <p>Control plane: allocates a network per call; call off the engine threads.
 */
public final class HeldOutEvaluation {
    private HeldOutEvaluation() {}

    /**
     * @throws IllegalArgumentException when the sequence's widths differ from {@code spec}
     */
    public static HeldOutScore score(NetworkSpec spec, NetworkParams params, LabelledSequence s) {
        if (s.channels() != spec.inputs() || s.outputs() != spec.outputs()) {
            throw new IllegalArgumentException(
                    "data is "
                            + s.channels()
                            + " channels → "
                            + s.outputs()
                            + " outputs, the architecture "
                            + spec.inputs()
                            + " → "
                            + spec.outputs());
        }
        FloatNetwork net = new FloatNetwork(spec, params);
        int c = s.channels();
        int o = s.outputs();
        int t = s.frames();
        float[] in = new float[c];
        float[] out = new float[o];
        float[] pred = new float[t * o];
        double[] x = s.x();
        double[] y = s.y();
        double[] sum = new double[o];
        double[] sumSq = new double[o];
        double[] sse = new double[o];
        for (int f = 0; f < t; f++) {
            for (int i = 0; i < c; i++) {
                in[i] = (float) x[f * c + i];
            }
            net.step(in, out); // a strided front-end may skip a frame: the readout holds
            for (int k = 0; k < o; k++) {
                pred[f * o + k] = out[k];
                double target = y[f * o + k];
                double e = out[k] - target;
                sse[k] += e * e;
                sum[k] += target;
                sumSq[k] += target * target;
            }
        }
        double mse = 0;
        double r2 = 0;
        for (int k = 0; k < o; k++) {
            mse += sse[k];
            double sst = sumSq[k] - sum[k] * sum[k] / Math.max(1, t);
            r2 += sst > 0 ? 1.0 - sse[k] / sst : (sse[k] == 0 ? 1.0 : Double.NEGATIVE_INFINITY);
        }
        return new HeldOutScore(mse / ((double) t * o), r2 / o, pred);
    }
}
