package org.spikeloop.app.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.spikeloop.adapters.sim.EegConfig;
import org.spikeloop.adapters.sim.MotorImageryEeg;

/**
 * A cue-based motor-imagery recording made by {@code spikeloop sim eeg}'s generator ({@link
 * MotorImageryEeg}) before it is published: the EEG samples and the cue marker stream ({@code
 * trial_start}, the cue, {@code trial_end}), each marker at the sample it starts at. Generated up
 * front so that the bench can hold the stream between the calibration trials and the held-out ones
 * (while it switches learning off) without the generator's clock moving on.
 *
 * <p>Control plane; the samples are one row-major {@code float[]} (µV).
 *
 * @param samples [sample][channel] row-major, µV
 * @param channels channels per sample
 * @param sampleRateHz the generator's rate
 * @param markerAt the sample index of each marker
 * @param markers the markers, in order
 * @param cueAt the sample index of each cue (a marker that names a class), in order
 */
record SimulatedMotorImagery(
        float[] samples,
        int channels,
        double sampleRateHz,
        int[] markerAt,
        List<String> markers,
        int[] cueAt) {

    /**
     * Seconds of EEG kept after the last cue: its window (at most 4.5 s in the job config) and
     * more.
     */
    static final double TAIL_S = 6.0;

    /**
     * Steps the generator until {@code trials} cues, then {@link #TAIL_S} more seconds.
     *
     * @throws IllegalArgumentException if {@code trials < 1}
     */
    static SimulatedMotorImagery generate(EegConfig config, int trials) {
        if (trials < 1) {
            throw new IllegalArgumentException("trials: must be >= 1, got " + trials);
        }
        MotorImageryEeg eeg = new MotorImageryEeg(config);
        int c = eeg.channels();
        float[] frame = new float[c];
        float[] samples = new float[c * 65_536];
        List<Integer> at = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        List<Integer> cues = new ArrayList<>();
        long end = Long.MAX_VALUE;
        int n = 0;
        for (; n < end; n++) {
            String m = eeg.step(frame);
            if (m != null) {
                at.add(n);
                texts.add(m);
                if (!m.equals(EegConfig.TRIAL_START) && !m.equals(EegConfig.TRIAL_END)) {
                    cues.add(n);
                    if (cues.size() == trials) {
                        end = n + Math.round(TAIL_S * config.sampleRateHz());
                    }
                }
            }
            if ((n + 1) * c > samples.length) {
                samples = Arrays.copyOf(samples, samples.length * 2);
            }
            System.arraycopy(frame, 0, samples, n * c, c);
        }
        return new SimulatedMotorImagery(
                Arrays.copyOf(samples, n * c),
                c,
                config.sampleRateHz(),
                at.stream().mapToInt(Integer::intValue).toArray(),
                List.copyOf(texts),
                cues.stream().mapToInt(Integer::intValue).toArray());
    }

    int sampleCount() {
        return samples.length / channels;
    }

    double durationS() {
        return sampleCount() / sampleRateHz;
    }
}
