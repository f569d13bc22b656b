package org.spikeloop.adapters.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.spikeloop.testing.AllocationMeter;

class MotorImageryEegTest {
    private static final double FS = 250.0;

    /** A recorded run: samples [channel][t] and the cue sample index and class of each trial. */
    private record Run(double[][] x, List<int[]> cues) {}

    private static Run record(EegConfig config, int samples) {
        MotorImageryEeg eeg = new MotorImageryEeg(config);
        float[] frame = new float[eeg.channels()];
        double[][] x = new double[eeg.channels()][samples];
        List<int[]> cues = new ArrayList<>();
        for (int t = 0; t < samples; t++) {
            String marker = eeg.step(frame);
            if (marker != null && eeg.currentClass() >= 0 && t > 0) {
                cues.add(new int[] {t, eeg.currentClass()});
            }
            for (int c = 0; c < frame.length; c++) {
                x[c][t] = frame[c];
            }
        }
        return new Run(x, cues);
    }

    /**
     * Band power summed over trials of class {@code cls} during imagery (0.5–3.5 s after the cue)
     * divided by the same in the fixation period (1.75–0.25 s before the cue).
     */
    private static double erdRatio(Run run, int channel, int cls, double loHz, double hiHz) {
        double restSum = 0;
        double taskSum = 0;
        int n = 0;
        for (int[] cue : run.cues()) {
            int t0 = cue[0];
            if (cue[1] != cls || t0 + 875 > run.x()[0].length || t0 < 440) {
                continue;
            }
            double[] x = run.x()[channel];
            double rest = Spectra.bandPower(x, t0 - 437, t0 - 62, 250, loHz, hiHz, FS);
            double task = Spectra.bandPower(x, t0 + 125, t0 + 875, 250, loHz, hiHz, FS);
            restSum += rest;
            taskSum += task;
            n++;
        }
        assertThat(n).as("trials of class %d", cls).isGreaterThan(20);
        return taskSum / restSum;
    }

    @ParameterizedTest
    @ValueSource(doubles = {1.0, 1.5})
    void shouldHaveA1OverFBackgroundWithTheConfiguredSlope(double exponent) {
        EegConfig config =
                EegConfig.builder()
                        .pinkExponent(exponent)
                        .muUv(0)
                        .betaUv(0)
                        .sensorNoiseUv(0)
                        .seed(3)
                        .build();
        Run run = record(config, 75_000);
        int c3 = config.montage().indexOf("C3");

        double slope = Spectra.logLogSlope(run.x()[c3], 500, Spectra.logSpaced(2, 40, 16), FS);

        assertThat(slope).isCloseTo(-exponent, within(0.15));
    }

    @Test
    void shouldDesynchroniseMuContralaterallyDuringHandImagery() {
        EegConfig config = EegConfig.defaults(4);
        Run run = record(config, 150_000); // 600 s, about 75 trials
        int c3 = config.montage().indexOf("C3");
        int c4 = config.montage().indexOf("C4");
        int left = ImageryKind.LEFT_HAND.ordinal();
        int right = ImageryKind.RIGHT_HAND.ordinal();

        // Right hand: C3 (contralateral) loses mu power, C4 keeps it; left hand the mirror image.
        // Expected ≈ 0.73: half the mu power goes, the 1/f background in the band stays.
        assertThat(erdRatio(run, c3, right, 8, 12)).isLessThan(0.8);
        assertThat(erdRatio(run, c4, right, 8, 12)).isBetween(0.85, 1.15);
        assertThat(erdRatio(run, c4, left, 8, 12)).isLessThan(0.8);
        assertThat(erdRatio(run, c3, left, 8, 12)).isBetween(0.85, 1.15);
    }

    @Test
    void shouldDesynchroniseBetaContralaterallyDuringHandImagery() {
        EegConfig config = EegConfig.defaults(5);
        Run run = record(config, 150_000);
        int c3 = config.montage().indexOf("C3");
        int c4 = config.montage().indexOf("C4");
        int right = ImageryKind.RIGHT_HAND.ordinal();

        assertThat(erdRatio(run, c3, right, 16, 26)).isLessThan(0.85);
        assertThat(erdRatio(run, c4, right, 16, 26)).isBetween(0.85, 1.15);
    }

    @Test
    void shouldDesynchroniseTheVertexDuringFeetImagery() {
        EegConfig config = EegConfig.builder().classes(3).seed(6).build();
        Run run = record(config, 200_000);
        int cz = config.montage().indexOf("Cz");
        int feet = ImageryKind.FEET.ordinal();

        assertThat(erdRatio(run, cz, feet, 8, 12)).isLessThan(0.8);
    }

    @Test
    void shouldEmitMarkersWithTheTrialTiming() {
        MotorImageryEeg eeg = new MotorImageryEeg(EegConfig.defaults(7));
        float[] frame = new float[22];
        List<String> markers = new ArrayList<>();
        List<Integer> at = new ArrayList<>();
        int[] perClass = new int[2];
        for (int t = 0; t < 40_000; t++) {
            String m = eeg.step(frame);
            if (m != null) {
                markers.add(m);
                at.add(t);
                if (eeg.currentClass() >= 0) {
                    perClass[eeg.currentClass()]++;
                    assertThat(m).isEqualTo(eeg.config().cueNames().get(eeg.currentClass()));
                }
            }
        }

        assertThat(markers.get(0)).isEqualTo(EegConfig.TRIAL_START);
        for (int i = 0; i + 3 < markers.size(); i += 3) {
            assertThat(markers.get(i)).isEqualTo(EegConfig.TRIAL_START);
            assertThat(markers.get(i + 1)).isIn("left_hand", "right_hand");
            assertThat(markers.get(i + 2)).isEqualTo(EegConfig.TRIAL_END);
            assertThat(at.get(i + 1) - at.get(i)).isEqualTo(500); // 2 s fixation
            assertThat(at.get(i + 2) - at.get(i + 1)).isEqualTo(1000); // 4 s imagery
            assertThat(at.get(i + 3) - at.get(i + 2)).isBetween(375, 625); // 1.5–2.5 s break
        }
        // Shuffled blocks hold each class once, so the counts differ by at most one.
        assertThat(Math.abs(perClass[0] - perClass[1])).isLessThanOrEqualTo(1);
        assertThat(eeg.trials()).isGreaterThan(15);
    }

    @Test
    void shouldBeDeterministicForASeed() {
        MotorImageryEeg a = new MotorImageryEeg(EegConfig.defaults(8));
        MotorImageryEeg b = new MotorImageryEeg(EegConfig.defaults(8));
        float[] fa = new float[22];
        float[] fb = new float[22];
        for (int t = 0; t < 5000; t++) {
            assertThat(a.step(fa)).isEqualTo(b.step(fb));
            assertThat(fa).containsExactly(fb);
        }
    }

    @Test
    void shouldScaleThePhysiologicalSignalByTheAmplitudeShift() {
        EegConfig config = EegConfig.builder().sensorNoiseUv(0).seed(9).build();
        MotorImageryEeg plain = new MotorImageryEeg(config);
        MotorImageryEeg scaled = new MotorImageryEeg(config);
        scaled.scaleAmplitude(2.0);
        float[] fa = new float[22];
        float[] fb = new float[22];
        for (int t = 0; t < 2000; t++) {
            plain.step(fa);
            scaled.step(fb);
            for (int c = 0; c < 22; c++) {
                assertThat((double) fb[c]).isCloseTo(2.0 * fa[c], within(1e-4 * Math.abs(fa[c])));
            }
        }
    }

    @Test
    void shouldAddNoiseAndMainsOnlyToTheChannelWithRaisedImpedance() {
        EegConfig config = EegConfig.defaults(10);
        MotorImageryEeg plain = new MotorImageryEeg(config);
        MotorImageryEeg shifted = new MotorImageryEeg(config);
        shifted.shiftImpedance(3, 20.0, 10.0);
        float[] fa = new float[22];
        float[] fb = new float[22];
        int samples = 25_000;
        double[] diff = new double[samples];
        for (int t = 0; t < samples; t++) {
            plain.step(fa);
            shifted.step(fb);
            diff[t] = fb[3] - fa[3];
            assertThat(fb[2]).isEqualTo(fa[2]);
        }
        double sumSq = 0;
        for (double d : diff) {
            sumSq += d * d;
        }

        // Extra variance: 20² from white noise plus 10²/2 from the 50 Hz sine.
        assertThat(sumSq / samples).isCloseTo(450.0, within(25.0));
        assertThat(Spectra.power(diff, 0, samples, 500, 50.0, FS))
                .isGreaterThan(10 * Spectra.power(diff, 0, samples, 500, 40.0, FS));
    }

    @Test
    void shouldNotAllocatePerSample() {
        MotorImageryEeg eeg = new MotorImageryEeg(EegConfig.defaults(11));
        float[] frame = new float[22];
        for (int t = 0; t < 50_000; t++) {
            eeg.step(frame);
        }
        long before = AllocationMeter.allocatedBytes();
        for (int t = 0; t < 100_000; t++) {
            eeg.step(frame);
        }
        long allocated = AllocationMeter.allocatedBytes() - before;

        assertThat(allocated).as("bytes allocated over 100 000 samples").isLessThan(1024);
    }

    @Test
    void shouldRejectAnImpedanceShiftOutsideTheMontage() {
        MotorImageryEeg eeg = new MotorImageryEeg(EegConfig.defaults(12));

        assertThatThrownBy(() -> eeg.shiftImpedance(22, 1, 1))
                .hasMessage("impedance shift: channel 22 outside [0, 22)");
        assertThatThrownBy(() -> eeg.scaleAmplitude(0))
                .hasMessage("amplitude factor must be finite and > 0, got 0.0");
    }
}
