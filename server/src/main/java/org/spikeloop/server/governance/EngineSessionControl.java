package org.spikeloop.server.governance;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.spikeloop.server.metrics.GovernanceMetrics;
import org.spikeloop.server.session.Session;
import org.spikeloop.snn.params.NetworkParams;
import org.spikeloop.snn.spec.NetworkSpec;

/**
 * {@link SessionControl} over a server {@link Session}: every call is an engine command (the engine
 * stays the single writer of its weights), awaited with a timeout on the calling background thread.
 */
public final class EngineSessionControl implements SessionControl {
    private static final long TIMEOUT_S = 10;

    private final Session session;

    public EngineSessionControl(Session session) {
        this.session = session;
    }

    @Override
    public String sessionId() {
        return session.id();
    }

    @Override
    public NetworkSpec spec() {
        return session.spec();
    }

    @Override
    public NetworkParams exportLive() {
        return await(session.command(e -> e.exportParams()));
    }

    /**
     * Loads through {@code EngineAgent.load}, which keeps the engine's active id and drops (never
     * exports) current weights that are non-finite, so a guard rollback loads like any other.
     */
    @Override
    public void load(NetworkParams params, String checkpointId) {
        await(session.command(e -> e.load(params, checkpointId)));
    }

    @Override
    public void markActive(String checkpointId) {
        await(session.command(e -> e.markActive(checkpointId)));
    }

    @Override
    public String activeCheckpointId() {
        return await(session.command(e -> e.learningState().activeCheckpoint()));
    }

    @Override
    public long steps() {
        return session.steps();
    }

    @Override
    public GovernanceMetrics governanceMeters() {
        return session.governanceMeters();
    }

    private static <T> T await(java.util.concurrent.CompletableFuture<T> f) {
        try {
            return f.get(TIMEOUT_S, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(
                    "the session's engine did not answer in " + TIMEOUT_S + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the engine", e);
        }
    }
}
