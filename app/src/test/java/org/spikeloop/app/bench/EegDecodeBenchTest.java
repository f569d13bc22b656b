package org.spikeloop.app.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EEG part of the decode benchmark on short settings (one run shared by the assertions). */
class EegDecodeBenchTest {
    private static final int TRAIN_TRIALS = 40;

    private static List<EegDecodeBench.Outcome> run(EegSnnClassifier.Settings snn, boolean eprop) {
        StringWriter log = new StringWriter();
        return new EegDecodeBench(new EegDecodeBench.Settings(3, TRAIN_TRIALS, 160, 40, snn, eprop))
                .run(new PrintWriter(log, true));
    }

    @Test
    void shouldTrainTheSpikingClassifierWellAboveChanceOnHeldOutTrials() {
        List<EegDecodeBench.Outcome> outcomes = run(EegSnnClassifier.Settings.defaults(3), true);

        assertThat(outcomes)
                .extracting(EegDecodeBench.Outcome::name)
                .containsExactly("csp_lda", EegSnnClassifier.NAME, EegSnnClassifier.EPROP_NAME);
        EegDecodeBench.Outcome snn = outcomes.get(1);
        int trials = snn.trialsBefore() + snn.trialsAfter() + snn.trialsLater();
        // ~25 evaluation trials, none of them among the training trials; chance is 0.5 and
        // P(accuracy >= 0.75 | guessing) < 1 %.
        assertThat(trials).isGreaterThanOrEqualTo(20);
        assertThat(snn.accuracyBefore()).isGreaterThanOrEqualTo(0.75);
        assertThat(snn.accuracyAll()).isGreaterThanOrEqualTo(0.75);
        assertThat(snn.decisions()).hasSize(trials);
        EegDecodeBench.Outcome eprop = outcomes.get(2);
        assertThat(eprop.decisions()).hasSize(trials);
        assertThat(eprop.accuracyAll()).isGreaterThanOrEqualTo(0.75);
        // The decoders decide the same trials at the same moments.
        assertThat(snn.decisions())
                .extracting(EegDecodeBench.Decision::atS)
                .containsExactlyElementsOf(
                        outcomes.get(0).decisions().stream()
                                .map(EegDecodeBench.Decision::atS)
                                .toList());
    }

    @Test
    void shouldRunCspLdaAloneWithoutSpikingSettings() {
        List<EegDecodeBench.Outcome> outcomes = run(null, false);

        assertThat(outcomes).extracting(EegDecodeBench.Outcome::name).containsExactly("csp_lda");
        assertThat(outcomes.get(0).accuracyAll()).isGreaterThanOrEqualTo(0.75);
    }
}
