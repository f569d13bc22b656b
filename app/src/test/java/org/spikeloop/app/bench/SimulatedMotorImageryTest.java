package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.spikeloop.adapters.sim.EegConfig;
import org.spikeloop.adapters.sim.MotorImageryEeg;

class SimulatedMotorImageryTest {
    private static final EegConfig CONFIG = MotorImageryDecodeBench.simulation(3, 0.4);

    @Test
    void shouldHoldTheGeneratorsSamplesAndMarkersUpToTheTailAfterTheLastCue() {
        SimulatedMotorImagery d = SimulatedMotorImagery.generate(CONFIG, 4);

        assertThat(d.channels()).isEqualTo(4);
        assertThat(d.sampleRateHz()).isEqualTo(256.0);
        assertThat(d.cueAt()).hasSize(4);
        assertThat(d.sampleCount())
                .isEqualTo(d.cueAt()[3] + Math.round(SimulatedMotorImagery.TAIL_S * 256));
        // The same generator, stepped again, gives the same samples and markers where it says.
        MotorImageryEeg eeg = new MotorImageryEeg(CONFIG);
        float[] frame = new float[4];
        int m = 0;
        for (int n = 0; n < d.sampleCount(); n++) {
            String marker = eeg.step(frame);
            for (int c = 0; c < 4; c++) {
                assertThat(d.samples()[n * 4 + c]).isEqualTo(frame[c]);
            }
            if (marker != null) {
                assertThat(d.markerAt()[m]).isEqualTo(n);
                assertThat(d.markers().get(m)).isEqualTo(marker);
                m++;
            }
        }
        assertThat(m).isEqualTo(d.markers().size());
        int cues = 0;
        for (int i = 0; i < d.markers().size(); i++) {
            String t = d.markers().get(i);
            if (t.equals("left_hand") || t.equals("right_hand")) {
                assertThat(d.markerAt()[i]).isEqualTo(d.cueAt()[cues++]);
            }
        }
        assertThat(cues).isEqualTo(4);
    }

    @Test
    void shouldRefuseNoTrials() {
        assertThatThrownBy(() -> SimulatedMotorImagery.generate(CONFIG, 0))
                .hasMessage("trials: must be >= 1, got 0");
    }
}
