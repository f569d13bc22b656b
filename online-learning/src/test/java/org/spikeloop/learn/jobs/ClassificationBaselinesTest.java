package org.spikeloop.learn.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ClassificationBaselinesTest {
    @Test
    void shouldClassifyADesynchronisationFromTheSourceSamples() {
        int[] classes = ClassTasks.classes(40, 5);
        TrialSequence data = ClassTasks.eeg(classes, 0.5, 6);
        List<ClassificationBaselines.Result> r = ClassificationBaselines.fit(data, 15, 20);
        assertThat(r)
                .extracting(ClassificationBaselines.Result::name)
                .containsExactly("csp_lda", "bandpower_lda");
        for (ClassificationBaselines.Result b : r) {
            assertThat(b.skipped()).as(b.name()).isFalse();
            assertThat(b.heldOut().count()).isEqualTo(20);
            assertThat(b.heldOut().accuracy()).as(b.name()).isGreaterThanOrEqualTo(0.9);
            assertThat(b.validationAccuracy()).hasSize(ClassificationBaselines.SHRINKAGES.length);
        }
        assertThat(r.get(0).settings()).startsWith("8-30 Hz, 1 CSP pairs");
    }

    @Test
    void shouldGuessWithoutASignal() {
        int[] classes = ClassTasks.classes(40, 5);
        TrialSequence data = ClassTasks.eeg(classes, 0.0, 6);
        var results = ClassificationBaselines.fit(data, 15, 20);
        assertThat(results).isNotEmpty();
        for (ClassificationBaselines.Result b : results) {
            assertThat(b.heldOut().accuracy()).as(b.name()).isLessThan(0.8);
        }
    }

    @Test
    void shouldComputeLogBandPowerPerChannelAndBand() {
        int[] classes = ClassTasks.classes(4, 5);
        TrialSequence data = ClassTasks.eeg(classes, 0.9, 6);
        double[][] f = ClassificationBaselines.bandPowerFeatures(data);
        assertThat(f[0]).hasSize(4); // 2 channels × (mu, beta)
        int c = classes[0]; // the desynchronised channel loses mu power
        assertThat(f[0][2 * c]).isLessThan(f[0][2 * (1 - c)] - 1.0);
    }
}
