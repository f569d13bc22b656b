package org.spikeloop.server.governance;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import org.spikeloop.server.ServerException;
import org.spikeloop.server.registry.RegistryEntry;
import org.spikeloop.server.session.SessionManager;

/**
 * LearningService's checkpoint calls on a running session — snapshot, load and roll back — through
 * the checkpoint registry ({@link SessionCheckpoints}: lineage, roles, rollback history, governance
 * audit). The request is checked on the caller's thread; the registry work, which blocks on the
 * engine and on files, runs on {@code work}.
 *
 * <p>Threading: any thread.
 */
public final class LiveCheckpoints {
    /** A snapshot: its registry entry and the session's step count when it was taken. */
    public record Snapshot(RegistryEntry entry, long step) {}

    private final SessionCheckpoints checkpoints;
    private final SessionManager sessions;
    private final Executor work;

    /**
     * @param work where the registry work runs (never the engine thread that completes a command)
     */
    public LiveCheckpoints(SessionCheckpoints checkpoints, SessionManager sessions, Executor work) {
        this.checkpoints = checkpoints;
        this.sessions = sessions;
        this.work = work;
    }

    /**
     * Snapshots the live weights into the registry as the session's ACTIVE checkpoint.
     *
     * @param name must be empty: registry entries are named by their content id
     * @param reason "" = "operator snapshot"
     * @throws ServerException INVALID_ARGUMENT for a name, NOT_FOUND for an unknown session
     */
    public CompletableFuture<Snapshot> snapshot(
            String sessionId, String name, String who, String reason) {
        if (!name.isEmpty()) {
            throw ServerException.invalid(
                    "name: must be empty; snapshots are registry entries named by"
                            + " their content id (give a reason instead), got '"
                            + name
                            + "'");
        }
        SessionControl c = engine(sessionId);
        String why = reason.isEmpty() ? "operator snapshot" : reason;
        return registryWork(
                () -> {
                    long step = c.steps();
                    return new Snapshot(checkpoints.snapshot(c, who, why), step);
                });
    }

    /**
     * Loads registry checkpoint {@code checkpointId} into the session (it becomes ACTIVE).
     *
     * @param reason "" = "operator load"
     * @throws ServerException NOT_FOUND for an unknown session
     */
    public CompletableFuture<RegistryEntry> load(
            String sessionId, String checkpointId, String who, String reason) {
        SessionControl c = engine(sessionId);
        String why = reason.isEmpty() ? "operator load" : reason;
        return registryWork(() -> checkpoints.load(c, checkpointId, who, why));
    }

    /**
     * Rolls the session back one step of its registry history (see {@link
     * SessionCheckpoints#rollBack}).
     *
     * @throws ServerException NOT_FOUND for an unknown session
     */
    public CompletableFuture<RegistryEntry> rollBack(String sessionId, String who) {
        SessionControl c = engine(sessionId);
        return registryWork(() -> checkpoints.rollBack(c, who, "operator rollback"));
    }

    /** How many earlier active checkpoints {@link #rollBack} can step through. */
    public int rollbackDepth(String sessionId) {
        return checkpoints.rollbackDepth(sessionId);
    }

    /** The session's engine as governance sees it. @throws ServerException NOT_FOUND */
    private SessionControl engine(String sessionId) {
        return new EngineSessionControl(sessions.get(sessionId));
    }

    private <T> CompletableFuture<T> registryWork(Supplier<T> body) {
        return CompletableFuture.supplyAsync(body, work);
    }
}
