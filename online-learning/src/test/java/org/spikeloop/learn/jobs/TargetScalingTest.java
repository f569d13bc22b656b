package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.InitSpec;

class TargetScalingTest {
    @Test
    void shouldStandardiseEachOutput() {
        LabelledSequence s = Tasks.sequence(2000, 1, 0.08, 0.3, Integer.MAX_VALUE);
        TargetScaling scaling = TargetScaling.fit(s);
        LabelledSequence z = scaling.apply(s);
        for (int k = 0; k < 2; k++) {
            double sum = 0;
            double sumSq = 0;
            for (int f = 0; f < z.frames(); f++) {
                double v = z.y()[f * 2 + k];
                sum += v;
                sumSq += v * v;
            }
            assertThat(sum / z.frames()).isCloseTo(0.0, within(1e-9));
            assertThat(sumSq / z.frames()).isCloseTo(1.0, within(1e-9));
        }
        assertThat(scaling.mean()[0]).isCloseTo(0.3, within(0.02));
        assertThat(s.y()[0]).as("the input sequence is not modified").isEqualTo(0.08 + 0.3);
    }

    @Test
    void shouldFoldIntoTheReadoutSoTheNetworkSpeaksTargetUnits() {
        LabelledSequence s = Tasks.sequence(1000, 2, 0.08, 0.3, Integer.MAX_VALUE);
        TargetScaling scaling = TargetScaling.fit(s);
        NetworkParams standardised = Initializer.initialise(Tasks.spec(), InitSpec.seeded(4));
        NetworkParams folded = standardised.copy();
        scaling.foldIntoReadout(folded);
        FloatNetwork a = new FloatNetwork(Tasks.spec(), standardised);
        FloatNetwork b = new FloatNetwork(Tasks.spec(), folded);
        float[] in = new float[Tasks.CHANNELS];
        float[] ya = new float[2];
        float[] yb = new float[2];
        double kappa = Tasks.spec().readout().kappa(1.0);
        for (int t = 0; t < 500; t++) {
            for (int c = 0; c < Tasks.CHANNELS; c++) {
                in[c] = (float) s.x()[t * Tasks.CHANNELS + c];
            }
            a.step(in, ya);
            b.step(in, yb);
            for (int k = 0; k < 2; k++) {
                // y = σ·y' + μ·(1 − κ^(t+1)): exact up to the readout's start-up term
                double expected =
                        scaling.scale()[k] * ya[k]
                                + scaling.mean()[k] * (1 - Math.pow(kappa, t + 1));
                assertThat((double) yb[k]).isCloseTo(expected, within(1e-5));
            }
        }
        scaling.unfoldFromReadout(folded);
        for (String name : standardised.names()) {
            assertThat(folded.get(name).data())
                    .containsExactly(standardised.get(name).data(), within(1e-12));
        }
    }

    @Test
    void shouldRefuseAConstantOutputNamingIt() {
        LabelledSequence s = Tasks.sequence(100, 1);
        double[] y = s.y().clone();
        for (int f = 0; f < s.frames(); f++) {
            y[f * 2 + 1] = 0.25;
        }
        LabelledSequence constant = new LabelledSequence(s.x(), y, s.stampsS(), Tasks.CHANNELS, 2);
        assertThatThrownBy(() -> TargetScaling.fit(constant))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("output 1 is constant (0.25)")
                .hasMessageContaining("nothing to learn");
    }
}
