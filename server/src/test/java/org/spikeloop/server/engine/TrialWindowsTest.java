package org.spikeloop.server.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.spikeloop.learn.trials.ClassBiasCalibration;
import org.spikeloop.snn.params.Initializer;
import org.spikeloop.snn.params.ParameterNames;
import org.spikeloop.snn.spec.InitSpec;
import org.spikeloop.snn.spec.LayerSpec;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;
import org.spikeloop.snn.spec.ReadoutSpec;

/** TrialWindows over real rings: membership by stamp, decisions, calibration. */
class TrialWindowsTest {
    private final TrialEventRing events = new TrialEventRing(16);
    private final DecisionRing decisions = new DecisionRing(2, 16);
    private final TrialWindows windows = new TrialWindows(events, decisions);
    private final DecisionCursor cursor = decisions.newCursor();
    private final Decision d = new Decision(2);
    private final float[] label = new float[2];

    /** Runs steps stamped {@code stamps} with readout {@code y}; returns how many were labelled. */
    private int steps(float[] y, boolean learning, double... stamps) {
        int labelled = 0;
        for (double s : stamps) {
            windows.advanceTo(s, learning, 7L);
            if (windows.labelInto(label)) {
                labelled++;
            }
            windows.add(y);
        }
        return labelled;
    }

    @Test
    void shouldLabelExactlyTheStepsStampedInsideTheWindowAndDecideAtItsEnd() {
        events.offerOpen(0, 1, "right", 10.0, 10.3);
        assertThat(steps(new float[] {0f, 1f}, false, 9.9, 9.95)).isZero();
        assertThat(windows.inTrial()).isFalse();
        assertThat(steps(new float[] {0f, 1f}, false, 10.0, 10.1, 10.2)).isEqualTo(3);
        assertThat(label).containsExactly(0f, 1f);
        assertThat(windows.inTrial()).isTrue();
        assertThat(cursor.poll(d)).as("not decided before the window ends").isFalse();
        assertThat(steps(new float[] {5f, 0f}, false, 10.3)).isZero(); // end is exclusive
        assertThat(cursor.poll(d)).isTrue();
        assertThat(d.trial).isZero();
        assertThat(d.cue).isEqualTo("right");
        assertThat(d.cueClass).isEqualTo(1);
        assertThat(d.startS).isEqualTo(10.0);
        assertThat(d.endS).isEqualTo(10.3);
        assertThat(d.frames).isEqualTo(3);
        assertThat(d.decision).isEqualTo(1);
        double p1 = Math.exp(1) / (1 + Math.exp(1)); // softmax of the mean [0, 1]
        assertThat((double) d.probabilities[1]).isCloseTo(p1, within(1e-6));
        assertThat(d.decidedNs).isEqualTo(7L);
        assertThat(d.learned).isFalse();
        assertThat(windows.windows()).isEqualTo(1);
        assertThat(windows.decisions()).isEqualTo(1);
        assertThat(windows.inTrial()).isFalse();
    }

    @Test
    void shouldEndAWindowEarlyAtACloseEvent() {
        events.offerOpen(0, 0, "left", 10.0, 14.0);
        events.offerClose(10.15);
        steps(new float[] {1f, 0f}, false, 10.0, 10.1);
        assertThat(windows.inTrial()).isTrue();
        steps(new float[] {1f, 0f}, false, 10.2);
        assertThat(cursor.poll(d)).isTrue();
        assertThat(d.endS).isEqualTo(10.15);
        assertThat(d.frames).isEqualTo(2);
        assertThat(d.decision).isZero();
    }

    @Test
    void shouldApplyAWindowsEndBeforeALaterEventDueAtTheSameStep() {
        events.offerOpen(0, 0, "left", 10.0, 10.1);
        events.offerOpen(1, 1, "right", 10.2, 10.4);
        steps(new float[] {1f, 0f}, false, 10.0);
        int labelled = steps(new float[] {0f, 1f}, false, 10.25); // both due at this step
        assertThat(labelled).isEqualTo(1);
        assertThat(label).containsExactly(0f, 1f);
        assertThat(cursor.poll(d)).isTrue();
        assertThat(d.trial).isZero();
        assertThat(d.endS).isEqualTo(10.1);
        assertThat(d.frames).isEqualTo(1);
    }

    @Test
    void shouldDropAWindowCutBeforeItStartsAndPublishOneWithoutStepsUndecided() {
        events.offerOpen(0, 0, "left", 10.5, 14.0);
        events.offerClose(10.2); // an end cue before the start offset ran out
        events.offerOpen(1, 1, "right", 11.0, 11.2);
        steps(new float[] {1f, 0f}, false, 10.6);
        assertThat(windows.inTrial()).isFalse();
        steps(new float[] {1f, 0f}, false, 12.0); // no step fell inside the right window
        assertThat(cursor.poll(d)).isTrue();
        assertThat(d.trial).isEqualTo(1);
        assertThat(d.decided()).isFalse();
        assertThat(cursor.poll(d)).isFalse();
        assertThat(windows.windows()).isEqualTo(1);
        assertThat(windows.decisions()).isZero();
    }

    private static NetworkDecoder decoder() {
        NetworkSpec spec =
                new NetworkSpec(
                        20.0,
                        4,
                        null,
                        List.of(new LayerSpec(8, true, NeuronSpec.lif())),
                        ReadoutSpec.leaky(2));
        return new NetworkDecoder(spec, Initializer.initialise(spec, InitSpec.seeded(1)));
    }

    @Test
    void shouldShiftTheReadoutBiasByTheCalibrationFittedOnTheLearnedWindows() {
        // Class 0 windows read [0.2, 0.4], class 1 [0.1, 0.6]: argmax says 1 every time.
        double[][] means = {{0.2, 0.4}, {0.1, 0.6}, {0.2, 0.4}, {0.1, 0.6}};
        int[] classes = {0, 1, 0, 1};
        for (int t = 0; t < means.length; t++) {
            events.offerOpen(t, classes[t], "c", 10.0 + t, 10.5 + t);
            float[] y = {(float) means[t][0], (float) means[t][1]};
            steps(y, true, 10.0 + t, 10.2 + t);
        }
        steps(new float[2], true, 20.0);
        assertThat(windows.calibrationTrials()).isEqualTo(4);
        NetworkDecoder decoder = decoder();
        float[] before = decoder.network().liveParameter(ParameterNames.READOUT_BIAS).clone();
        double[][] kept = new double[4][];
        for (int t = 0; t < 4; t++) {
            kept[t] = new double[] {(float) means[t][0], (float) means[t][1]};
        }
        double[] delta = ClassBiasCalibration.fit(kept, classes, 2);
        String status = windows.calibrate(decoder);
        float[] after = decoder.network().liveParameter(ParameterNames.READOUT_BIAS);
        for (int k = 0; k < 2; k++) {
            assertThat((double) after[k]).isCloseTo(before[k] + delta[k], within(1e-6));
        }
        assertThat(delta[0]).isPositive(); // class 0 gets the bias it lacked
        assertThat(status).startsWith("readout bias shifted by [").contains("from 4 labelled");
        assertThat(windows.calibrationTrials()).isZero();
        assertThat(windows.calibrate(decoder)).contains("no labelled trial window");
    }

    @Test
    void shouldNotCalibrateWhenAClassHasNoLearnedWindowOrLearningWasOff() {
        events.offerOpen(0, 0, "left", 10.0, 10.5);
        events.offerOpen(1, 1, "right", 11.0, 11.5);
        steps(new float[] {1f, 0f}, true, 10.0, 10.6); // learned
        steps(new float[] {0f, 1f}, false, 11.0, 11.6); // decided while learning was off
        assertThat(windows.calibrationTrials()).isEqualTo(1);
        NetworkDecoder decoder = decoder();
        float[] before = decoder.network().liveParameter(ParameterNames.READOUT_BIAS).clone();
        assertThat(windows.calibrate(decoder))
                .startsWith("not calibrated: class 1 has no trial")
                .contains("1 windows kept");
        assertThat(decoder.network().liveParameter(ParameterNames.READOUT_BIAS))
                .containsExactly(before);
        windows.forgetCalibration();
        assertThat(windows.calibrationTrials()).isZero();
        assertThat(windows.calibrationStatus()).contains("weights they were decoded with");
    }
}
