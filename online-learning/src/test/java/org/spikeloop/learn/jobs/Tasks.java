package org.spikeloop.learn.jobs;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import java.util.SplittableRandom;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;
import org.spikeloop.snn.spec.SpecJson;

/**
 * A small decoding task: 16 Bernoulli spike channels cosine-tuned to a slowly rotating 2-D target,
 * which the readout must report.
 */
final class Tasks {
    static final int CHANNELS = 16;

    private Tasks() {}

    static NetworkSpec spec() {
        return new NetworkSpec(
                1.0,
                CHANNELS,
                null,
                List.of(new LayerSpec(24, true, NeuronSpec.lif())),
                ReadoutSpec.leaky(2));
    }

    static JobConfig config(int epochs, double learningRate) {
        JsonObject o =
                JsonParser.parseString(
                                "{\"loss\":{\"name\":\"readout_mse\"},\"options\":{\"threads\":1},"
                                        + "\"init\":{\"seed\":3},"
                                        + "\"training\":{\"learningRate\":"
                                        + learningRate
                                        + ",\"epochs\":"
                                        + epochs
                                        + ",\"batchSize\":8,\"seed\":5}}")
                        .getAsJsonObject();
        o.add("network", SpecJson.toJson(spec()));
        return JobConfig.parse(o.toString());
    }

    static LabelledSequence sequence(int frames, long seed) {
        return sequence(frames, seed, 1.0, 0.0, Integer.MAX_VALUE);
    }

    /**
     * The task with targets in other units (y·scale + offset) and, from frame {@code driftAt} on,
     * the channels' preferred directions rotated by 90° (a drift of the recording's tuning).
     */
    static LabelledSequence sequence(
            int frames, long seed, double scale, double offset, int driftAt) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[] x = new double[frames * CHANNELS];
        double[] y = new double[frames * 2];
        double[] s = new double[frames];
        for (int t = 0; t < frames; t++) {
            double phase = 2 * Math.PI * t / 700.0;
            double vx = Math.cos(phase);
            double vy = Math.sin(phase);
            y[2 * t] = vx * scale + offset;
            y[2 * t + 1] = vy * scale + offset;
            s[t] = 100.0 + t * 0.001;
            for (int c = 0; c < CHANNELS; c++) {
                double a = 2 * Math.PI * c / CHANNELS + (t >= driftAt ? Math.PI / 2 : 0);
                double rate = 0.05 + 0.15 * Math.max(0, vx * Math.cos(a) + vy * Math.sin(a));
                x[t * CHANNELS + c] = rng.nextDouble() < rate ? 1 : 0;
            }
        }
        return new LabelledSequence(x, y, s, CHANNELS, 2);
    }
}
