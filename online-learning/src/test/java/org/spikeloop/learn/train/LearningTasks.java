package org.spikeloop.learn.train;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.spikeloop.learn.data.Batch;
import org.spikeloop.snn.params.Tensor;

/** Seeded data for the learning tests (frozen Poisson patterns, sums of sinusoids). */
final class LearningTasks {
    private LearningTasks() {}

    /** Frozen Poisson spikes [T, C] at {@code rateHz} (dt 1 ms). */
    static double[] poisson(int steps, int channels, double rateHz, SplittableRandom rng) {
        double[] x = new double[steps * channels];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble() < rateHz * 1e-3 ? 1.0 : 0.0;
        }
        return x;
    }

    /**
     * The e-prop paper's pattern-generation target: a sum of four sinusoids (periods 1000, 500,
     * 333, 200 ms, random amplitudes in [0.5, 2] and phases), scaled to a peak of 1.
     */
    static double[] sumOfSines(int steps, SplittableRandom rng) {
        double[] periods = {1000, 500, 333, 200};
        double[] y = new double[steps];
        for (double p : periods) {
            double amp = 0.5 + 1.5 * rng.nextDouble();
            double phase = 2 * Math.PI * rng.nextDouble();
            for (int t = 0; t < steps; t++) {
                y[t] += amp * Math.sin(2 * Math.PI * t / p + phase);
            }
        }
        double peak = 0;
        for (double v : y) {
            peak = Math.max(peak, Math.abs(v));
        }
        for (int t = 0; t < steps; t++) {
            y[t] /= peak;
        }
        return y;
    }

    /**
     * {@code perClass} jittered copies of each of {@code classes} frozen Poisson patterns: every
     * spike moves by a uniform integer in [−jitter, jitter] steps (clipped to the window).
     */
    static Batch jitteredPatterns(
            double[][] patterns,
            int steps,
            int channels,
            int perClass,
            int jitter,
            SplittableRandom rng) {
        int classes = patterns.length;
        int n = classes * perClass;
        double[] x = new double[n * steps * channels];
        double[] label = new double[n];
        int b = 0;
        for (int k = 0; k < perClass; k++) {
            for (int c = 0; c < classes; c++) {
                label[b] = c;
                for (int t = 0; t < steps; t++) {
                    for (int i = 0; i < channels; i++) {
                        if (patterns[c][t * channels + i] != 0) {
                            int tt = t + rng.nextInt(2 * jitter + 1) - jitter;
                            tt = Math.max(0, Math.min(steps - 1, tt));
                            x[(b * steps + tt) * channels + i] = 1.0;
                        }
                    }
                }
                b++;
            }
        }
        Map<String, Tensor> targets = new HashMap<>();
        targets.put("label", new Tensor(new int[] {n}, label));
        return new Batch(x, n, steps, channels, targets);
    }
}
