package org.spikeloop.learn.baseline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.spikeloop.testing.AllocationMeter;

class CspLdaDecoderTest {
    private static final double FS = 250.0;
    private static final int CHANNELS = 8;
    private static final int TRIAL = 1000; // 4 s per trial, cue at its start
    private static final int IMAGERY = 750; // 3 s of class-dependent power

    /** A continuous recording: mixed 10 Hz sources, one per class desynchronised, plus drift. */
    private record Recording(double[][] x, int[] cues, int[] labels) {}

    private static Recording record(MixedSources mix, int trials, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        MixedSources.Rhythm[] rhythm = new MixedSources.Rhythm[CHANNELS];
        for (int j = 0; j < CHANNELS; j++) {
            rhythm[j] = new MixedSources.Rhythm(10 + j % 3, FS);
        }
        double[][] x = new double[trials * TRIAL][CHANNELS];
        int[] cues = new int[trials];
        int[] labels = new int[trials];
        double[] s = new double[CHANNELS];
        for (int i = 0; i < trials; i++) {
            cues[i] = i * TRIAL;
            labels[i] = rng.nextInt(2);
            for (int t = 0; t < TRIAL; t++) {
                int abs = i * TRIAL + t;
                boolean imagery = t < IMAGERY;
                for (int j = 0; j < CHANNELS; j++) {
                    double amp = 1;
                    // Class 0 suppresses source 0's rhythm, class 1 source 1's (ERD).
                    if (imagery && j == labels[i]) {
                        amp = 0.5;
                    }
                    s[j] = amp * rhythm[j].next(rng) + 0.3 * rng.nextGaussian();
                }
                mix.mix(s, x[abs]);
                // Slow drift common to all channels, removed by the band-pass.
                double drift = 20 * Math.sin(2 * Math.PI * 0.3 * abs / FS);
                for (int c = 0; c < CHANNELS; c++) {
                    x[abs][c] += drift;
                }
            }
        }
        return new Recording(x, cues, labels);
    }

    @Test
    void shouldClassifyHeldOutTrialsOfAKnownTwoClassProblem() {
        MixedSources mix = new MixedSources(CHANNELS, 1);
        Recording train = record(mix, 80, 2);
        Recording test = record(mix, 80, 3);
        CspLdaDecoder decoder =
                CspLdaDecoder.fit(
                        train.x(), FS, train.cues(), train.labels(), 2, CspLdaConfig.defaults());

        int correct = 0;
        float[] frame = new float[CHANNELS];
        int decisionAt = 125 + 500; // cue + 0.5 s + 2 s window
        for (int t = 0; t < test.x().length; t++) {
            for (int c = 0; c < CHANNELS; c++) {
                frame[c] = (float) test.x()[t][c];
            }
            decoder.step(frame);
            if (t % TRIAL == decisionAt - 1 && decoder.ready()) {
                if (decoder.predict() == test.labels()[t / TRIAL]) {
                    correct++;
                }
            }
        }

        assertThat(correct / 80.0).isGreaterThan(0.9);
    }

    @Test
    void shouldBeAtChanceWithShuffledLabels() {
        MixedSources mix = new MixedSources(CHANNELS, 4);
        Recording train = record(mix, 80, 5);
        int[] shuffled = new int[80];
        SplittableRandom rng = new SplittableRandom(6);
        for (int i = 0; i < 80; i++) {
            shuffled[i] = rng.nextInt(2);
        }
        CspLdaDecoder decoder =
                CspLdaDecoder.fit(
                        train.x(), FS, train.cues(), shuffled, 2, CspLdaConfig.defaults());
        Recording test = record(mix, 80, 7);
        int correct = 0;
        float[] frame = new float[CHANNELS];
        for (int t = 0; t < test.x().length; t++) {
            for (int c = 0; c < CHANNELS; c++) {
                frame[c] = (float) test.x()[t][c];
            }
            decoder.step(frame);
            if (t % TRIAL == 624 && decoder.predict() == test.labels()[t / TRIAL]) {
                correct++;
            }
        }

        assertThat(correct / 80.0).isBetween(0.3, 0.7);
    }

    @Test
    void shouldNotAllocatePerSample() {
        MixedSources mix = new MixedSources(CHANNELS, 8);
        Recording train = record(mix, 20, 9);
        CspLdaDecoder decoder =
                CspLdaDecoder.fit(
                        train.x(), FS, train.cues(), train.labels(), 2, CspLdaConfig.defaults());
        float[] frame = new float[CHANNELS];
        double[] scores = new double[2];
        for (int t = 0; t < 50_000; t++) {
            frame[t % CHANNELS] = (float) Math.sin(t);
            decoder.step(frame);
            decoder.predict();
        }
        long before = AllocationMeter.allocatedBytes();
        for (int t = 0; t < 100_000; t++) {
            frame[t % CHANNELS] = (float) Math.sin(t);
            decoder.step(frame);
            decoder.predict();
            decoder.scores(scores);
        }

        assertThat(AllocationMeter.allocatedBytes() - before).isLessThan(1024);
    }

    @Test
    void shouldRejectAnEpochPastTheRecording() {
        MixedSources mix = new MixedSources(CHANNELS, 10);
        Recording train = record(mix, 10, 11);
        int[] cues = train.cues().clone();
        cues[9] = train.x().length - 100;

        assertThatThrownBy(
                        () ->
                                CspLdaDecoder.fit(
                                        train.x(),
                                        FS,
                                        cues,
                                        train.labels(),
                                        2,
                                        CspLdaConfig.defaults()))
                .hasMessageContaining("epoch of trial 9")
                .hasMessageContaining("runs past the recording of 10000 samples");
    }
}
