package org.spikeloop.server.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.spikeloop.adapters.lsl.Inlet;
import org.spikeloop.server.engine.Decision;
import org.spikeloop.server.engine.DecisionRing;

/** The decision outlet against a real liblsl inlet. */
class LslDecisionOutletAgentTest {
    private LslDecisionOutletAgent agent;
    private Inlet inlet;

    @AfterEach
    void close() {
        if (inlet != null) {
            inlet.close();
        }
        if (agent != null) {
            agent.onClose();
        }
    }

    @Test
    void shouldPushOneJsonMarkerPerDecidedWindowStampedAtItsEnd() {
        DecisionRing ring = new DecisionRing(2, 8);
        String name = LslPeers.unique("decisions");
        agent =
                LslDecisionOutletAgent.open(
                        "s-1", new LslOutletConfig(name, "", ""), ring, List.of("left", "right"));
        inlet = LslPeers.inlet(name);
        ring.publish(0, "769", 0, 10.0, 14.0, 200, new double[] {0.2, 0.8}, 1, 1L, false);
        ring.publish(1, "770", 1, 20.0, 21.0, 0, new double[2], Decision.NONE, 2L, false);
        ring.publish(2, "770", 1, 30.0, 34.0, 200, new double[] {0.1, 0.9}, 1, 3L, false);
        List<String> got = new ArrayList<>();
        List<Double> stamps = new ArrayList<>();
        String[] text = new String[4];
        double[] ts = new double[4];
        LslPeers.until(
                () -> {
                    agent.doWork();
                    int n = inlet.pullChunk(text, ts, 0.0);
                    for (int i = 0; i < n; i++) {
                        got.add(text[i]);
                        stamps.add(ts[i]);
                    }
                },
                () -> got.size() == 2);
        assertThat(got.get(0)).startsWith("{\"trial\":0,\"decision\":\"right\"");
        assertThat(got.get(1)).startsWith("{\"trial\":2,");
        assertThat(stamps).containsExactly(14.0, 34.0);
        assertThat(agent.view().decisionsPushed()).isEqualTo(2);
        assertThat(agent.view().decisionsDropped()).isZero();
    }
}
