package org.spikeloop.adapters.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class IntracorticalDriftTest {

    @Test
    void shouldParseEveryKind() {
        DriftSchedule<IntracorticalRig> s =
                IntracorticalDrift.parse("90:new=10/5, 30:rotate=30,60:dropout=0/10,120:gain=0.8");

        assertThat(s.events())
                .containsExactly(
                        new IntracorticalDrift.Rotation(30, 30),
                        new IntracorticalDrift.Dropout(60, 0, 10),
                        new IntracorticalDrift.NewUnits(90, 10, 5),
                        new IntracorticalDrift.Gain(120, 0.8));
    }

    @Test
    void shouldParseBlankAsNoDrift() {
        assertThat(IntracorticalDrift.parse(" ").events()).isEmpty();
    }

    @Test
    void shouldRotateTheRigAtTheScheduledTime() {
        IntracorticalRig rig = new IntracorticalRig(RigConfig.defaults(1));
        double before = rig.preferredAngle(0);
        DriftSchedule<IntracorticalRig> s = IntracorticalDrift.parse("30:rotate=30");

        s.applyDue(29.999, rig);
        assertThat(rig.preferredAngle(0)).isEqualTo(before);
        s.applyDue(30.0, rig);

        assertThat(Math.IEEEremainder(rig.preferredAngle(0) - before, 2 * Math.PI))
                .isCloseTo(Math.toRadians(30), within(1e-12));
    }

    @Test
    void shouldSilenceDroppedUnitsAtTheScheduledTime() {
        IntracorticalRig rig = new IntracorticalRig(RigConfig.defaults(2));
        IntracorticalDrift.parse("0:dropout=0/4").applyDue(0, rig);
        float[] spikes = new float[96];
        double[] v = new double[2];
        int dropped = 0;
        for (int t = 0; t < 10_000; t++) {
            rig.step(spikes, v);
            for (int i = 0; i < 4; i++) {
                dropped += (int) spikes[i];
            }
        }

        assertThat(dropped).isZero();
    }

    @Test
    void shouldNameTheMalformedItem() {
        assertThatThrownBy(() -> IntracorticalDrift.parse("30:spin=3"))
                .hasMessage(
                        "drift item '30:spin=3': unknown kind 'spin' (rotate, dropout, new, gain)");
        assertThatThrownBy(() -> IntracorticalDrift.parse("30rotate=3"))
                .hasMessage("drift item '30rotate=3' is not <seconds>:<kind>=<values>");
        assertThatThrownBy(() -> IntracorticalDrift.parse("30:dropout=1"))
                .hasMessage("drift item '30:dropout=1': expected at least 2 values");
        assertThatThrownBy(() -> IntracorticalDrift.parse("30:gain=-1"))
                .hasMessage("gain factor must be finite and >= 0, got -1.0");
        assertThatThrownBy(() -> IntracorticalDrift.parse("x:gain=1"))
                .hasMessage("drift item 'x:gain=1': time is not a number");
    }
}
