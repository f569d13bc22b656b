package org.spikeloop.server.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.spikeloop.server.engine.DecisionRing;
import org.spikeloop.server.engine.TrialEventRing;
import org.spikeloop.snn.spec.NetworkSpec;
import org.spikeloop.snn.spec.NeuronSpec;

class SessionFootprintTest {
    private static final NetworkSpec SPEC = NetworkSpec.recurrent(8, 64, 2, NeuronSpec.alif());

    @Test
    void shouldCountATrialSessionsEventAndDecisionRingsInItsMemory() {
        long trialRings = TrialEventRing.bytesFor(65_536) + DecisionRing.bytesFor(2, 64);
        SessionFootprint plain = SessionFootprint.of(SPEC, 0, 65_536, 8192, 8, 0.1, 0);
        SessionFootprint trials = SessionFootprint.of(SPEC, 0, 65_536, 8192, 8, 0.1, trialRings);
        assertThat(trials.ringBytes() - plain.ringBytes()).isEqualTo(trialRings);
        assertThat(trials.totalBytes() - plain.totalBytes()).isEqualTo(trialRings);
        // 65 536 events of a kind, two stamps, two indices and a reference: about 2 MiB
        assertThat(TrialEventRing.bytesFor(65_536)).isEqualTo(65_536L * 33);
    }

    @Test
    void shouldEstimateWhatTheRingsAllocate() {
        // the estimate is of the arrays the constructors allocate: as many as the rounded capacity
        assertThat(new TrialEventRing(1000).capacity()).isEqualTo(1024);
        assertThat(TrialEventRing.bytesFor(1000)).isEqualTo(TrialEventRing.bytesFor(1024));
        assertThat(new DecisionRing(3, 50).capacity()).isEqualTo(64);
        assertThat(DecisionRing.bytesFor(3, 50))
                .isEqualTo(64L * (8 + 12 + 4 + 8 + 4 + 8 + 8 + 4 + 4 + 8 + 1));
    }
}
