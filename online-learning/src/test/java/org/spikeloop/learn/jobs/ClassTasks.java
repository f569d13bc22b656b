package org.spikeloop.learn.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.spikeloop.learn.train.JobConfig;
import org.spikeloop.learn.trials.Trial;

/**
 * Small classification tasks for the recipe's tests. {@link #features}: decoder inputs at 20 Hz, 4
 * channels of noise, one channel raised during the trials of class 0 and another during class 1's;
 * trials of 2 s every 5 s, the classes alternating in shuffled pairs. {@link #eeg}: 2-channel "EEG"
 * at 200 Hz, a 10 Hz rhythm in noise whose amplitude drops on the channel of the trial's class (an
 * event-related desynchronisation), for the classical baselines.
 */
final class ClassTasks {
    static final List<String> CLASSES = List.of("left", "right");

    private ClassTasks() {}

    static JobConfig config(int epochs) {
        return config(epochs, "\"size\": 2, \"tauOutMs\": 200", "readout_ce");
    }

    /** {@link #config}'s task and network with a spike-count readout, trained by spike_count_ce. */
    static JobConfig spikeCountConfig(int epochs) {
        return config(epochs, "\"type\": \"spike_count\", \"size\": 2", "spike_count_ce");
    }

    private static JobConfig config(int epochs, String readout, String loss) {
        return JobConfig.parse(
                "{\"network\": {\"dtMs\": 50, \"inputs\": 4, \"layers\": [{\"size\": 24,"
                        + " \"neuron\": {\"model\": \"lif\", \"tauMemMs\": 100}}],"
                        + " \"readout\": {"
                        + readout
                        + "}},"
                        + " \"init\": {\"seed\": 2}, \"loss\": {\"name\": \""
                        + loss
                        + "\"},"
                        + " \"options\": {\"threads\": 1},"
                        + " \"training\": {\"learningRate\": 0.01, \"epochs\": "
                        + epochs
                        + ", \"batchSize\": 4, \"seed\": 1},"
                        + " \"task\": {\"kind\": \"classification\", \"classNames\": [\"left\","
                        + " \"right\"], \"cueClasses\": {\"l\": 0, \"r\": 1}, \"trialS\": 2}}");
    }

    /** Trial classes in shuffled pairs (each pair holds both). */
    static int[] classes(int trials, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] c = new int[trials];
        for (int i = 0; i < trials; i += 2) {
            int first = rng.nextInt(2);
            c[i] = first;
            if (i + 1 < trials) {
                c[i + 1] = 1 - first;
            }
        }
        return c;
    }

    static List<Trial> trials(int[] classes) {
        List<Trial> t = new ArrayList<>();
        for (int i = 0; i < classes.length; i++) {
            double start = 10.0 + 5.0 * i;
            t.add(new Trial(i, classes[i], classes[i] == 0 ? "l" : "r", start, start + 2.0));
        }
        return t;
    }

    /** Frames at 20 Hz from t = 8 s to 2 s after the last trial. */
    static TrialSequence features(int[] classes, double signal, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Trial> trials = trials(classes);
        double end = trials.get(trials.size() - 1).endS() + 2.0;
        int frames = (int) Math.round((end - 8.0) * 20);
        double[] x = new double[frames * 4];
        double[] stamps = new double[frames];
        for (int f = 0; f < frames; f++) {
            stamps[f] = 8.0 + f / 20.0;
            for (int c = 0; c < 4; c++) {
                x[f * 4 + c] = rng.nextGaussian();
            }
            for (Trial t : trials) {
                if (t.contains(stamps[f])) {
                    x[f * 4 + t.classIndex()] += signal;
                }
            }
        }
        float[] source = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            source[i] = (float) x[i];
        }
        return new TrialSequence(x, 4, stamps, trials, CLASSES, source, 4, 20, stamps);
    }

    /** 2-channel ERD "EEG" at 200 Hz; the decoder inputs are the samples themselves. */
    static TrialSequence eeg(int[] classes, double erd, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        List<Trial> trials = trials(classes);
        double end = trials.get(trials.size() - 1).endS() + 2.0;
        int n = (int) Math.round((end - 8.0) * 200);
        double[] x = new double[n * 2];
        double[] stamps = new double[n];
        double[] phase = {rng.nextDouble() * 6.28, rng.nextDouble() * 6.28};
        for (int s = 0; s < n; s++) {
            stamps[s] = 8.0 + s / 200.0;
            for (int c = 0; c < 2; c++) {
                double amp = 1.0;
                for (Trial t : trials) {
                    if (t.classIndex() == c && t.contains(stamps[s])) {
                        amp = 1.0 - erd;
                    }
                }
                phase[c] += 2 * Math.PI * (10.0 + 0.5 * rng.nextGaussian()) / 200.0;
                x[s * 2 + c] = amp * 3.0 * Math.sin(phase[c]) + rng.nextGaussian();
            }
        }
        float[] source = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            source[i] = (float) x[i];
        }
        return new TrialSequence(x, 2, stamps, trials, CLASSES, source, 2, 200, stamps);
    }
}
