package org.spikeloop.adapters.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EegDriftTest {

    @Test
    void shouldParseAmplitudeAndImpedanceShifts() {
        DriftSchedule<MotorImageryEeg> s = EegDrift.parse("150:impedance=7/20/5,120:amplitude=0.6");

        assertThat(s.events())
                .containsExactly(
                        new EegDrift.AmplitudeShift(120, 0.6),
                        new EegDrift.ImpedanceShift(150, 7, 20, 5));
    }

    @Test
    void shouldApplyTheAmplitudeShiftToTheRig() {
        MotorImageryEeg eeg = new MotorImageryEeg(EegConfig.defaults(1));

        EegDrift.parse("10:amplitude=0.5").applyDue(10, eeg);

        assertThat(eeg.amplitudeGain()).isEqualTo(0.5);
    }

    @Test
    void shouldNameTheMalformedItem() {
        assertThatThrownBy(() -> EegDrift.parse("1:gain=2"))
                .hasMessage("drift item '1:gain=2': unknown kind 'gain' (amplitude, impedance)");
        assertThatThrownBy(() -> EegDrift.parse("1:impedance=x/1/1"))
                .hasMessage("drift item '1:impedance=x/1/1': 'x' is not an integer");
        assertThatThrownBy(() -> EegDrift.parse("1:amplitude=0"))
                .hasMessage("amplitude factor must be finite and > 0, got 0.0");
    }
}
