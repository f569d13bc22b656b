package org.spikeloop.adapters.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class CenterOutTaskTest {

    @Test
    void shouldReachTheTargetRadiusAndReturnToTheCentre() {
        CenterOutTask task = new CenterOutTask(0.1, 1.0, 7);
        double[] v = new double[2];
        double x = 0.0;
        double y = 0.0;
        double maxDistance = 0.0;
        double maxSpeed = 0.0;
        for (int t = 0; t < 2000; t++) { // out and back, 1 ms steps
            task.step(0.001, v);
            x += v[0] * 0.001;
            y += v[1] * 0.001;
            maxDistance = Math.max(maxDistance, Math.hypot(x, y));
            maxSpeed = Math.max(maxSpeed, Math.hypot(v[0], v[1]));
        }

        assertThat(maxDistance).isCloseTo(0.1, within(0.001));
        assertThat(Math.hypot(x, y)).isLessThan(0.001);
        assertThat(maxSpeed).isCloseTo(task.peakSpeedMps(), within(0.002));
    }
}
