package org.spikeloop.adapters.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntracorticalRigTest {
    private static final int STEPS = 200_000; // 200 s at 1 kHz

    @Test
    void shouldFireAtTheConfiguredMeanBaselineRate() {
        IntracorticalRig rig = new IntracorticalRig(RigConfig.defaults(1));
        float[] spikes = new float[96];
        double[] vel = new double[2];
        long count = 0;
        for (int t = 0; t < STEPS; t++) {
            rig.step(spikes, vel);
            for (float s : spikes) {
                count += (long) s;
            }
        }
        double meanRateHz = count / (96 * STEPS / 1000.0);

        // Cosine modulation averages to zero over directions; rectification adds a little.
        assertThat(meanRateHz).isBetween(9.0, 12.5);
    }

    @Test
    void shouldRecoverEachUnitsPreferredDirectionFromSpikeTriggeredVelocity() {
        IntracorticalRig rig = new IntracorticalRig(RigConfig.defaults(2));
        float[] spikes = new float[96];
        double[] vel = new double[2];
        double[] sumX = new double[96];
        double[] sumY = new double[96];
        for (int t = 0; t < STEPS; t++) {
            rig.step(spikes, vel);
            for (int i = 0; i < 96; i++) {
                sumX[i] += spikes[i] * vel[0];
                sumY[i] += spikes[i] * vel[1];
            }
        }
        int close = 0;
        for (int i = 0; i < 96; i++) {
            double estimated = Math.atan2(sumY[i], sumX[i]);
            double error =
                    Math.abs(Math.IEEEremainder(estimated - rig.preferredAngle(i), 2 * Math.PI));
            if (error < Math.toRadians(20)) {
                close++;
            }
        }

        assertThat(close).isGreaterThanOrEqualTo(90);
    }

    @Test
    void shouldRotatePreferredDirections() {
        IntracorticalRig rig = new IntracorticalRig(RigConfig.defaults(3));
        double before = rig.preferredAngle(5);

        rig.rotatePreferredDirections(30.0);

        assertThat(Math.IEEEremainder(rig.preferredAngle(5) - before, 2 * Math.PI))
                .isCloseTo(Math.toRadians(30.0), within(1e-12));
    }

    @Test
    void shouldSilenceDroppedUnits() {
        IntracorticalRig rig = new IntracorticalRig(RigConfig.defaults(4));
        rig.dropUnits(0, 10);
        float[] spikes = new float[96];
        double[] vel = new double[2];
        long dropped = 0;
        long kept = 0;
        for (int t = 0; t < 20_000; t++) {
            rig.step(spikes, vel);
            for (int i = 0; i < 10; i++) {
                dropped += (long) spikes[i];
                kept += (long) spikes[10 + i];
            }
        }

        assertThat(dropped).isZero();
        assertThat(kept).isGreaterThan(1000);
    }

    @Test
    void shouldBeDeterministicForASeed() {
        IntracorticalRig a = new IntracorticalRig(RigConfig.defaults(9));
        IntracorticalRig b = new IntracorticalRig(RigConfig.defaults(9));
        float[] sa = new float[96];
        float[] sb = new float[96];
        double[] va = new double[2];
        double[] vb = new double[2];
        for (int t = 0; t < 5000; t++) {
            a.step(sa, va);
            b.step(sb, vb);
            assertThat(sa).containsExactly(sb);
            assertThat(va).containsExactly(vb);
        }
    }

    @Test
    void shouldRejectImpossibleParameters() {
        assertThatThrownBy(() -> new RigConfig(96, 1.0, -5.0, 20.0, 0.1, 1.0, 1))
                .hasMessage("baselineHz must be finite and >= 0, got -5.0");
        assertThatThrownBy(() -> new RigConfig(0, 1.0, 10.0, 20.0, 0.1, 1.0, 1))
                .hasMessage("units must be >= 1, got 0");
        assertThatThrownBy(() -> new RigConfig(96, 1.0, 900.0, 200.0, 0.1, 1.0, 1))
                .hasMessageContaining("exceeds one spike per step");
    }
}
