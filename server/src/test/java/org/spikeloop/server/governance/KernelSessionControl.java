package org.spikeloop.server.governance;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.spikeloop.server.metrics.GovernanceMetrics;
import org.spikeloop.snn.kernel.FloatNetwork;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * A {@link SessionControl} over a bare float32 kernel (the engine's decoder without the engine),
 * for governor tests that do not need threads; the end-to-end test uses {@link
 * EngineSessionControl}.
 */
final class KernelSessionControl implements SessionControl {
    final FloatNetwork network;
    String activeId = "";
    int loads;
    final GovernanceMetrics meters = new GovernanceMetrics("k1");

    KernelSessionControl(NetworkSpec spec, NetworkParams params) {
        this.network = new FloatNetwork(spec, params);
        meters.bindTo(new SimpleMeterRegistry());
    }

    @Override
    public String sessionId() {
        return "k1";
    }

    @Override
    public NetworkSpec spec() {
        return network.spec();
    }

    @Override
    public NetworkParams exportLive() {
        return network.exportParams();
    }

    @Override
    public void load(NetworkParams params, String checkpointId) {
        network.loadParams(params);
        activeId = checkpointId;
        loads++;
    }

    @Override
    public void markActive(String checkpointId) {
        activeId = checkpointId;
    }

    @Override
    public String activeCheckpointId() {
        return activeId;
    }

    @Override
    public long steps() {
        return 0;
    }

    @Override
    public GovernanceMetrics governanceMeters() {
        return meters;
    }
}
